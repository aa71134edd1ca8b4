/**
 * The person at the browser window, acting through the DevTools protocol on the port the test's
 * browser wrapper opens: waits for the IdP's login form, types into it, or closes the window.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import CDP from 'chrome-remote-interface';
import { available as chromiumAvailable, createBrowserWrapper, type BrowserWrapper } from '../../peers/chromium.js';
import { startForwardProxy, type ForwardProxy } from '../../peers/proxy.js';
import { requirePeer } from '../../support/peers.js';

/** The browser listens on IPv4 loopback only; "localhost" may resolve to ::1 first. */
const HOST = '127.0.0.1';
const FORM = `Boolean(document.querySelector('input[name=username]') && document.querySelector('input[name=password]'))`;

export interface Person {
  /** Waits until a page of the browser shows the IdP's username and password form. */
  waitForForm(timeoutMs?: number): Promise<void>;
  logIn(username: string, password: string): Promise<void>;
  /** Closes every page, as a person closing the window does. */
  closeWindow(): Promise<void>;
  /** What the form's page says (for an error message a person would read). */
  pageText(): Promise<string>;
}

export function personAt(port: number): Person {
  let page: CDP.Client | undefined;
  const evaluate = async <T>(client: CDP.Client, expression: string): Promise<T> =>
    (await client.Runtime.evaluate({ expression, returnByValue: true, awaitPromise: true })).result.value as T;

  const waitForForm = async (timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const targets = await CDP.List({ host: HOST, port }).catch(() => []);
      for (const target of targets.filter((candidate) => candidate.type === 'page')) {
        const client = await CDP({ host: HOST, port, target: target.id, local: true }).catch(() => undefined);
        if (!client) continue;
        if (await evaluate<boolean>(client, FORM).catch(() => false)) {
          await page?.close();
          page = client;
          return;
        }
        await client.close();
      }
      if (Date.now() > deadline) throw new Error(`No page showed the IdP's login form within ${timeoutMs} ms`);
      await sleep(100);
    }
  };

  return {
    waitForForm,
    async logIn(username, password) {
      if (!page) await waitForForm();
      const client = page!;
      page = undefined;
      await evaluate(client, `(() => {
        document.querySelector('input[name=username]').value = ${JSON.stringify(username)};
        document.querySelector('input[name=password]').value = ${JSON.stringify(password)};
        document.querySelector('input[name=password]').form.submit();
      })()`);
      await client.close();
    },
    async closeWindow() {
      await page?.close();
      page = undefined;
      for (const target of (await CDP.List({ host: HOST, port })).filter((candidate) => candidate.type === 'page')) {
        await CDP.Close({ host: HOST, port, id: target.id });
      }
    },
    async pageText() {
      if (!page) await waitForForm();
      return evaluate<string>(page!, 'document.body.innerText');
    },
  };
}

/** Debian's chromium behind a recording proxy, and the person at its window. */
export interface BrowserAtHand {
  proxy: ForwardProxy;
  browser: BrowserWrapper;
  person: Person;
  stop(): Promise<void>;
}

/** Starts them in a before() hook; skips (or fails in CI) without chromium. */
export async function startBrowserAtHand(context: Mocha.Context): Promise<BrowserAtHand> {
  requirePeer(context, chromiumAvailable(), 'Debian chromium at /usr/bin/chromium');
  const proxy = await startForwardProxy();
  const browser = await createBrowserWrapper({ proxyUrl: proxy.url });
  return {
    proxy, browser, person: personAt(browser.devToolsPort),
    async stop() {
      await browser.remove();
      await proxy.stop();
    },
  };
}
