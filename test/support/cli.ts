/**
 * Runs the built awsl CLI as a user would: a separate process with its own HOME and AWS files,
 * optionally on a pseudo-terminal (util-linux `script`) for the interactive paths.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const AWSL_BIN = resolve('bin/run.js');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Sandbox {
  home: string;
  configFile: string;
  credentialsFile: string;
  stateDirectory: string;
  env: NodeJS.ProcessEnv;
  remove(): void;
}

/** A throwaway HOME with ~/.aws, and an environment free of the machine's AWS settings and keyring. */
export function createSandbox(extraEnv: NodeJS.ProcessEnv = {}): Sandbox {
  const home = mkdtempSync(join(tmpdir(), 'awsl-test-'));
  mkdirSync(join(home, '.aws'), { mode: 0o700 });
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('AWS_') && !key.startsWith('AWSL_') && !key.startsWith('DBUS_') && !key.startsWith('XDG_')) env[key] = value;
  }
  Object.assign(env, {
    HOME: home,
    AWS_CONFIG_FILE: join(home, '.aws', 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, '.aws', 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    // No keyring unless a test brings one: never the developer's own.
    DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(home, 'no-bus')}`,
    NO_COLOR: '1',
  }, extraEnv);
  return {
    home,
    configFile: env.AWS_CONFIG_FILE as string,
    credentialsFile: env.AWS_SHARED_CREDENTIALS_FILE as string,
    stateDirectory: join(home, '.aws', 'awsl'),
    env,
    remove: () => rmSync(home, { recursive: true, force: true }),
  };
}

export function runAwsl(args: string[], options: { env: NodeJS.ProcessEnv; input?: string; timeoutMs?: number }): Promise<RunResult> {
  return runProcess(process.execPath, [AWSL_BIN, ...args], options);
}

export function runProcess(command: string, args: string[], options: { env: NodeJS.ProcessEnv; input?: string; timeoutMs?: number }): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    // A new session: no controlling terminal, so awsl cannot prompt on the developer's own.
    const child = spawn(command, args, { env: options.env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
    // A program that never reads its input (touch, say) may exit before the write: not a failure.
    child.stdin.on('error', (error: NodeJS.ErrnoException) => { if (error.code !== 'EPIPE') reject(error); });
    child.stdin.end(options.input ?? '');
  });
}

/** A running awsl (no terminal: its own session), its output so far, and its exit. */
export interface RunningAwsl {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when `pattern` shows on stdout or stderr; rejects when awsl exits first or time runs out. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startAwsl(args: string[], env: NodeJS.ProcessEnv, input?: string): RunningAwsl {
  const child = spawn(process.execPath, [AWSL_BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout!.on('data', (chunk: Buffer) => { stdout += chunk.toString(); for (const listener of listeners) listener(); });
  child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString(); for (const listener of listeners) listener(); });
  child.stdin!.end(input ?? '');
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  let done = false;
  void exited.then(() => { done = true; for (const listener of listeners) listener(); });
  const waitFor = (pattern: RegExp, timeoutMs = 30_000) => new Promise<void>((resolve, reject) => {
    const check = () => {
      if (pattern.test(stdout) || pattern.test(stderr)) finish(resolve);
      else if (done) finish(() => reject(new Error(`awsl exited before showing ${pattern}.\nstdout:\n${stdout}\nstderr:\n${stderr}`)));
    };
    const timer = setTimeout(() => finish(() => reject(new Error(`awsl did not show ${pattern} within ${timeoutMs} ms.\nstdout:\n${stdout}\nstderr:\n${stderr}`))), timeoutMs);
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      listeners.delete(check);
      settle();
    };
    listeners.add(check);
    check();
  });
  return { child, stdout: () => stdout, stderr: () => stderr, waitFor, exited };
}

export interface TerminalStep {
  /** Wait until the screen shows this. */
  expect: string | RegExp;
  /** Then type this (include \r for Enter); a function computes it when the text shows. */
  send: string | (() => string);
}

export interface TerminalResult {
  code: number;
  /** Everything shown on the terminal (stdout and stderr together, as a user sees them). */
  screen: string;
  /** The same bytes as written, CR LF and escape sequences included (for renderScreen). */
  raw: string;
}

/**
 * Runs awsl on a pseudo-terminal and answers its prompts as they appear. Fails if a step's text
 * never shows up.
 */
export function runAwslInTerminal(args: string[], options: { env: NodeJS.ProcessEnv; steps: TerminalStep[]; timeoutMs?: number; columns?: number }): Promise<TerminalResult> {
  // exec: awsl itself leads the terminal's foreground group, as when typed at a prompt; a shell left
  // waiting in between (dash does not exec a lone command) would die of the Ctrl-C itself.
  // script's pseudo-terminal has no size of its own: give it one, as a terminal window would.
  return runInTerminal(`stty cols ${options.columns ?? 80} rows 24; exec ${[process.execPath, AWSL_BIN, ...args].map(shellQuote).join(' ')}`, options);
}

/**
 * Runs a shell command line on a pseudo-terminal (util-linux script), answering prompts as they
 * appear: for awsl itself, or for the AWS CLI starting awsl, whose prompts must reach the terminal
 * although the AWS CLI captures awsl's stdout and stderr.
 */
export function runInTerminal(commandLine: string, options: { env: NodeJS.ProcessEnv; steps: TerminalStep[]; timeoutMs?: number }): Promise<TerminalResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('script', ['-qefc', commandLine, '/dev/null'], { env: { ...options.env, TERM: 'dumb' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let screen = '';
    let consumed = 0;
    const steps = [...options.steps];
    const advance = () => {
      const step = steps[0];
      if (!step) return;
      const rest = screen.slice(consumed);
      const index = typeof step.expect === 'string' ? rest.indexOf(step.expect) : rest.search(step.expect);
      if (index < 0) return;
      consumed += index + 1;
      steps.shift();
      child.stdin.write(typeof step.send === 'string' ? step.send : step.send());
      advance();
    };
    const onData = (chunk: Buffer) => {
      screen += chunk.toString();
      advance();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`Terminal session timed out waiting for ${String(steps[0]?.expect ?? 'exit')}. Screen:\n${screen}`));
    }, options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (steps.length > 0) reject(new Error(`Exited (${code}) before showing ${String(steps[0]?.expect)}. Screen:\n${screen}`));
      else resolvePromise({ code: code ?? 1, screen: screen.replace(/\r\n/g, '\n'), raw: screen });
    });
  });
}

function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
