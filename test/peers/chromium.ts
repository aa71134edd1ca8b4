/**
 * Debian's real Chromium as the user's browser, through a wrapper script given as awsl's browser
 * path (awsl passes its arguments on). The wrapper adds what a test needs and a person's machine
 * does not: headless even for the "visible" window (there is no display here), a fixed DevTools
 * port through which the test acts as the person, a recording proxy for every non-loopback
 * request, and a marker in the environment by which the test finds every process of the browser.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, makeTempDir } from './process.js';

export const CHROMIUM = '/usr/bin/chromium';

export function available(): boolean {
  return existsSync(CHROMIUM);
}

export interface BrowserWrapper {
  /** The script to configure as awsl_browser_path. */
  path: string;
  /** Where the test connects to act as the person (the browser's DevTools port). */
  devToolsPort: number;
  /** The arguments awsl gave each browser it started, in order. */
  launches(): Promise<string[][]>;
  /** Resolves once awsl has started `count` browsers in all. */
  waitForLaunches(count: number, timeoutMs?: number): Promise<void>;
  /** PIDs of every live process of the browsers this wrapper started (renderers and helpers included). */
  processes(): Promise<number[]>;
  remove(): Promise<void>;
}

export async function createBrowserWrapper(options: { proxyUrl: string }): Promise<BrowserWrapper> {
  const temp = await makeTempDir('chromium-wrapper');
  const marker = randomBytes(8).toString('hex');
  const log = join(temp.path, 'launches');
  const path = join(temp.path, 'chromium');
  const devToolsPort = await freePort();
  // One argument per line, an empty line between launches; the last --remote-debugging-port wins.
  await writeFile(path, `#!/bin/sh
for arg in "$@"; do printf '%s\\n' "$arg"; done >> '${log}'
echo >> '${log}'
AWSL_TEST_BROWSER=${marker} exec ${CHROMIUM} "$@" --headless --remote-debugging-port=${devToolsPort} --proxy-server=${options.proxyUrl}
`, { mode: 0o700 });
  await writeFile(log, '');
  const launches = async () => {
    const text = await readFile(log, 'utf8');
    return text.split('\n\n').filter((block) => block.trim()).map((block) => block.split('\n').filter(Boolean));
  };
  return {
    path,
    devToolsPort,
    launches,
    async waitForLaunches(count, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while ((await launches()).length < count) {
        if (Date.now() > deadline) throw new Error(`awsl did not start browser number ${count} within ${timeoutMs} ms`);
        await sleep(50);
      }
    },
    async processes() {
      const found: number[] = [];
      for (const entry of await readdir('/proc')) {
        if (!/^\d+$/.test(entry)) continue;
        const environ = await readFile(`/proc/${entry}/environ`, 'latin1').catch(() => '');
        const state = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
        const zombie = /\) [ZX] /.test(state);
        if (!zombie && environ.split('\0').includes(`AWSL_TEST_BROWSER=${marker}`)) found.push(Number(entry));
      }
      return found;
    },
    remove: temp.remove,
  };
}
