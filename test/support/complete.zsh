# zsh -f complete.zsh RC OUT LINE: starts an interactive zsh on a pseudo-terminal (zsh/zpty), sources
# RC as ~/.zshrc would, types LINE and TAB, and writes to OUT each candidate completion adds, one a
# line, then the line " done" once completion has returned.
zmodload zsh/zpty || exit 1
rc=$1 out=$2 line=$3
zpty completion 'zsh -f -i'
zpty -w completion "PROMPT= RPROMPT=; source ${(q)rc}"
# compadd -O, -A and -D only collect matches; the others add them, which is what the user is offered.
zpty -w completion 'compadd() { if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return; fi; local -a hits; builtin compadd -A hits "$@"; (( ${#hits} )) && print -rl -- $hits >> '${(q)out}'; builtin compadd "$@"; }'
zpty -w completion '_record_completion() { zle complete-word; print -r -- " done" >> '${(q)out}'; }; zle -N _record_completion; bindkey "^I" _record_completion'
zpty -w -n completion "$line"$'\t'
for attempt in {1..400}; do
  [[ -f $out ]] && grep -qx ' done' $out && break
  # Drain the terminal, so that zsh never blocks writing to it.
  while zpty -rt completion screen; do :; done
  sleep 0.05
done
zpty -d completion
grep -qx ' done' $out
