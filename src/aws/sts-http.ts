/**
 * The AWS SDK's HTTP handler for STS, replaced by awsl's own client (src/http.ts), so that the
 * call to STS gets what every other awsl request gets: HTTPS_PROXY / HTTP_PROXY / NO_PROXY (the
 * SDK for JavaScript ignores them), AWS_CA_BUNDLE, a short connect and a bounded read timeout
 * (the SDK's NodeHttpHandler has no read timeout by default) and the 1 MiB reply limit (it reads
 * any reply whole into memory). The SDK still resolves the endpoint, serialises, retries and parses.
 */
import { StsError } from '../errors.js';
import type { HttpClient, HttpRequest, HttpResponse } from '../http.js';

/** What the SDK hands a request handler (@smithy/protocol-http HttpRequest). */
interface SdkHttpRequest {
  method: string;
  protocol: string;
  hostname: string;
  port?: number;
  path: string;
  query?: Record<string, string | (string | null)[] | null>;
  headers: Record<string, string>;
  body?: unknown;
}

/** The headers undici sets itself from the URL and the body. */
const DROPPED_HEADERS = new Set(['host', 'content-length', 'connection', 'transfer-encoding', 'expect']);

/**
 * A proxy, captive portal or wrong endpoint answers HTML or plain text, on which the SDK reports an
 * XML parse error and its own internals: say what came back instead. XML goes on to the SDK.
 */
function checkStsReply(reply: HttpResponse, url: string, endpointSource: string): void {
  const body = reply.body.trimStart();
  const html = reply.contentType === 'text/html' || /^<(!doctype html|html)/i.test(body);
  if (!html && body.startsWith('<')) return;
  const title = /<title>([^<]{0,120})<\/title>/i.exec(body)?.[1]?.trim();
  const what = html ? `an HTML page (HTTP ${reply.status}${title ? `, "${title}"` : ''})` : `${body === '' ? 'an empty reply' : 'a reply that is not XML'} (HTTP ${reply.status})`;
  throw new StsError('NotAnStsReply', `AWS STS at ${new URL(url).host}${endpointSource} answered ${what}, not an STS reply.`,
    'A proxy or captive portal may be in the way: check HTTPS_PROXY / NO_PROXY and the STS endpoint (AWS_ENDPOINT_URL_STS, the profile\'s endpoint_url).');
}

/** `endpointSource` names where the endpoint came from (" (from AWS_ENDPOINT_URL_STS)"), or ''. */
export function sdkRequestHandler(http: HttpClient, endpointSource = '') {
  return {
    metadata: { handlerProtocol: 'http/1.1' },
    async handle(request: SdkHttpRequest, options: { abortSignal?: unknown } = {}) {
      const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => !DROPPED_HEADERS.has(name.toLowerCase())));
      const url = sdkUrl(request);
      const reply = await http.send({
        method: request.method.toUpperCase() as HttpRequest['method'],
        url,
        headers,
        body: bodyText(request.body),
        signal: options.abortSignal instanceof AbortSignal ? options.abortSignal : undefined,
      });
      checkStsReply(reply, url, endpointSource);
      const replyHeaders: Record<string, string> = {};
      for (const [name, value] of Object.entries(reply.headers)) {
        if (value !== undefined) replyHeaders[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
      }
      return { response: { statusCode: reply.status, headers: replyHeaders, body: new Uint8Array(Buffer.from(reply.body, 'utf8')) } };
    },
    updateHttpClientConfig(): void {},
    httpHandlerConfigs(): Record<string, never> {
      return {};
    },
    destroy(): void {},
  };
}

function sdkUrl(request: SdkHttpRequest): string {
  const host = request.hostname.includes(':') && !request.hostname.startsWith('[') ? `[${request.hostname}]` : request.hostname;
  const url = new URL(`${request.protocol.replace(/:?$/, ':')}//${host}${request.port ? `:${request.port}` : ''}${request.path}`);
  for (const [name, value] of Object.entries(request.query ?? {})) {
    for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(name, item ?? '');
  }
  return url.toString();
}

function bodyText(body: unknown): string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  throw new TypeError('awsl\'s STS handler sends only string or byte bodies');
}
