/**
 * Starting the browser on a persistent profile with DevTools on a loopback port, and stopping it
 * with every process it started. It runs in a process group of its own: a Ctrl-C at the terminal
 * reaches awsl, which closes the browser, and stop() reaches the renderers and helpers as well.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { BrowserFailedError } from './errors.js';

export interface LaunchOptions {
  executable: string;
  profileDirectory: string;
  headless: boolean;
  /** The browser's environment, without awsl's secrets. */
  env: NodeJS.ProcessEnv;
  /** How long the browser may take to open its DevTools port. */
  startTimeoutMs: number;
  /** Ctrl-C: stops the browser and throws the signal's reason. */
  signal: AbortSignal;
}

export interface RunningBrowser {
  /** ws:// URL of the browser's DevTools endpoint. */
  endpoint: string;
  /** Resolves when the browser's main process has exited. */
  readonly exited: Promise<void>;
  /** Ends the browser (its whole process group); resolves once its main process is gone. */
  stop(): Promise<void>;
}

const STOP_GRACE_MS = 3000;
/** The environment variable that marks every process of one browser run. */
const RUN_MARKER = 'AWSL_BROWSER_RUN';
const OUTPUT_LIMIT = 4096;

/**
 * Switches that keep a dedicated profile quiet: no sync, updates, first-run pages or background
 * requests (a closed network is otherwise flooded), and no sandbox as root, where Chromium refuses it.
 */
export function browserArguments(options: Pick<LaunchOptions, 'profileDirectory' | 'headless'>, isRoot: boolean): string[] {
  return [
    `--user-data-dir=${options.profileDirectory}`,
    '--remote-debugging-port=0',
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    // A login profile needs none of these services, each of which calls home.
    '--disable-features=AutofillServerCommunication,NetworkTimeServiceQuerying,OptimizationHints,MediaRouter,Translate',
    ...(isRoot ? ['--no-sandbox'] : []),
    ...(options.headless ? ['--headless'] : []),
    // No start page: awsl opens the page itself once the network capture is on (and Chromium
    // reads no switches after a URL, so a wrapper script could add none).
    '--no-startup-window',
  ];
}

export async function launchBrowser(options: LaunchOptions): Promise<RunningBrowser> {
  const isRoot = process.getuid?.() === 0;
  // Every process of this browser inherits the marker, also those that leave its process group
  // (Chromium's crash handler starts a session of its own): stop() finds them all by it.
  const marker = `${RUN_MARKER}=${randomBytes(8).toString('hex')}`;
  const child = spawn(options.executable, browserArguments(options, isRoot), {
    env: { ...options.env, [RUN_MARKER]: marker.slice(RUN_MARKER.length + 1) }, detached: true, stdio: ['ignore', 'ignore', 'pipe'],
  });
  const group = child.pid;
  const killGroup = (signal: NodeJS.Signals) => {
    if (group === undefined) return;
    try {
      // Windows has no process groups to signal; its browsers end their helpers themselves.
      if (process.platform === 'win32') child.kill(signal);
      else process.kill(-group, signal);
    } catch {
      // ESRCH: nothing left in the group.
    }
  };
  // A last resort if awsl exits without stop(): no browser outlives it.
  const onExit = () => killGroup('SIGKILL');
  process.once('exit', onExit);

  let output = '';
  let mainExited = false;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      mainExited = true;
      resolve();
    });
    child.once('error', (error) => {
      output += `\n${error.message}`;
      mainExited = true;
      resolve();
    });
  });
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      if (!mainExited) {
        // The main process first, alone: it shuts down in order and its cookie store is written.
        child.kill('SIGTERM');
        const timer = setTimeout(() => killGroup('SIGKILL'), STOP_GRACE_MS);
        await exited;
        clearTimeout(timer);
      }
      // Helpers that outlive the main process go too, and are waited for.
      killGroup('SIGKILL');
      await endMarked(marker, STOP_GRACE_MS);
      process.off('exit', onExit);
    })();
    return stopping;
  };

  const endpoint = await new Promise<string | undefined>((resolve) => {
    const timer = setTimeout(() => resolve(undefined), options.startTimeoutMs);
    child.stderr.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    const settle = () => {
      clearTimeout(timer);
      resolve(undefined);
    };
    void exited.then(settle);
    options.signal.addEventListener('abort', settle, { once: true });
    void exited.then(() => options.signal.removeEventListener('abort', settle));
  });
  if (options.signal.aborted) {
    await stop();
    throw options.signal.reason;
  }
  if (endpoint === undefined) {
    await stop();
    const last = output.trim().split('\n').filter(Boolean).slice(-3).join(' / ');
    throw new BrowserFailedError(
      `The browser ${options.executable} ${mainExited ? 'exited' : 'did not open its DevTools port'} before awsl could drive it${last ? `: ${last}` : '.'}`,
      mainExited && /existing browser session/i.test(output)
        ? `Its profile ${options.profileDirectory} is open in another window: close that window, or wait for the other awsl login to finish.`
        : 'Check that the browser starts on this machine (a visible window needs a graphical display), or choose another with --browser-path.',
    );
  }
  return { endpoint, exited, stop };
}

/**
 * SIGKILLs every live process whose environment holds marker, until none is left or timeoutMs
 * pass. Linux only (/proc); elsewhere the browser's own shutdown ends its helpers.
 */
async function endMarked(marker: string, timeoutMs: number): Promise<void> {
  if (process.platform !== 'linux') return;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = await markedProcesses(marker);
    if (left.length === 0 || Date.now() > deadline) return;
    for (const pid of left) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone meanwhile.
      }
    }
    await sleep(20);
  }
}

async function markedProcesses(marker: string): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc').catch(() => [])) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // The state follows "(name) "; a zombie is gone already, waiting for its parent.
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    if (state === '' || state === 'Z' || state === 'X') continue;
    const environ = await readFile(`/proc/${entry}/environ`, 'latin1').catch(() => '');
    if (environ.split('\0').includes(marker)) found.push(Number(entry));
  }
  return found;
}
