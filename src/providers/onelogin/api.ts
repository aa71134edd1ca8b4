/**
 * The OneLogin API calls awsl makes: the client-credentials token, saml_assertion and
 * verify_factor, always on the API host awsl chose (never a callback_url from a reply: OneLogin
 * may name a host in another region, which then rejects the state token).
 */
import type { HttpClient } from '../../http.js';
import type { OneLoginProfile } from './descriptor.js';
import { clientRefusedError, notJsonError, rateLimitedError, serverError, unexpectedReplyError } from './explain.js';
import {
  classifyFailure, envelopeError, parseJson, readAccessToken, readFailure, readSamlReply,
  type AccessToken, type ApiFailure, type RefusalKind, type SamlReply,
} from './replies.js';

export interface ApiConnection {
  http: HttpClient;
  /** Without a trailing slash; may carry a path prefix (a proxy). */
  baseUrl: string;
  settings: OneLoginProfile;
  signal: AbortSignal;
}

export type Outcome = { ok: true; reply: SamlReply } | { ok: false; kind: RefusalKind; failure: ApiFailure };

export interface TokenSource {
  get(): Promise<{ value: string; fromCache: boolean }>;
  /** Forgets a token the API refused. */
  discard(): Promise<void>;
}

export interface SamlAssertionRequest {
  username_or_email: string;
  password: string;
  app_id: string;
  subdomain: string;
  ip_address?: string;
}

export interface VerifyFactorRequest {
  app_id: string;
  device_id: string;
  state_token: string;
  otp_token?: string;
  /** false sends a push or SMS; true only asks whether the user answered. */
  do_not_notify: boolean;
}

export interface OneLoginApi {
  samlAssertion(request: SamlAssertionRequest): Promise<Outcome>;
  verifyFactor(request: VerifyFactorRequest): Promise<Outcome>;
}

/** `awsl_onelogin_api_url`, or OneLogin's regional API host. */
export function apiBaseUrl(settings: OneLoginProfile): string {
  return (settings.oneloginApiUrl ?? `https://api.${settings.oneloginRegion}.onelogin.com`).replace(/\/+$/, '');
}

/** Posts JSON; rate limits, server errors and non-JSON bodies end here as errors. */
async function exchange(connection: ApiConnection, path: string, authorization: string, body: object, tokenRequest: boolean) {
  const url = `${connection.baseUrl}${path}`;
  const response = await connection.http.send({
    method: 'POST',
    url,
    headers: { authorization, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
    signal: connection.signal,
  });
  const json = parseJson(response.body);
  if (response.status === 429) throw rateLimitedError(firstHeader(response.headers['x-ratelimit-reset']));
  if (response.status >= 500) throw serverError(readFailure(response.status, json), tokenRequest);
  if (json === undefined) throw notJsonError(response.status, response.contentType, url);
  return { url, status: response.status, json };
}

const firstHeader = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export async function requestAccessToken(connection: ApiConnection, clientId: string, clientSecret: string): Promise<AccessToken> {
  // The documented header form; OneLogin also takes HTTP Basic.
  const authorization = `client_id:${clientId}, client_secret:${clientSecret}`;
  const { url, status, json } = await exchange(connection, '/auth/oauth2/v2/token', authorization, { grant_type: 'client_credentials' }, true);
  if (status >= 300) throw clientRefusedError(readFailure(status, json), connection.settings);
  const token = readAccessToken(json);
  if (!token) throw unexpectedReplyError('the token request', url);
  return token;
}

export function createOneLoginApi(connection: ApiConnection, tokens: TokenSource): OneLoginApi {
  const post = async (path: string, body: object, token: string): Promise<Outcome> => {
    const { url, status, json } = await exchange(connection, path, `bearer:${token}`, body, false);
    const failure = status >= 300 ? readFailure(status, json) : envelopeError(json);
    if (failure) {
      const kind = classifyFailure(failure);
      if (kind === 'rate-limited') throw rateLimitedError(undefined);
      if (kind === 'server') throw serverError(failure, false);
      return { ok: false, kind, failure };
    }
    const reply = readSamlReply(json);
    if (!reply) throw unexpectedReplyError(path, url);
    return { ok: true, reply };
  };
  const call = async (path: string, body: object): Promise<Outcome> => {
    const token = await tokens.get();
    const outcome = await post(path, body, token.value);
    if (outcome.ok || outcome.kind !== 'bad-token' || !token.fromCache) return outcome;
    // A cached token may have been revoked: fetch a fresh one, once.
    await tokens.discard();
    return post(path, body, (await tokens.get()).value);
  };
  const version = connection.settings.oneloginApiVersion;
  return {
    samlAssertion: (request) => call(`/api/${version}/saml_assertion`, request),
    verifyFactor: (request) => call(`/api/${version}/saml_assertion/verify_factor`, request),
  };
}
