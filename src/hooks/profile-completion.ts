/**
 * Shell completion of profile names after --profile and -p. @oclif/plugin-autocomplete writes,
 * at `awsl autocomplete`, static scripts that complete commands and flags only; it has no way to
 * complete a flag's values from data. This postrun hook adds, each time the plugin has written its
 * cache, a function to the plugin's bash and zsh setup files (which the plugin's setup line
 * sources) that completes a profile value itself and hands every other word to the plugin's own
 * function. The shell reads the section names of the AWS config file at each TAB: no awsl process
 * starts, and awsl's own start-up is unchanged.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Hook } from '@oclif/core';

/** The plugin's commands that write its cache: `autocomplete [SHELL]`, and `autocomplete create`, which its refresh hook runs. */
const CACHE_WRITERS: ReadonlySet<string> = new Set(['autocomplete', 'autocomplete:create']);

const BEGIN = '# >>> awsl: profile names after --profile and -p';
const END = '# <<< awsl';

/**
 * The profile names of the AWS config file, one a line, as `aws configure list-profiles` reads
 * them (botocore): `[default]`, and a section of two shell words whose first starts with
 * "profile"; sso-session, services and other sections are not profiles. In the syntax bash and
 * zsh share.
 */
const PROFILE_NAMES = `_awsl_profile_names() {
  local file=\${AWS_CONFIG_FILE:-~/.aws/config} line header kind name
  local -A seen
  [[ $file == '~/'* ]] && file=$HOME/\${file#'~/'}
  [[ -f $file && -r $file ]] || return 0
  while IFS= read -r line || [[ -n $line ]]; do
    line=\${line#"\${line%%[![:space:]]*}"}
    [[ $line == '['*']'* ]] || continue
    header=\${line#'['}
    header=\${header%']'*}
    if [[ $header == default ]]; then
      name=default
    else
      kind=\${header%%[[:space:]]*}
      [[ $kind == profile* ]] || continue
      name=\${header#"$kind"}
      name=\${name#"\${name%%[![:space:]]*}"}
      name=\${name%"\${name##*[![:space:]]}"}
      if [[ $name == '"'*'"' || $name == "'"*"'" ]]; then
        name=\${name:1:\${#name}-2}
      fi
      [[ -n $name && $name != *[[:space:]\\"\\']* ]] || continue
    fi
    [[ -z \${seen[$name]} ]] || continue
    seen[$name]=1
    printf '%s\\n' "$name"
  done < "$file"
}
`;

/** Wraps the plugin's `_awsl_autocomplete`. */
const BASH = `${PROFILE_NAMES}_awsl_profile_autocomplete() {
  local cur=\${COMP_WORDS[COMP_CWORD]} previous=\${COMP_WORDS[COMP_CWORD-1]} index name
  # After --, the words are another program's (awsl exec -- ssh -p).
  for ((index = 1; index < COMP_CWORD; index++)); do
    [[ \${COMP_WORDS[index]} == -- ]] && { _awsl_autocomplete "$@"; return; }
  done
  # bash splits --profile=pr into --profile, = and pr.
  [[ $previous == = && \${COMP_WORDS[COMP_CWORD-2]} == --profile ]] && previous=--profile
  if [[ $previous == --profile || $previous == -p ]]; then
    COMPREPLY=()
    while IFS= read -r name; do
      [[ $name == "$cur"* ]] && COMPREPLY+=("$name")
    done < <(_awsl_profile_names)
    return 0
  fi
  _awsl_autocomplete "$@"
}
complete -F _awsl_profile_autocomplete awsl
`;

/** Wraps the plugin's `_awsl`, which compinit autoloads from the plugin's functions folder. */
const ZSH = `${PROFILE_NAMES}_awsl_profile_autocomplete() {
  # After --, the words are another program's (awsl exec -- ssh -p).
  if (( \${words[(i)--]} >= CURRENT )) && { [[ \${words[CURRENT-1]} == (--profile|-p) ]] || compset -P '--profile=' }; then
    local -a names
    names=(\${(f)"$(_awsl_profile_names)"})
    compadd -a names
    return
  fi
  _awsl "$@"
}
compdef _awsl_profile_autocomplete awsl
`;

/** `text` (a setup file) with awsl's `block` at its end, in place of an earlier one. */
function withProfileCompletion(text: string, block: string): string {
  const start = text.indexOf(BEGIN);
  const kept = start < 0 ? text : text.slice(0, start);
  const separator = kept === '' || kept.endsWith('\n') ? '' : '\n';
  return `${kept}${separator}${BEGIN}\n${block}${END}\n`;
}

/** Adds the completion to a setup file of the plugin's; one it has not written stays absent. */
async function addTo(file: string, block: string): Promise<void> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  await writeFile(file, withProfileCompletion(text, block));
}

const hook: Hook.Postrun = async function ({ Command, config }) {
  if (!CACHE_WRITERS.has(Command.id)) return;
  // The plugin's autocompleteCacheDir.
  const directory = join(config.cacheDir, 'autocomplete');
  await Promise.all([addTo(join(directory, 'bash_setup'), BASH), addTo(join(directory, 'zsh_setup'), ZSH)]);
};

export default hook;
