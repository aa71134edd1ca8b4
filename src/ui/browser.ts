/**
 * Opening a URL in the user's browser: BROWSER first (a list separated like PATH, each entry a
 * command with %s for the URL or the URL appended), then the platform's opener. Nothing here
 * logs the URL: for `awsl console` it carries a sign-in token.
 */
import { spawn } from 'node:child_process';
import { delimiter } from 'node:path';
import { withoutSecrets } from '../process/child-environment.js';

export type OpenOutcome = { opened: true; via: string } | { opened: false; reason: string };

export interface OpenOptions {
  env?: NodeJS.ProcessEnv;
  /** Variables holding awsl's secrets (the providers' SECRET_VARIABLES): the browser never sees them. */
  secretVariables: readonly string[];
  platform?: NodeJS.Platform;
  /** How long a launcher may run before it counts as started (browsers keep running). */
  graceMs?: number;
}

interface Launcher {
  command: string;
  args: string[];
}

/** Splits a BROWSER entry into words, honouring simple quotes. */
function words(entry: string): string[] {
  return [...entry.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((match) => match[1] ?? match[2] ?? match[3] ?? '');
}

export function launchersFor(url: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform): Launcher[] | string {
  const browser = env.BROWSER?.trim();
  if (browser) {
    return browser.split(platform === 'win32' ? ';' : delimiter).map((entry) => words(entry))
      .flatMap(([command, ...rest]) => {
        if (!command) return [];
        const args = rest.map((arg) => arg.replaceAll('%s', url));
        return [{ command, args: rest.some((arg) => arg.includes('%s')) ? args : [...args, url] }];
      });
  }
  if (platform === 'darwin') return [{ command: 'open', args: [url] }];
  // rundll32 takes the URL as one argument; `cmd /c start` would split it at every &.
  if (platform === 'win32') return [{ command: 'rundll32', args: ['url.dll,FileProtocolHandler', url] }];
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return 'there is no graphical display (DISPLAY and WAYLAND_DISPLAY are unset) and BROWSER is not set';
  return [{ command: 'xdg-open', args: [url] }];
}

function launch(launcher: Launcher, env: NodeJS.ProcessEnv, graceMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (problem: string | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(problem);
    };
    const child = spawn(launcher.command, launcher.args, { env, detached: true, stdio: 'ignore' });
    const timer = setTimeout(() => {
      child.unref();
      settle(undefined);
    }, graceMs);
    child.once('error', (error: NodeJS.ErrnoException) => settle(error.code === 'ENOENT' ? `${launcher.command} is not installed` : `${launcher.command} failed: ${error.message}`));
    child.once('exit', (code, signal) => settle(code === 0 ? undefined : `${launcher.command} exited with ${code ?? signal}`));
  });
}

export async function openInBrowser(url: string, options: OpenOptions): Promise<OpenOutcome> {
  const env = withoutSecrets(options.env ?? process.env, options.secretVariables);
  const launchers = launchersFor(url, env, options.platform ?? process.platform);
  if (typeof launchers === 'string') return { opened: false, reason: launchers };
  const problems: string[] = [];
  for (const launcher of launchers) {
    const problem = await launch(launcher, env, options.graceMs ?? 2000);
    if (problem === undefined) return { opened: true, via: launcher.command };
    problems.push(problem);
  }
  return { opened: false, reason: problems.join('; ') };
}
