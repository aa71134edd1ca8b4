/**
 * Asks the AWS sign-in federation endpoint for a sign-in token. The request carries the secret
 * key and the reply a token that opens the console: neither is ever logged.
 */
import { AwslError, ExitCode } from '../errors.js';
import type { HttpClient } from '../http.js';
import { normaliseServiceUrl } from '../settings.js';
import type { Partition } from '../saml/response.js';
import type { Logger } from '../ui/logger.js';
import { federationEndpoint, signinTokenRequestUrl } from './console-url.js';

/** Tests and private proxies only: where awsl asks for the sign-in token (https, or http on loopback). */
export const FEDERATION_URL_VARIABLE = 'AWSL_FEDERATION_URL';

/** AWS sign-in refused the credentials, or answered something unusable. */
export class FederationError extends AwslError {
  readonly exitCode = ExitCode.StsRefused;
}

/** The endpoint awsl asks for the token: AWSL_FEDERATION_URL, else the partition's own. */
export function tokenEndpoint(partition: Partition, env: NodeJS.ProcessEnv = process.env): string {
  const override = env[FEDERATION_URL_VARIABLE];
  return override ? normaliseServiceUrl(override, FEDERATION_URL_VARIABLE) : federationEndpoint(partition);
}

export interface SigninTokenRequest {
  http: HttpClient;
  endpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
  sessionDurationSeconds?: number;
  logger: Logger;
  signal?: AbortSignal;
}

export async function requestSigninToken(request: SigninTokenRequest): Promise<string> {
  const host = new URL(request.endpoint).host;
  request.logger.debug(`Asking ${request.endpoint} for a console sign-in token (Action=getSigninToken${request.sessionDurationSeconds ? `, SessionDuration=${request.sessionDurationSeconds}` : ''}; session redacted).`);
  const reply = await request.http.send({
    method: 'GET',
    url: signinTokenRequestUrl(request.endpoint, request.credentials, request.sessionDurationSeconds),
    headers: { accept: 'application/json' },
    signal: request.signal,
    readTimeoutMs: 30_000,
  });
  request.logger.debug(`The sign-in endpoint answered HTTP ${reply.status} (${reply.contentType || 'no content type'}).`);
  if (reply.status !== 200) {
    const hint = reply.status === 400 || reply.status === 401 || reply.status === 403
      ? 'AWS did not accept the credentials for a console session: log in again (awsl login), or shorten --duration.'
      : 'Try again in a minute.';
    throw new FederationError(`AWS sign-in (${host}) refused the console sign-in token request: HTTP ${reply.status}.`, hint);
  }
  let token: unknown;
  try {
    token = (JSON.parse(reply.body) as { SigninToken?: unknown }).SigninToken;
  } catch {
    token = undefined;
  }
  if (typeof token !== 'string' || token === '') {
    throw new FederationError(`AWS sign-in (${host}) answered without a sign-in token.`,
      `Check that ${request.endpoint} is an AWS federation endpoint (${FEDERATION_URL_VARIABLE} overrides it).`);
  }
  return token;
}
