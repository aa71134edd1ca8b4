/**
 * The one HTTP client: a short connect timeout, a long read timeout (a push to a phone holds the
 * request open), proxies from the environment, the AWS CA bundle, a size limit on every reply, an optional
 * cookie jar, and never a followed redirect.
 *
 * Two transports behind it: with a proxy in the environment, undici's EnvHttpProxyAgent (which
 * also honours NO_PROXY); without one, Node's own http/https, because undici is a megabyte of
 * code that every login would otherwise compile (~70 ms) for nothing.
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { CookieJar } from 'tough-cookie';
import { NetworkError } from './errors.js';
import { readCaBundle } from './state/ca-bundle.js';
import type { Logger } from './ui/logger.js';
import type { WaitIndicator } from './ui/wait-indicator.js';

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** Cookies are sent from and stored into this jar. */
  cookieJar?: CookieJar;
  /** How long the server may take to answer; undefined means the client default. */
  readTimeoutMs?: number;
  /** More headers to keep out of the debug log (a passcode header with a configured name). */
  secretHeaders?: string[];
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The media type without parameters, lower case ('' when absent). */
  contentType: string;
  body: string;
}

export interface HttpClient {
  send(request: HttpRequest): Promise<HttpResponse>;
}

export interface HttpClientOptions {
  /** PEM file of extra trusted CAs (AWS_CA_BUNDLE or the profile's awsl_ca_bundle). */
  caBundlePath?: string;
  /** false only when the user opted out for this IdP. */
  verifyTls?: boolean;
  connectTimeoutMs?: number;
  readTimeoutMs?: number;
  maxResponseBytes?: number;
  logger?: Logger;
  /** Shows which host a slow request waits for (on a terminal only). */
  waiting?: WaitIndicator;
  /**
   * The URLs are awsl's own (AWS's sign-in service), not one the person gave: a failure's hint does
   * not send them to check a URL.
   */
  builtInUrls?: boolean;
  /** The run's environment: proxies (HTTPS_PROXY, NO_PROXY, …) and the timeout overrides. */
  env?: NodeJS.ProcessEnv;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/** Long enough for a push or phone call of a second factor, which the IdP holds open until answered. */
export const DEFAULT_READ_TIMEOUT_MS = 180_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

/** Providers name their own secret headers in each request (HttpRequest.secretHeaders). */
const SECRET_HEADERS = new Set(['authorization', 'cookie', 'set-cookie']);
/** Query parameters whose values never reach the debug log (the console sign-in request carries the secret key in Session). */
const SECRET_QUERY = /^session$|token|secret|password|passcode|otp|saml|signature|credential|^code$|^key$/i;

/**
 * For tests and unusual networks: milliseconds that replace every connect / read timeout
 * (a loopback test cannot wait 10 s for a connect or 180 s for a read).
 */
export const CONNECT_TIMEOUT_VARIABLE = 'AWSL_HTTP_CONNECT_TIMEOUT_MS';
export const READ_TIMEOUT_VARIABLE = 'AWSL_HTTP_READ_TIMEOUT_MS';

function timeoutOverride(env: NodeJS.ProcessEnv, variable: string): number | undefined {
  const value = env[variable];
  return value && /^\d{1,9}$/.test(value) && Number(value) > 0 ? Number(value) : undefined;
}

/** The URL as the debug log shows it: values of secret-looking query parameters replaced. */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '[unparsable URL]';
  }
  if (parsed.username || parsed.password) parsed.username = parsed.password = '';
  for (const name of [...new Set(parsed.searchParams.keys())]) {
    if (SECRET_QUERY.test(name)) parsed.searchParams.set(name, '[redacted]');
  }
  return parsed.toString().replace(/%5Bredacted%5D/g, '[redacted]');
}

/** What a transport hands back: status, headers and the body as a stream of chunks. */
interface RawReply {
  status: number;
  headers: IncomingHttpHeaders;
  body: AsyncIterable<Buffer> & { destroy(): void };
}

interface TransportRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  readTimeoutMs: number;
}

type Transport = (request: TransportRequest) => Promise<RawReply>;

interface TlsOptions {
  connectTimeoutMs: number;
  rejectUnauthorized: boolean;
  ca?: string;
}

/**
 * What undici's EnvHttpProxyAgent would read from process.env, in its order, read from the run's
 * environment instead; '' (not undefined) when unset, or undici would look in process.env after all.
 */
function proxySettings(env: NodeJS.ProcessEnv): { httpProxy: string; httpsProxy: string; noProxy: string } {
  const first = (...names: string[]) => names.map((name) => env[name]).find((value) => value !== undefined) ?? '';
  return { httpProxy: first('http_proxy', 'HTTP_PROXY'), httpsProxy: first('https_proxy', 'HTTPS_PROXY'), noProxy: first('no_proxy', 'NO_PROXY') };
}

export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const env = options.env ?? process.env;
  const ca = options.caBundlePath ? readCaBundle(options.caBundlePath) : undefined;
  const tls: TlsOptions = {
    connectTimeoutMs: timeoutOverride(env, CONNECT_TIMEOUT_VARIABLE) ?? options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    rejectUnauthorized: options.verifyTls !== false,
    ...(ca ? { ca } : {}),
  };
  const proxies = proxySettings(env);
  const transport = proxies.httpProxy || proxies.httpsProxy ? undiciTransport(tls, proxies) : nodeTransport(tls);
  const caBundle = ca ? options.caBundlePath : undefined;
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const logger = options.logger;

  return {
    async send(req: HttpRequest): Promise<HttpResponse> {
      const headers: Record<string, string> = { 'user-agent': 'awsl', ...req.headers };
      if (req.cookieJar) {
        const cookie = await req.cookieJar.getCookieString(req.url);
        if (cookie) headers.cookie = cookie;
      }
      logger?.debug(`→ ${req.method} ${redactUrl(req.url)} ${formatHeaders(headers, req.secretHeaders)}`);
      const readTimeoutMs = timeoutOverride(env, READ_TIMEOUT_VARIABLE) ?? req.readTimeoutMs ?? options.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS;
      let reply: RawReply;
      let body: string;
      const answered = options.waiting?.waitingFor(new URL(req.url).host);
      try {
        reply = await transport({ method: req.method, url: req.url, headers, body: req.body, signal: req.signal, readTimeoutMs });
        body = await readLimited(reply.body, maxBytes, req.url);
      } catch (error) {
        // Ctrl-C's abort is not a network failure; neither is the size limit, already typed.
        if (req.signal?.aborted || error instanceof NetworkError) throw error;
        throw toNetworkError(error, req.url, { caBundle, builtInUrl: options.builtInUrls === true });
      } finally {
        answered?.();
      }
      if (req.cookieJar) {
        for (const setCookie of asArray(reply.headers['set-cookie'])) {
          await req.cookieJar.setCookie(setCookie, req.url, { ignoreError: true });
        }
      }
      const contentType = (String(reply.headers['content-type'] ?? '').split(';')[0] ?? '').trim().toLowerCase();
      logger?.debug(`← ${reply.status} ${redactUrl(req.url)} ${formatHeaders(reply.headers)} (${body.length} bytes)`);
      return { status: reply.status, headers: reply.headers, contentType, body };
    },
  };
}

/** An error with the code undici would give, so that toNetworkError reads both transports alike. */
function timeoutError(code: 'UND_ERR_CONNECT_TIMEOUT' | 'UND_ERR_HEADERS_TIMEOUT' | 'UND_ERR_BODY_TIMEOUT'): Error {
  return Object.assign(new Error(code === 'UND_ERR_CONNECT_TIMEOUT' ? 'connect timed out' : 'read timed out'), { code });
}

function nodeTransport(tls: TlsOptions): Transport {
  return async (request) => {
    const url = new URL(request.url);
    const { request: send } = url.protocol === 'https:' ? await import('node:https') : await import('node:http');
    return new Promise<RawReply>((resolve, reject) => {
      const outgoing = send(url, {
        method: request.method,
        headers: request.body === undefined ? request.headers : { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) },
        signal: request.signal,
        // One connection per request: awsl makes one or two per host, and an idle keep-alive
        // socket would only hold the process open.
        agent: false,
        rejectUnauthorized: tls.rejectUnauthorized,
        ...(tls.ca ? { ca: tls.ca } : {}),
      });
      let response: IncomingMessage | undefined;
      const connectTimer = setTimeout(() => outgoing.destroy(timeoutError('UND_ERR_CONNECT_TIMEOUT')), tls.connectTimeoutMs);
      outgoing.once('socket', (socket) => {
        const connected = () => {
          clearTimeout(connectTimer);
          // From here on, silence longer than the read timeout (before or during the body) fails.
          socket.setTimeout(request.readTimeoutMs, () => {
            const error = timeoutError(response ? 'UND_ERR_BODY_TIMEOUT' : 'UND_ERR_HEADERS_TIMEOUT');
            response?.destroy(error);
            outgoing.destroy(error);
          });
        };
        if (!socket.connecting) connected();
        else socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', connected);
      });
      outgoing.once('error', (error) => {
        clearTimeout(connectTimer);
        reject(error);
      });
      outgoing.once('response', (incoming) => {
        response = incoming;
        resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: incoming });
      });
      outgoing.end(request.body);
    });
  };
}

function undiciTransport(tls: TlsOptions, proxies: ReturnType<typeof proxySettings>): Transport {
  const connect = { timeout: tls.connectTimeoutMs, rejectUnauthorized: tls.rejectUnauthorized, ...(tls.ca ? { ca: tls.ca } : {}) };
  let agent: Promise<{ request: typeof import('undici').request; dispatcher: import('undici').Dispatcher }> | undefined;
  return async (request) => {
    // undici is CommonJS: its exports arrive as the default export once bundled.
    agent ??= import('undici').then(({ default: undici }) => ({
      request: undici.request,
      dispatcher: new undici.EnvHttpProxyAgent({ ...proxies, connect, requestTls: connect, proxyTls: connect }),
    }));
    const { request: undiciRequest, dispatcher } = await agent;
    const reply = await undiciRequest(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: request.signal,
      dispatcher,
      headersTimeout: request.readTimeoutMs,
      bodyTimeout: request.readTimeoutMs,
      maxRedirections: 0,
    } as Parameters<typeof undiciRequest>[1]);
    return { status: reply.statusCode, headers: reply.headers as IncomingHttpHeaders, body: reply.body as unknown as RawReply['body'] };
  };
}

async function readLimited(body: RawReply['body'], maxBytes: number, url: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      body.destroy();
      throw new NetworkError(`The reply from ${new URL(url).host} is larger than ${maxBytes} bytes; awsl stopped reading it.`,
        'Check that the URL points at the right service.');
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function asArray(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function formatHeaders(headers: Record<string, string | string[] | undefined>, extraSecrets: string[] = []): string {
  const secret = (name: string) => SECRET_HEADERS.has(name.toLowerCase()) || extraSecrets.some((extra) => extra.toLowerCase() === name.toLowerCase());
  const shown = Object.entries(headers).map(([name, value]) => `${name}: ${secret(name) ? '[redacted]' : String(value)}`);
  return `{${shown.join('; ')}}`;
}

const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_NOT_YET_VALID',
  'ERR_SSL_WRONG_VERSION_NUMBER', 'EPROTO',
]);

/** Turns undici's and Node's network failures into one typed error that names the host and the fix. */
function toNetworkError(error: unknown, url: string, { caBundle, builtInUrl }: { caBundle?: string; builtInUrl: boolean }): Error {
  if (error instanceof Error && error.name === 'AbortError') return error;
  const host = new URL(url).host;
  const theUrlAnd = builtInUrl ? '' : 'the URL and ';
  const cause = (error as { cause?: { code?: string } }).cause;
  const code = (error as { code?: string }).code ?? cause?.code ?? '';
  if (code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new NetworkError(`Timed out connecting to ${host}.`, `Check ${builtInUrl ? '' : 'the URL, '}your network and any proxy settings (HTTPS_PROXY, NO_PROXY).`, { cause: error });
  }
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return new NetworkError(`${host} did not answer in time.`, 'Try again; if it keeps happening, the service may be down.', { cause: error });
  }
  if (code === 'ECONNREFUSED') {
    return new NetworkError(`Connection refused by ${host}.`, builtInUrl ? 'Check your network and any proxy settings (HTTPS_PROXY, NO_PROXY).' : 'Check the URL and port, and that the service is running.', { cause: error });
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new NetworkError(`Cannot resolve the host name ${host}.`, `Check ${theUrlAnd}your DNS or VPN.`, { cause: error });
  }
  if (TLS_CODES.has(code) || /certificate|TLS|SSL/i.test((error as Error).message ?? '')) {
    return new NetworkError(`TLS verification failed for ${host}: ${(error as Error).message} (${code || 'TLS'}).`,
      caBundle
        ? `The CA bundle ${caBundle} does not hold the CA that signed ${host}'s certificate: add it, or point AWS_CA_BUNDLE / awsl_ca_bundle at the right PEM file.`
        : 'If your organisation uses its own CA, point AWS_CA_BUNDLE or the profile setting awsl_ca_bundle at its PEM file.', { cause: error });
  }
  return new NetworkError(`Request to ${host} failed: ${(error as Error).message ?? String(error)}${code ? ` (${code})` : ''}.`,
    `Check ${theUrlAnd}your network.`, { cause: error });
}
