/**
 * Running another program for the user (`awsl exec`, the AWS CLI pass-through): stdio inherited,
 * SIGINT/SIGTERM/SIGHUP passed on, and its exit status returned unchanged — 128 + the signal's
 * number when a signal ended it, as shells report it.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants as fsConstants, readFileSync, statSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { CommandNotExecutableError, CommandNotFoundError, InvalidInputError } from '../errors.js';
import { withoutSecrets } from './child-environment.js';

export const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export interface RunChildRequest {
  command: string;
  args: readonly string[];
  env: NodeJS.ProcessEnv;
  /** Variables holding awsl's secrets (the providers' SECRET_VARIABLES): removed from env. */
  secretVariables: readonly string[];
}

/** The executable a command name runs: a path as given, otherwise the first match on PATH. */
export function resolveExecutable(command: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = command.includes('/')
    ? [isAbsolute(command) ? command : resolve(command)]
    : (env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, command));
  return candidates.find(isExecutableFile);
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, fsConstants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * The executable `command` names, or the error a shell would give for it (127 not found, 126 not
 * runnable), checked before any login so that a typo costs no password and no push.
 */
export function runnableProgram(command: string, env: NodeJS.ProcessEnv = process.env): string {
  const found = resolveExecutable(command, env);
  if (found) return found;
  if (!command.includes('/')) {
    const onPath = (env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, command)).find(isFile);
    if (onPath) throw new CommandNotExecutableError(`${onPath} (found on PATH for ${command}) is not executable.`, `Make it executable: chmod +x ${onPath}`);
    throw new CommandNotFoundError(`${command}: command not found on PATH.`, 'Check its name, or give its path (for example ./script.sh).');
  }
  const path = isAbsolute(command) ? command : resolve(command);
  let stats;
  try {
    stats = statSync(path);
  } catch {
    throw new CommandNotFoundError(`${command}: no such file.`, 'Check the path.');
  }
  if (stats.isDirectory()) throw new CommandNotExecutableError(`${command} is a directory, not a program.`, 'Give the path of a program inside it.');
  throw new CommandNotExecutableError(`${command} is not executable.`, `Make it executable (chmod +x ${command}), or run it through its interpreter (for example: sh ${command}).`);
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** 128 + number, the shell's convention for "ended by signal". */
export function exitCodeOfSignal(signal: NodeJS.Signals): number {
  return 128 + (osConstants.signals[signal] ?? 0);
}

/**
 * Whether this process is in the foreground process group of its terminal. Then the terminal's own
 * Ctrl-C already reached the child (same group), and passing SIGINT on would make it two: many
 * programs (terraform, …) treat a second Ctrl-C as "stop now, unclean". Unknown (no /proc) is false.
 */
export function inTerminalForeground(): boolean {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const [processGroup, terminal, terminalGroup] = [Number(fields[2]), Number(fields[4]), Number(fields[5])];
    return terminal !== 0 && terminalGroup > 0 && terminalGroup === processGroup;
  } catch {
    return false;
  }
}

/** Runs the command to its end and resolves with its exit code. */
export function runChild(request: RunChildRequest): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(request.command, [...request.args], { env: withoutSecrets(request.env, request.secretVariables), stdio: 'inherit' });
    const handlers = FORWARDED_SIGNALS.map((signal) => {
      const handler = () => {
        if (signal === 'SIGINT' && inTerminalForeground()) return;
        child.kill(signal);
      };
      process.on(signal, handler);
      return () => process.off(signal, handler);
    });
    const cleanUp = () => { for (const remove of handlers) remove(); };
    child.once('error', (error: NodeJS.ErrnoException) => {
      cleanUp();
      reject(new InvalidInputError(`Cannot run ${request.command}: ${error.message}.`, 'Check the command name and that it is executable.', { cause: error }));
    });
    child.once('exit', (code, signal) => {
      cleanUp();
      resolvePromise(code ?? (signal ? exitCodeOfSignal(signal) : 1));
    });
  });
}
