/**
 * A lock between awsl processes (and between concurrent calls in one process) around a file:
 * `<file>.lock`, created exclusively, holding the owner's pid, host, start time and a random token.
 *
 * A lock whose owner is gone is taken over at once: same host and the pid is dead, or its file was
 * not touched for `staleMs` (the owner touches it every staleMs/3 while it works, so only a dead or
 * frozen owner, another host's included, goes quiet). Taking over is serialised by a second,
 * short-lived lock (`<file>.lock.steal`) under which the lock is checked again (same inode, time
 * and content) before it is deleted, so two waiters never both take over, nor delete a fresh lock.
 */
import { randomBytes } from 'node:crypto';
import { open, unlink, utimes } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { FileUnreadableError } from '../errors.js';
import { ensurePrivateDirectory, errorCode, readFileWithStat } from './atomic-file.js';

export interface FileLockOptions {
  /** How long to wait for another holder before giving up. */
  timeoutMs?: number;
  /** A lock file untouched for this long is abandoned, whoever wrote it. */
  staleMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_STALE_MS = 30_000;
/** The take-over lock is held for two system calls. */
const STEAL_STALE_MS = 2_000;
/** A lock file is written right after it is created; still unreadable after this, its writer died in between. */
const UNWRITTEN_STALE_MS = 2_000;
const MAX_BACKOFF_MS = 100;

interface LockOwner {
  pid: number;
  host: string;
  created: string;
  token: string;
}

interface LockState {
  raw: string;
  ino: number;
  mtimeMs: number;
  owner: LockOwner | undefined;
}

/** Tokens of the lock files this process holds: its own pid on a lock does not make it dead. */
const heldTokens = new Set<string>();

/** Creates the lock file, failing with EEXIST when it is there. Returns the token written in it. */
async function createLockFile(path: string): Promise<string> {
  const token = randomBytes(12).toString('hex');
  const owner: LockOwner = { pid: process.pid, host: hostname(), created: new Date().toISOString(), token };
  // Held before the file can exist: a waiter in this process that reads it while it is still being
  // written or closed must see a live lock of ours, not our pid with an unknown token (a stale one).
  heldTokens.add(token);
  try {
    const handle = await open(path, 'wx', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(owner)}\n`);
    } catch (error) {
      await handle.close();
      await unlink(path).catch(() => undefined);
      throw error;
    }
    await handle.close();
  } catch (error) {
    heldTokens.delete(token);
    throw error;
  }
  return token;
}

function parseOwner(raw: string): LockOwner | undefined {
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null) return undefined;
    const { pid, host, created, token } = value as Record<string, unknown>;
    if (!Number.isSafeInteger(pid) || (pid as number) <= 0) return undefined;
    if (typeof host !== 'string' || typeof created !== 'string' || typeof token !== 'string') return undefined;
    return { pid: pid as number, host, created, token };
  } catch {
    return undefined;
  }
}

/** The lock file as it is now; undefined when there is none. */
async function inspect(path: string): Promise<LockState | undefined> {
  const read = await readFileWithStat(path);
  if (!read) return undefined;
  const raw = read.content.toString('utf8');
  return { raw, ino: read.stat.ino, mtimeMs: read.stat.mtimeMs, owner: parseOwner(raw) };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, but someone else's.
    return errorCode(error) === 'EPERM';
  }
}

function isStale(state: LockState, staleMs: number): boolean {
  const age = Date.now() - state.mtimeMs;
  if (!state.owner) return age > UNWRITTEN_STALE_MS;
  if (age > staleMs) return true;
  const { pid, host, token } = state.owner;
  if (host !== hostname()) return false;
  if (pid === process.pid) return !heldTokens.has(token);
  return !processAlive(pid);
}

function sameLock(a: LockState, b: LockState): boolean {
  return a.ino === b.ino && a.mtimeMs === b.mtimeMs && a.raw === b.raw;
}

/** Deletes the file if it is still the very one `state` describes. */
async function unlinkIfUnchanged(path: string, state: LockState): Promise<void> {
  const current = await inspect(path);
  if (current && sameLock(current, state)) await unlink(path).catch(() => undefined);
}

/** Removes the abandoned lock `judged` unless it changed meanwhile. False when another waiter is at it. */
async function takeOver(lockPath: string, judged: LockState): Promise<boolean> {
  const stealPath = `${lockPath}.steal`;
  let token: string;
  try {
    token = await createLockFile(stealPath);
  } catch (error) {
    if (errorCode(error) !== 'EEXIST') throw error;
    const steal = await inspect(stealPath);
    if (steal && isStale(steal, STEAL_STALE_MS)) await unlinkIfUnchanged(stealPath, steal);
    return false;
  }
  try {
    await unlinkIfUnchanged(lockPath, judged);
    return true;
  } finally {
    await release(stealPath, token);
  }
}

async function release(path: string, token: string): Promise<void> {
  const current = await inspect(path).catch(() => undefined);
  if (current?.owner?.token === token) await unlink(path).catch(() => undefined);
  heldTokens.delete(token);
}

async function acquire(file: string, lockPath: string, timeoutMs: number, staleMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await createLockFile(lockPath);
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw error;
    }
    const state = await inspect(lockPath);
    if (!state || (isStale(state, staleMs) && (await takeOver(lockPath, state)))) continue;
    if (Date.now() >= deadline) {
      const owner = state.owner;
      const who = owner ? `pid ${owner.pid}${owner.host === hostname() ? '' : ` on ${owner.host}`}` : 'unknown';
      throw new FileUnreadableError(
        file,
        undefined,
        `another awsl process (${who}) is changing this file; gave up waiting after ${timeoutMs / 1000} s`,
        `If no awsl is running, delete ${lockPath} and try again.`,
      );
    }
    await sleep(Math.min(MAX_BACKOFF_MS, 5 * 2 ** attempt) * (0.5 + Math.random()));
  }
}

/**
 * Runs `fn` while holding the lock of `path` (the file `<path>.lock`; its folder is created 0700 if
 * missing). Waits up to `timeoutMs` for another holder, then throws FileUnreadableError naming the
 * lock file to delete; a lock file that cannot be created is a FileUnreadableError too. The lock is
 * released however `fn` ends.
 */
export async function withFileLock<T>(path: string, fn: () => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
  const lockPath = `${path}.lock`;
  let token: string;
  try {
    await ensurePrivateDirectory(dirname(lockPath));
    token = await acquire(path, lockPath, timeoutMs, staleMs);
  } catch (error) {
    if (error instanceof FileUnreadableError || errorCode(error) === undefined) throw error;
    throw new FileUnreadableError(path, undefined, `cannot be locked (${(error as Error).message})`, `Check that awsl may create ${lockPath}.`);
  }
  const heartbeat = setInterval(() => {
    const now = new Date();
    utimes(lockPath, now, now).catch(() => undefined);
  }, staleMs / 3);
  heartbeat.unref();
  try {
    return await fn();
  } finally {
    clearInterval(heartbeat);
    await release(lockPath, token);
  }
}
