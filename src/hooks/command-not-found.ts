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
import { nearMisses } from '../ui/near-miss.js';
import awsCli from './aws-cli-commands.json' with { type: 'json' };

const AWS_CLI_COMMANDS: ReadonlySet<string> = new Set(awsCli.commands);

const hook: Hook.CommandNotFound = async function ({ config }) {
  const argv = process.argv.slice(2);
  const [word = '', ...rest] = leadingGlobalFlags(argv).rest;
  if (word === 'help') return new (await loadHelpClass(config))(config).showHelp(rest);
  if (AWS_CLI_COMMANDS.has(word)) return config.runCommand('aws', argv);
  process.stderr.write(`${notACommand([word, ...rest], config)}\n`);
  this.exit(ExitCode.InvalidInput);
};

export default hook;

/** Why the command line `words` (its global flags removed) is refused and what to type instead. */
function notACommand(words: string[], config: Pick<Config, 'bin' | 'commands'>): string {
  const { bin, commands } = config;
  const [word = '', next] = words;
  const visible = commands.filter((command) => !command.hidden);
  // `awsl status extra`, `awsl login configur`: oclif looked for a command of all the words.
  const ids = visible.flatMap((command) => [command.id, ...command.aliases, ...command.hiddenAliases]);
  const known = ids.filter((id) => id.split(':').every((part, index) => words[index] === part)).sort((a, b) => b.length - a.length)[0];
  if (known !== undefined) {
    const depth = known.split(':').length;
    const extra = words[depth]!;
    const meant = nearMisses(extra, ids.filter((id) => id.startsWith(`${known}:`)).map((id) => id.split(':')[depth]!));
    const command = `${bin} ${known.replaceAll(':', ' ')}`;
    return `"${extra}" is not a command or argument of ${command}.${meant.length === 0 ? '' : ` Did you mean ${meant.map((sub) => `"${command} ${sub}"`).join(' or ')}?`}\n`
      + `Run ${command} --help.`;
  }
  if (word.startsWith('-')) {
    const name = word.replace(/^-+/, '').split('=')[0];
    const owners = visible.filter((command) => Object.entries(command.flags).some(([flag, definition]) => flag === name || definition.char === name));
    const owner = owners.find((command) => command.id === next) ?? owners[0];
    return owner === undefined
      ? `${word} is not a flag awsl knows here.\nRun ${bin} --help.`
      : `${word} is a flag of a command: it goes after the command, as in ${bin} ${owner.id.replaceAll(':', ' ')} ${word}.\nRun ${bin} --help for the commands.`;
  }
  const meant = nearMisses(word, visible.flatMap((command) => [command.id.split(':')[0]!, ...command.aliases]));
  const suggestion = meant.length === 0 ? '' : ` Did you mean ${meant.map((candidate) => `"${bin} ${candidate}"`).join(' or ')}?`;
  return `"${word}" is not an awsl command, nor one of the AWS CLI's.${suggestion}\n`
    + `Run ${bin} --help for awsl's commands; ${bin} aws ${word} … passes it to the AWS CLI anyway.`;
}
