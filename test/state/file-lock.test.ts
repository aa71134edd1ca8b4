import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { FileUnreadableError } from '../../src/errors.js';
import { withFileLock } from '../../src/state/file-lock.js';
import { killAllChildren, startChild } from './fixtures/children.js';

/** The pid of a process that has already exited. */
function deadPid(): number {
  const { pid } = spawnSync(process.execPath, ['-e', '']);
  if (!pid) throw new Error('could not start node');
  return pid;
}

function lockContent(pid: number, host = hostname(), token = 'not-ours'): string {
  return `${JSON.stringify({ pid, host, created: new Date().toISOString(), token })}\n`;
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

/**
 * "At once", robustly: far below any path that waits (WAITING makes a waiter give up after 20 s and
 * a lock stale after 60 s) and far above a take-over on a loaded 2-core machine.
 */
const AT_ONCE_MS = 5000;
const WAITING = { timeoutMs: 20_000, staleMs: 60_000 };

async function timed<T>(operation: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await operation();
  return { value, ms: performance.now() - start };
}

describe('withFileLock', () => {
  let folder: string;
  let file: string;
  let lock: string;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'awsl-lock-'));
    file = join(folder, 'config');
    lock = `${file}.lock`;
  });

  afterEach(async () => {
    killAllChildren();
    await rm(folder, { recursive: true, force: true });
  });

  describe('in one process', () => {
    it('holds <file>.lock (0600, with pid, host and time) while fn runs, then removes it', async () => {
      const value = await withFileLock(file, async () => {
        const owner = JSON.parse(await readFile(lock, 'utf8')) as Record<string, unknown>;
        expect(owner).to.include({ pid: process.pid, host: hostname() });
        expect(Date.parse(owner.created as string)).to.be.closeTo(Date.now(), 5000);
        expect((await stat(lock)).mode & 0o777).to.equal(0o600);
        return 42;
      });
      expect(value).to.equal(42);
      expect(await readdir(folder)).to.deep.equal([]);
    });

    it('releases the lock when fn throws', async () => {
      const error = await failureOf(withFileLock(file, async () => {
        throw new Error('boom');
      }));
      expect(error).to.have.property('message', 'boom');
      expect(await readdir(folder)).to.deep.equal([]);
    });

    it('creates the missing folder 0700', async () => {
      const nested = join(folder, 'home', '.aws', 'credentials');
      await withFileLock(nested, async () => undefined);
      expect((await stat(join(folder, 'home', '.aws'))).mode & 0o777).to.equal(0o700);
    });

    it('lets concurrent callers in one at a time', async () => {
      let inside = 0;
      let most = 0;
      let counter = 0;
      await Promise.all(Array.from({ length: 25 }, () => withFileLock(file, async () => {
        inside += 1;
        most = Math.max(most, inside);
        const seen = counter;
        await sleep(1);
        counter = seen + 1;
        inside -= 1;
      })));
      expect(most).to.equal(1);
      expect(counter).to.equal(25);
    });

    it('keeps a slow holder\'s lock fresh, so it is not taken for abandoned', async () => {
      const order: string[] = [];
      // Held for 2.5 staleMs; the heartbeat (every staleMs/3) keeps it fresh unless delayed by 2/3 s.
      const slow = withFileLock(file, async () => {
        order.push('slow in');
        await sleep(2500);
        order.push('slow out');
      }, { staleMs: 1000 });
      await sleep(50);
      await withFileLock(file, async () => {
        order.push('second');
      }, { staleMs: 1000 });
      await slow;
      expect(order).to.deep.equal(['slow in', 'slow out', 'second']);
    });

    it('fails with FileUnreadableError naming the lock file when a live holder keeps it', async () => {
      const held = lockContent(4242, 'build-host-7');
      await writeFile(lock, held);
      const { value: error, ms } = await timed(() => failureOf(withFileLock(file, async () => undefined, { timeoutMs: 300 })));
      expect(error).to.be.instanceOf(FileUnreadableError);
      const failure = error as FileUnreadableError;
      expect(failure.file).to.equal(file);
      expect(failure.message).to.include('pid 4242 on build-host-7');
      expect(failure.hint).to.include(lock);
      // It waits its timeout, and then gives up rather than waiting on.
      expect(ms).to.be.within(250, AT_ONCE_MS);
      expect(await readFile(lock, 'utf8')).to.equal(held);
    });
  });

  describe('abandoned locks', () => {
    it('takes over at once a lock whose process is dead', async () => {
      await writeFile(lock, lockContent(deadPid()));
      const { ms } = await timed(() => withFileLock(file, async () => undefined, WAITING));
      expect(ms).to.be.below(AT_ONCE_MS);
      expect(await readdir(folder)).to.deep.equal([]);
    });

    it('takes over a lock with this process\'s pid that this process does not hold (pid reused)', async () => {
      await writeFile(lock, lockContent(process.pid));
      const { ms } = await timed(() => withFileLock(file, async () => undefined, WAITING));
      expect(ms).to.be.below(AT_ONCE_MS);
    });

    it('takes over a lock not touched for staleMs, even from a live pid or another host', async () => {
      for (const content of [lockContent(process.ppid), lockContent(4242, 'build-host-7')]) {
        await writeFile(lock, content);
        const old = new Date(Date.now() - 60_000);
        await utimes(lock, old, old);
        const { ms } = await timed(() => withFileLock(file, async () => undefined, { timeoutMs: WAITING.timeoutMs, staleMs: 30_000 }));
        expect(ms).to.be.below(AT_ONCE_MS);
      }
    });

    it('waits for an unreadable lock file while it may still be being written, not after', async () => {
      await writeFile(lock, '');
      expect(await failureOf(withFileLock(file, async () => undefined, { timeoutMs: 200 }))).to.be.instanceOf(FileUnreadableError);
      const old = new Date(Date.now() - 10_000);
      await utimes(lock, old, old);
      const { ms } = await timed(() => withFileLock(file, async () => undefined, WAITING));
      expect(ms).to.be.below(AT_ONCE_MS);
    });

    it('gets past a take-over left half done by a killed process', async () => {
      await writeFile(lock, lockContent(deadPid()));
      await writeFile(`${lock}.steal`, lockContent(deadPid()));
      // Touched a minute ahead, so that only its dead owner, not its age, can make it stale.
      const ahead = new Date(Date.now() + 60_000);
      await utimes(`${lock}.steal`, ahead, ahead);
      const { ms } = await timed(() => withFileLock(file, async () => undefined, WAITING));
      expect(ms).to.be.below(AT_ONCE_MS);
      expect(await readdir(folder)).to.deep.equal([]);
    });
  });

  describe('across processes', () => {
    it('takes over from a holder killed with SIGKILL in well under a second', async () => {
      const holder = await startChild('hold', file);
      await holder.printed('locked');
      expect(JSON.parse(await readFile(lock, 'utf8'))).to.have.property('pid', holder.process.pid);
      // While it lives, others wait.
      expect(await failureOf(withFileLock(file, async () => undefined, { timeoutMs: 200 }))).to.be.instanceOf(FileUnreadableError);
      holder.process.kill('SIGKILL');
      await holder.exited;
      const { ms } = await timed(() => withFileLock(file, async () => undefined, WAITING));
      expect(ms).to.be.below(AT_ONCE_MS);
      expect(await readdir(folder)).to.deep.equal([]);
    });

    it('never lets two processes in at once, even while taking over an abandoned lock', async () => {
      const log = join(folder, 'log');
      await writeFile(lock, lockContent(deadPid()));
      const children = await Promise.all(Array.from({ length: 10 }, () => startChild('critical', file, log)));
      await Promise.all(children.map((child) => child.printed('ready')));
      for (const child of children) child.process.stdin.write('go\n');
      const codes = await Promise.all(children.map((child) => child.exited));
      expect(codes, children.map((child) => child.stderr()).join('\n')).to.deep.equal(Array(10).fill(0));

      const entries = (await readFile(log, 'utf8')).trim().split('\n');
      expect(entries).to.have.length(20);
      for (let index = 0; index < entries.length; index += 2) {
        const pid = entries[index]?.split(' ')[1];
        expect([entries[index], entries[index + 1]]).to.deep.equal([`enter ${pid}`, `exit ${pid}`]);
      }
      expect(await readdir(folder)).to.deep.equal(['log']);
    });
  });
});
