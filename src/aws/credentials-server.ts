/**
 * `awsl exec --server`: a credentials endpoint on loopback in the form of ECS's container endpoint,
 * which every AWS SDK and the AWS CLI read from AWS_CONTAINER_CREDENTIALS_FULL_URI with
 * AWS_CONTAINER_AUTHORIZATION_TOKEN. A long-running child asks it again whenever its credentials
 * near expiry, instead of holding keys that die under it; each request gets `fresh()`'s answer.
 *
 * Only this machine's programs that hold the random token are answered: the server listens on
 * 127.0.0.1 only, refuses any peer that is not loopback, any Host but its own (a web page cannot
 * reach it through DNS rebinding) and any request without the exact token.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseRoleArn } from './arn.js';
import { isoSeconds } from './credential-process.js';
import type { AwsCredentials } from './credential-store.js';
import type { Logger } from '../ui/logger.js';

export interface CredentialsServer {
  /** For AWS_CONTAINER_CREDENTIALS_FULL_URI. */
  url: string;
  /** For AWS_CONTAINER_AUTHORIZATION_TOKEN. */
  token: string;
  close(): Promise<void>;
}

const PATH = '/credentials';

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 addresses. */
export function isLoopbackAddress(address: string | undefined): boolean {
  const ipv4 = address?.replace(/^::ffff:/i, '') ?? '';
  return address === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(ipv4);
}

export async function startCredentialsServer(fresh: () => Promise<AwsCredentials>, logger: Logger): Promise<CredentialsServer> {
  // Loaded here, not at the top: node:http and its half-dozen parts cost every other command's start.
  const { createServer } = await import('node:http');
  const token = randomBytes(32).toString('base64url');
  let host = '';
  const server = createServer((request, response) => {
    void answer(request, response).catch((error: unknown) => {
      logger.warn(`the credentials endpoint failed: ${(error as Error).message}`);
      if (!response.headersSent) reply(response, 500, { Code: 'InternalError', Message: 'awsl could not answer.' });
    });
  });

  async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!isLoopbackAddress(request.socket.remoteAddress)) {
      return reply(response, 403, { Code: 'AccessDenied', Message: 'Only programs on this machine may ask awsl for credentials.' });
    }
    if (request.headers.host !== host) return reply(response, 403, { Code: 'AccessDenied', Message: `Ask ${host}, by that name.` });
    if (request.method !== 'GET' || request.url !== PATH) return reply(response, 404, { Code: 'NotFound', Message: `GET ${PATH} is the only request here.` });
    if (!tokenMatches(request.headers.authorization, token)) {
      return reply(response, 401, { Code: 'Unauthorized', Message: 'The Authorization header is not this endpoint\'s AWS_CONTAINER_AUTHORIZATION_TOKEN.' });
    }
    let credentials: AwsCredentials;
    try {
      credentials = await fresh();
    } catch (error) {
      // The child sees why in its SDK's error; the person sees it here.
      const message = (error as Error).message;
      logger.warn(`could not give the command fresh credentials: ${message}`);
      return reply(response, 500, { Code: (error as Error).name, Message: message });
    }
    const accountId = parseRoleArn(credentials.roleArn)?.accountId;
    reply(response, 200, {
      AccessKeyId: credentials.accessKeyId,
      SecretAccessKey: credentials.secretAccessKey,
      Token: credentials.sessionToken,
      Expiration: isoSeconds(credentials.expiration),
      ...(credentials.roleArn ? { RoleArn: credentials.roleArn } : {}),
      ...(accountId ? { AccountId: accountId } : {}),
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  host = `127.0.0.1:${port}`;
  return {
    url: `http://${host}${PATH}`,
    token,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function reply(response: ServerResponse, status: number, body: Record<string, string>): void {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}
