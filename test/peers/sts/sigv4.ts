/**
 * Server-side check of an AWS Signature Version 4 Authorization header, so that credentials
 * written with a wrong secret fail here as they would at AWS.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export interface SigV4Authorization {
  accessKeyId: string;
  /** YYYYMMDD of the credential scope. */
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

export function parseAuthorization(header: string | undefined): SigV4Authorization | undefined {
  const match = /^AWS4-HMAC-SHA256\s+Credential=([^/\s,]+)\/(\d{8})\/([^/\s,]+)\/([^/\s,]+)\/aws4_request,\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/.exec(header ?? '');
  if (!match) return undefined;
  const [, accessKeyId = '', date = '', region = '', service = '', signedHeaders = '', signature = ''] = match;
  return { accessKeyId, date, region, service, signedHeaders: signedHeaders.split(';'), signature };
}

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest();
const rfc3986 = (s: string): string => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function canonicalQuery(search: URLSearchParams): string {
  return [...search].map(([k, v]) => [rfc3986(k), rfc3986(v)])
    .sort(([a = '', b = ''], [c = '', d = '']) => (a < c ? -1 : a > c ? 1 : b < d ? -1 : b > d ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`).join('&');
}

export function signatureMatches(
  request: { method: string; url: URL; headers: IncomingHttpHeaders; body: Buffer },
  auth: SigV4Authorization,
  secretAccessKey: string,
): boolean {
  const amzDate = String(request.headers['x-amz-date'] ?? '');
  if (!auth.signedHeaders.includes('host') || !amzDate.startsWith(auth.date)) return false;
  const canonicalHeaders = auth.signedHeaders.map((name) => {
    const value = request.headers[name];
    return `${name}:${(Array.isArray(value) ? value.join(',') : value ?? '').trim().replace(/\s+/g, ' ')}\n`;
  }).join('');
  const payloadHash = String(request.headers['x-amz-content-sha256'] ?? sha256(request.body));
  const canonicalRequest = [request.method, request.url.pathname, canonicalQuery(request.url.searchParams),
    canonicalHeaders, auth.signedHeaders.join(';'), payloadHash].join('\n');
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  const key = [auth.date, auth.region, auth.service, 'aws4_request'].reduce<Buffer | string>((k, part) => hmac(k, part), `AWS4${secretAccessKey}`);
  const expected = Buffer.from(hmac(key, stringToSign).toString('hex'));
  const given = Buffer.from(auth.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
