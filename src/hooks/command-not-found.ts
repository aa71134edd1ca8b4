/**
 * A word that is not an awsl command goes to the AWS CLI only when it is one of the AWS CLI's own
 * commands (aws-cli-commands.json): `awsl --profile prod s3 ls`. Anything else stops here, before
 * any login, so that a typo never costs a password or an MFA push: `awsl logn` names the command
 * meant and exits 2, `awsl help [COMMAND]` shows awsl's help. `awsl aws WORD …` passes anything.
 * oclif has already joined the leading words into a command id ("s3:cp:s3://b/k" cannot be split
 * back), so the words are taken from the command line as the user typed it.
 */
import { loadHelpClass, type Config, type Hook } from '@oclif/core';
import { leadingGlobalFlags } from '../boot/argv.js';
import { ExitCode } from '../errors.js';
import awsCli from './aws-cli-commands.json' with { type: 'json' };

const AWS_CLI_COMMANDS: ReadonlySet<string> = new Set(awsCli.commands);

const hook: Hook.CommandNotFound = async function ({ config }) {
  const argv = process.argv.slice(2);
  const [word = '', ...rest] = leadingGlobalFlags(argv).rest;
  if (word === 'help') return new (await loadHelpClass(config))(config).showHelp(rest);
  if (AWS_CLI_COMMANDS.has(word)) return config.runCommand('aws', argv);
  process.stderr.write(`${notACommand(word, rest[0], config)}\n`);
  this.exit(ExitCode.InvalidInput);
};

export default hook;

/** Why `word` is refused and what to type instead; `next` is the word after it. */
export function notACommand(word: string, next: string | undefined, config: Pick<Config, 'bin' | 'commands'>): string {
  const { bin, commands } = config;
  const visible = commands.filter((command) => !command.hidden);
  if (word.startsWith('-')) {
    const name = word.replace(/^-+/, '').split('=')[0];
    const owners = visible.filter((command) => Object.entries(command.flags).some(([flag, definition]) => flag === name || definition.char === name));
    const owner = owners.find((command) => command.id === next) ?? owners[0];
    return owner === undefined
      ? `${word} is not a flag awsl knows here.\nRun ${bin} --help.`
      : `${word} is a flag of a command: it goes after the command, as in ${bin} ${owner.id.replaceAll(':', ' ')} ${word}.\nRun ${bin} --help for the commands.`;
  }
  const words = [...new Set(visible.flatMap((command) => [command.id.split(':')[0]!, ...command.aliases]))];
  const meant = words.filter((candidate) => isNearMiss(word, candidate)).sort();
  const suggestion = meant.length === 0 ? '' : ` Did you mean ${meant.map((candidate) => `"${bin} ${candidate}"`).join(' or ')}?`;
  return `"${word}" is not an awsl command, nor one of the AWS CLI's.${suggestion}\n`
    + `Run ${bin} --help for awsl's commands; ${bin} aws ${word} … passes it to the AWS CLI anyway.`;
}

/** A typo of `candidate`: a prefix of it, or at most one edit away (two for longer words). */
function isNearMiss(word: string, candidate: string): boolean {
  if (word.length >= 3 && candidate.startsWith(word)) return true;
  return editDistance(word, candidate) <= (candidate.length > 4 ? 2 : 1);
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}
