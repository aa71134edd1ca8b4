/**
 * Starting and stopping real peer processes (php -S, dbus-daemon, gnome-keyring-daemon, moto_server).
 * Each process gets its own process group so that stop() also reaches the children it forks
 * (php -S workers); stopAllPeers() runs from the mocha root hook so nothing outlives the suite.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, rmSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface PeerProcess {
  readonly pid: number;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  /** The last part of stdout and stderr, interleaved, for error messages. */
  output(): string;
  /** Resolves with the first match of pattern in the output; rejects if the process exits first or time runs out. */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /** The stop signal to the whole process group, SIGKILL after a grace period; resolves once no member is left. */
  stop(): Promise<void>;
}

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Written to stdin, which is then closed. */
  stdin?: string;
  /**
   * First signal stop() sends to the group; SIGKILL follows after a grace period. php -S needs
   * SIGINT: only then does its master reap its workers, which otherwise stay behind as zombies.
   */
  stopSignal?: NodeJS.Signals;
}

const OUTPUT_LIMIT = 64 * 1024;
const STOP_GRACE_MS = 3000;

/** Everything to undo when the suite ends: stop functions of processes and peers, removal of temp dirs. */
const cleanups = new Set<() => Promise<void>>();
/** Process groups (with their stop signal) and temp dirs still there, for the synchronous last-chance cleanup on exit. */
const liveGroups = new Map<number, NodeJS.Signals>();
const liveTempDirs = new Set<string>();

process.on('exit', () => {
  for (const [pgid, signal] of liveGroups) killGroup(pgid, signal);
  for (const path of liveTempDirs) rmSync(path, { recursive: true, force: true });
});

/** Registers work for stopAllPeers(); returns a function that unregisters it. */
export function onStopAll(cleanup: () => Promise<void>): () => void {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

/**
 * Stops every peer and removes every temp dir still registered, newest first (a process before the
 * folder it runs in). Called by the mocha root afterAll hook.
 */
export async function stopAllPeers(): Promise<void> {
  const pending = [...cleanups].reverse();
  cleanups.clear();
  const failures: unknown[] = [];
  for (const cleanup of pending) await cleanup().catch((error: unknown) => failures.push(error));
  if (failures.length > 0) throw new AggregateError(failures, 'Stopping test peers failed');
}

/** A private temporary folder, removed by stopAllPeers() unless the returned remove() ran first. */
export async function makeTempDir(prefix: string): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `awsl-${prefix}-`));
  liveTempDirs.add(path);
  const remove = async () => {
    unregister();
    await rm(path, { recursive: true, force: true });
    liveTempDirs.delete(path);
  };
  const unregister = onStopAll(remove);
  return { path, remove };
}

/** The first executable called name on PATH. */
export function findExecutable(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Starts `server` listening on 127.0.0.1 at a port the system picks, and returns the port. */
export async function listenOnLoopback(server: Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('Could not read the port of a loopback listener');
  return address.port;
}

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  const port = await listenOnLoopback(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Waits until url answers with any HTTP status; fails early, with its output, if peer exits. */
export async function waitForHttp(url: string, timeoutMs: number, peer?: PeerProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void peer?.exited.then((code) => { exitCode = code; });
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`Peer exited (${exitCode}) before ${url} answered:\n${peer?.output()}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(Math.max(1, Math.min(1000, deadline - Date.now()))) });
      await response.arrayBuffer();
      return;
    } catch (error) {
      lastError = error;
      await sleep(20);
    }
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms: ${String(lastError)}${peer ? `\n${peer.output()}` : ''}`);
}

export function startProcess(cmd: string, args: readonly string[], options: StartOptions = {}): PeerProcess {
  // detached: setsid(), so the child leads a new process group that stop() can signal as a whole.
  const child: ChildProcess = spawn(cmd, args, {
    env: options.env ?? process.env,
    cwd: options.cwd,
    detached: true,
    stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  if (options.stdin !== undefined) child.stdin?.end(options.stdin);

  let done = false;
  const exited = new Promise<number | null>((resolve) => {
    child.once('error', (error) => {
      append(Buffer.from(`\n[${cmd}: ${error.message}]\n`));
      done = true;
      resolve(null);
    });
    child.once('exit', (code) => {
      done = true;
      resolve(code);
    });
  });
  const pgid = child.pid;
  if (pgid !== undefined) liveGroups.set(pgid, options.stopSignal ?? 'SIGTERM');

  const waitForOutput = (pattern: RegExp, timeoutMs: number) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const match = output.match(pattern);
        if (match) finish(() => resolve(match));
        else if (done) finish(() => reject(new Error(`${cmd} exited before printing ${pattern}:\n${output}`)));
      };
      const timer = setTimeout(() => finish(() => reject(new Error(`${cmd} did not print ${pattern} within ${timeoutMs} ms:\n${output}`))), timeoutMs);
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        listeners.delete(check);
        settle();
      };
      listeners.add(check);
      void exited.then(check);
      check();
    });

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      unregister();
      if (pgid === undefined) return;
      killGroup(pgid, options.stopSignal ?? 'SIGTERM');
      if (!(await groupGone(pgid, exited, STOP_GRACE_MS))) {
        killGroup(pgid, 'SIGKILL');
        if (!(await groupGone(pgid, exited, STOP_GRACE_MS))) throw new Error(`Process group ${pgid} (${cmd}) survived SIGKILL`);
      }
      liveGroups.delete(pgid);
    })();
    return stopping;
  };
  const unregister = onStopAll(stop);

  return { pid: pgid ?? -1, exited, output: () => output, waitForOutput, stop };
}

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/** True once the leader has exited and no live (non-zombie) process is left in the group. */
async function groupGone(pgid: number, exited: Promise<unknown>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let leaderDone = false;
  void exited.then(() => { leaderDone = true; });
  while (Date.now() < deadline) {
    if (leaderDone && !(await groupHasLiveMember(pgid))) return true;
    await sleep(20);
  }
  return false;
}

/**
 * Reads /proc rather than kill(-pgid, 0): orphaned workers reparent to PID 1, which on some
 * CI machines never reaps them, and their zombies would keep the group "alive" forever.
 */
async function groupHasLiveMember(pgid: number): Promise<boolean> {
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = await readFile(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    // Fields after "(comm)": state ppid pgrp ...
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') return true;
  }
  return false;
}
