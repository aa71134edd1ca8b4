/**
 * Command lines that carry another program's command line (`awsl exec -- CMD …`, the AWS CLI
 * pass-through). oclif's parser is not used for those: it would take the program's own flags for
 * awsl's, and it reorders repeated words.
 */
import { InvalidInputError } from '../errors.js';

/** awsl's flags accepted before the command of `awsl exec`. */
const VALUE_FLAGS = new Set(['--profile', '-p']);
const BOOLEAN_FLAGS = new Set(['--verbose', '-v', '--server']);

export interface SplitCommandLine {
  /** awsl's own arguments, for oclif to parse. */
  own: string[];
  /** The program and its arguments, exactly as given. */
  command: string[];
}

/** `[awsl flags] [--] CMD ARGS…`: the command starts after `--` or at the first word that is not awsl's. */
export function splitCommandLine(argv: readonly string[], usage: string): SplitCommandLine {
  const own: string[] = [];
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] ?? '';
    if (arg === '--') return { own, command: argv.slice(index + 1) };
    if (VALUE_FLAGS.has(arg)) {
      if (index + 1 >= argv.length) throw new InvalidInputError(`${arg} needs a profile name.`, usage);
      own.push(arg, argv[++index] ?? '');
    } else if (BOOLEAN_FLAGS.has(arg) || arg.startsWith('--profile=')) {
      own.push(arg);
    } else if (arg.startsWith('-') && arg !== '-') {
      throw new InvalidInputError(`${arg} is not a flag of awsl; the command to run goes after --.`, usage);
    } else {
      return { own, command: argv.slice(index) };
    }
  }
  return { own, command: [] };
}

/**
 * The AWS CLI pass-through: --profile P (or -p P, --profile=P) anywhere before `--` is awsl's (the
 * AWS CLI's own --profile means the same); every other argument goes to the AWS CLI unchanged.
 */
export function extractProfile(argv: readonly string[]): { profile: string | undefined; rest: string[] } {
  let profile: string | undefined;
  const rest: string[] = [];
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] ?? '';
    if (arg === '--') {
      rest.push(...argv.slice(index));
      break;
    }
    if ((arg === '--profile' || arg === '-p') && index + 1 < argv.length) profile = argv[++index];
    else if (arg.startsWith('--profile=')) profile = arg.slice('--profile='.length);
    else rest.push(arg);
  }
  return { profile: profile || undefined, rest };
}
