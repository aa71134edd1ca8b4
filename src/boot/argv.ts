/**
 * The one reader of awsl's global flags (--profile/-p, --verbose/-v) and of `--`, for every place
 * that sees a command line before or instead of oclif: bin/run.js, the warm credential_process
 * path, `exec`, the AWS CLI pass-through, the command-not-found hook and the logger's level.
 * oclif's parser is not used for command lines that carry another program's: it would take that
 * program's flags for awsl's (`awsl exec -- terraform plan -v` is not a verbose awsl), and it
 * reorders repeated words. Imports nothing: the warm path loads it.
 */

/** Commands whose words, after awsl's own flags, are another program's command line. */
export const PASS_THROUGH_COMMANDS: ReadonlySet<string> = new Set(['exec', 'aws']);

const PROFILE_FLAGS = new Set(['--profile', '-p']);
const VERBOSE_FLAGS = new Set(['--verbose', '-v']);
const VERSION_REQUESTS = new Set(['--version', '-v', 'version']);

export interface GlobalFlags {
  /** Every profile given, in order (oclif refuses more than one; the warm path steps aside). */
  profiles: string[];
  verbose: boolean;
  /** The flags as typed, for oclif to parse again. */
  args: string[];
}

export interface LeadingFlags {
  flags: GlobalFlags;
  /** The arguments after the global flags, as given. */
  rest: string[];
  /** Set when a profile flag ends the command line without its value. */
  problem?: string;
}

/** The global flags at the start of argv, up to the first argument that is not one. */
export function leadingGlobalFlags(argv: readonly string[]): LeadingFlags {
  const flags: GlobalFlags = { profiles: [], verbose: false, args: [] };
  let index = 0;
  for (; index < argv.length; index += 1) {
    const arg = argv[index]!;
    if (PROFILE_FLAGS.has(arg)) {
      const value = argv[index + 1];
      if (value === undefined) return { flags, rest: argv.slice(index), problem: `${arg} needs a profile name.` };
      flags.profiles.push(value);
      flags.args.push(arg, value);
      index += 1;
    } else if (arg.startsWith('--profile=')) {
      flags.profiles.push(arg.slice('--profile='.length));
      flags.args.push(arg);
    } else if (VERBOSE_FLAGS.has(arg)) {
      flags.verbose = true;
      flags.args.push(arg);
    } else break;
  }
  return { flags, rest: argv.slice(index) };
}

/** `awsl --version`, `awsl -v` and `awsl version`: the only argument asks for the version. */
export function isVersionRequest(argv: readonly string[]): boolean {
  return argv.length === 1 && VERSION_REQUESTS.has(argv[0]!);
}

/**
 * The command line as oclif reads it: oclif takes flags only after the command, so global flags
 * typed before it (`awsl --profile prod login`) move behind it. For `exec` and `aws` they go right
 * after the command word, where those commands look for awsl's flags; for other commands, after
 * the command's words and before any `--`.
 */
export function oclifArguments(argv: readonly string[]): string[] {
  const { flags, rest } = leadingGlobalFlags(argv);
  if (flags.args.length === 0 || rest.length === 0) return [...argv];
  if (PASS_THROUGH_COMMANDS.has(rest[0]!)) return [rest[0]!, ...flags.args, ...rest.slice(1)];
  const separator = rest.indexOf('--');
  return separator < 0 ? [...rest, ...flags.args] : [...rest.slice(0, separator), ...flags.args, ...rest.slice(separator)];
}

/**
 * Whether awsl's debug log is asked for: by a flag among those before another program's command
 * line (`exec`, `aws`), else by --verbose or -v anywhere before `--`.
 */
export function isVerbose(argv: readonly string[], passThrough: boolean): boolean {
  if (passThrough) {
    for (let index = 0; index < argv.length; index += 1) {
      const arg = argv[index]!;
      if (arg === '--' || arg === '-' || !arg.startsWith('-')) return false;
      if (VERBOSE_FLAGS.has(arg)) return true;
      if (PROFILE_FLAGS.has(arg)) index += 1;
    }
    return false;
  }
  const separator = argv.indexOf('--');
  return (separator < 0 ? argv : argv.slice(0, separator)).some((arg) => VERBOSE_FLAGS.has(arg));
}

export interface ProgramCommandLine {
  /** awsl's own flags, for oclif to parse. */
  own: string[];
  /** The program and its arguments, exactly as given. */
  command: string[];
  /** What is wrong with the command line, when something is. */
  problem?: string;
}

/**
 * `awsl exec [awsl flags] [--] CMD ARGS…`: awsl's global flags and the command's own boolean
 * `commandFlags` (`--server`), in any order; the program starts after `--` or at the first word
 * that is not a flag.
 */
export function splitCommandLine(argv: readonly string[], commandFlags: ReadonlySet<string> = new Set()): ProgramCommandLine {
  const own: string[] = [];
  let rest: readonly string[] = argv;
  for (;;) {
    const leading = leadingGlobalFlags(rest);
    own.push(...leading.flags.args);
    if (leading.problem !== undefined) return { own, command: [], problem: leading.problem };
    rest = leading.rest;
    if (rest[0] === undefined || !commandFlags.has(rest[0])) break;
    own.push(rest[0]);
    rest = rest.slice(1);
  }
  const first = rest[0];
  if (first === '--') return { own, command: rest.slice(1) };
  if (first !== undefined && first.startsWith('-') && first !== '-') {
    return { own, command: [], problem: `${first} is not a flag of awsl exec; the command to run goes after --.` };
  }
  return { own, command: [...rest] };
}

/**
 * The AWS CLI pass-through: awsl's global flags first, then the AWS CLI's words. A --profile
 * anywhere before `--` is awsl's too (the AWS CLI's own --profile means the same); every other
 * argument goes to the AWS CLI unchanged.
 */
export function awsCliCommandLine(argv: readonly string[]): { profile: string | undefined; verbose: boolean; rest: string[]; problem?: string } {
  const leading = leadingGlobalFlags(argv);
  let profile = leading.flags.profiles.at(-1);
  const rest: string[] = [];
  for (let index = 0; index < leading.rest.length; index += 1) {
    const arg = leading.rest[index]!;
    if (arg === '--') {
      rest.push(...leading.rest.slice(index));
      break;
    }
    if (PROFILE_FLAGS.has(arg) && index + 1 < leading.rest.length) profile = leading.rest[++index];
    else if (arg.startsWith('--profile=')) profile = arg.slice('--profile='.length);
    else rest.push(arg);
  }
  return { profile: profile || undefined, verbose: leading.flags.verbose, rest, problem: leading.problem };
}
