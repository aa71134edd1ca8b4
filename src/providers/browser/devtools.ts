/**
 * Driving one browser run over the DevTools protocol (chrome-remote-interface, loaded here only):
 * every request to an AWS sign-in host is paused at the network layer; the SAMLResponse POST is
 * answered by awsl itself and every other such request fails, so nothing reaches AWS. The run
 * ends with the captured response, with "a person is needed" (headless: the IdP's page settled
 * without sending one), or with the window closed.
 */
import type CDP from 'chrome-remote-interface';
import { NetworkError } from '../../errors.js';
import type { Logger } from '../../ui/logger.js';
import { isAwsSamlEndpoint, isAwsSignInHost, samlResponseOfForm, SIGN_IN_URL_PATTERNS } from './capture.js';
import { BrowserFailedError, BrowserLoginTimeoutError } from './errors.js';
import type { SavedCookie } from './profile.js';

export type RunOutcome =
  | { kind: 'captured'; samlResponse: string; acsUrl: string; cookies: SavedCookie[] }
  | { kind: 'person-needed'; page: string }
  | { kind: 'closed' };

export interface RunOptions {
  endpoint: string;
  startUrl: string;
  cookies: readonly SavedCookie[];
  /** Headless: end with person-needed once the page settles without a capture. */
  headless: boolean;
  timeoutMs: number;
  /** The error for a run that reaches timeoutMs. */
  timeoutError: () => BrowserLoginTimeoutError;
  signal: AbortSignal;
  browserExited: Promise<void>;
  logger: Logger;
}

/** A page counts as settled this long after the browser reports its network idle (500 ms quiet). */
const SETTLED_MS = 500;

/** What the window shows once awsl has the assertion, until it closes; its own icon, or the browser would ask AWS for one. */
const CAPTURED_PAGE = Buffer.from('<!doctype html><title>awsl</title><link rel=icon href="data:,"><p>awsl has your AWS sign-in. This window closes now.</p>').toString('base64');

type Paused = Parameters<Parameters<CDP.Client['Fetch']['requestPaused']>[0]>[0];
type Cookie = Awaited<ReturnType<CDP.Client['Storage']['getCookies']>>['cookies'][number];

export async function runBrowserLogin(options: RunOptions): Promise<RunOutcome> {
  const { default: connect } = await import('chrome-remote-interface');
  let client: CDP.Client;
  try {
    client = await connect({ target: options.endpoint, local: true });
  } catch (error) {
    throw new BrowserFailedError(`awsl could not connect to the browser's DevTools endpoint: ${(error as Error).message}`, 'Try again; if it repeats, choose another browser with --browser-path.');
  }
  try {
    const outcome = await drive(client, options);
    if (outcome.kind === 'captured') outcome.cookies = await browserCookies(client, options.logger);
    return outcome;
  } finally {
    await client.close().catch(() => undefined);
  }
}

function drive(client: CDP.Client, options: RunOptions): Promise<RunOutcome> {
  const { logger, signal } = options;
  return new Promise<RunOutcome>((resolve, reject) => {
    let settled = false;
    let settleTimer: NodeJS.Timeout | undefined;
    const finish = (outcome: RunOutcome | Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      clearTimeout(settleTimer);
      signal.removeEventListener('abort', onAbort);
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const fail = (error: unknown) => finish(error instanceof Error ? error : new Error(String(error)));
    const deadline = setTimeout(() => finish(options.timeoutError()), options.timeoutMs);
    const onAbort = () => fail(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    void options.browserExited.then(() => finish({ kind: 'closed' }));
    client.on('disconnect', () => finish({ kind: 'closed' }));

    const pages = new Set<string>();
    client.on('Target.targetCreated', ({ targetInfo }) => {
      if (targetInfo.type === 'page') pages.add(targetInfo.targetId);
    });
    client.on('Target.targetDestroyed', ({ targetId }) => {
      if (pages.delete(targetId) && pages.size === 0) finish({ kind: 'closed' });
    });

    client.on('Fetch.requestPaused', (paused) => {
      onRequestPaused(client, paused, logger).then((samlResponse) => {
        if (samlResponse) finish({ kind: 'captured', samlResponse, acsUrl: paused.request.url, cookies: [] });
      }, fail);
    });

    void (async () => {
      await client.send('Fetch.enable', { patterns: SIGN_IN_URL_PATTERNS.map((urlPattern) => ({ urlPattern, requestStage: 'Request' as const })) });
      if (options.cookies.length > 0) await client.send('Storage.setCookies', { cookies: [...options.cookies] });
      await client.send('Target.setDiscoverTargets', { discover: true });
      const { targetId } = await client.send('Target.createTarget', { url: 'about:blank' });
      pages.add(targetId);
      const { sessionId } = await client.send('Target.attachToTarget', { targetId, flatten: true });
      let pageUrl = options.startUrl;
      if (options.headless) {
        await client.send('Page.enable', undefined, sessionId);
        await client.send('Page.setLifecycleEventsEnabled', { enabled: true }, sessionId);
        client.on('Page.frameNavigated', ({ frame }, from) => {
          if (from === sessionId && frame.id === targetId) pageUrl = frame.url;
        });
        client.on('Page.frameStartedLoading', ({ frameId }, from) => {
          if (from === sessionId && frameId === targetId) clearTimeout(settleTimer);
        });
        client.on('Page.lifecycleEvent', ({ frameId, name }, from) => {
          if (from !== sessionId || frameId !== targetId || name !== 'networkIdle') return;
          clearTimeout(settleTimer);
          settleTimer = setTimeout(() => finish({ kind: 'person-needed', page: withoutQuery(pageUrl) }), SETTLED_MS);
        });
      }
      const navigation = await client.send('Page.navigate', { url: options.startUrl }, sessionId);
      if (navigation.errorText) {
        throw new NetworkError(`The browser could not open the IdP's start page ${withoutQuery(options.startUrl)} (${navigation.errorText}).`,
          'Check the address (awsl_sso_url) and your network connection.');
      }
    })().catch((error: unknown) => {
      if (!settled) fail(error);
    });
  });
}

/** Answers a paused request to an AWS sign-in host; returns the SAMLResponse when it carried one. */
async function onRequestPaused(client: CDP.Client, { requestId, request }: Paused, logger: Logger): Promise<string | undefined> {
  if (!isAwsSignInHost(request.url)) {
    await client.send('Fetch.continueRequest', { requestId });
    return undefined;
  }
  const body = request.postData
    ?? request.postDataEntries?.map((entry) => Buffer.from(entry.bytes ?? '', 'base64').toString('utf8')).join('') ?? '';
  const samlResponse = request.method === 'POST' && isAwsSamlEndpoint(request.url) ? samlResponseOfForm(body) : undefined;
  if (!samlResponse) {
    logger.debug(`Blocked ${request.method} ${withoutQuery(request.url)}: awsl lets nothing reach AWS sign-in.`);
    await client.send('Fetch.failRequest', { requestId, errorReason: 'BlockedByClient' });
    return undefined;
  }
  logger.debug(`Captured the SAMLResponse POST to ${request.url}; it was not sent.`);
  await client.send('Fetch.fulfillRequest', {
    requestId, responseCode: 200, body: CAPTURED_PAGE,
    responseHeaders: [{ name: 'Content-Type', value: 'text/html; charset=utf-8' }, { name: 'Cache-Control', value: 'no-store' }],
  });
  return samlResponse;
}

/**
 * Every cookie the browser holds: the session ones (no expiry) it would drop on exit, and the
 * persistent ones too, so that a browser that is killed rather than closed loses none.
 */
async function browserCookies(client: CDP.Client, logger: Logger): Promise<SavedCookie[]> {
  try {
    const { cookies } = await client.send('Storage.getCookies', {});
    return cookies.map(savedCookie);
  } catch (error) {
    logger.debug(`Could not read the browser's cookies: ${(error as Error).message}`);
    return [];
  }
}

function savedCookie(cookie: Cookie): SavedCookie {
  const common = {
    name: cookie.name, value: cookie.value, path: cookie.path, secure: cookie.secure, httpOnly: cookie.httpOnly, sameSite: cookie.sameSite,
    ...(cookie.session ? {} : { expires: cookie.expires }),
  };
  // A host-only cookie is set back through its URL: a domain would widen it to subdomains.
  return cookie.domain.startsWith('.')
    ? { ...common, domain: cookie.domain }
    : { ...common, url: `${cookie.secure ? 'https' : 'http'}://${cookie.domain}${cookie.path}` };
}

function withoutQuery(url: string): string {
  return url.replace(/[?#].*$/, '');
}
