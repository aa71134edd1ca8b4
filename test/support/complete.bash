# bash complete.bash RC WORD…: sources RC as ~/.bashrc would, then runs the function that
# `complete -p awsl` names for the command line WORD… (its last word the one being completed, as
# bash splits it), and prints the candidates, one a line.
source "$1" || exit 1
shift
spec=$(complete -p awsl) || exit 1
function=${spec#*-F }
function=${function%% *}
COMP_WORDS=("$@")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
COMP_LINE="$*"
COMP_POINT=${#COMP_LINE}
COMPREPLY=()
"$function" awsl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
if ((${#COMPREPLY[@]})); then printf '%s\n' "${COMPREPLY[@]}"; fi
