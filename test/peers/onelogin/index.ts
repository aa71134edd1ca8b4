/**
 * Stand-in for OneLogin's API, written from its v1/v2 docs and OneLogin's SDK fixtures:
 * client-credentials tokens, saml_assertion and verify_factor. It enforces the contract (the
 * client-credential forms, required fields and their types, bearer validity, state-token
 * lifetime, do_not_notify: a push or SMS goes out only when it is false, SMS and Protect pending
 * states) and counts what it receives, so tests see round trips, token requests and notifications.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { onStopAll } from '../process.js';
import { buildSamlResponse, readBody, startLoopbackServer } from '../saml-fixtures.js';
import { failure, invalidField, mfaRequired, pending, success, type ApiVersion, type Reply } from './shapes.js';

export const DEVICE = {
  googleAuthenticator: 'Google Authenticator',
  yubiKey: 'Yubico YubiKey',
  duo: 'Duo Duo Security',
  sms: 'OneLogin SMS',
  protect: 'OneLogin Protect',
} as const;

export interface StandInDevice {
  id: number;
  type: string;
  /** The code the device shows (OTP types, Protect's app), or the code an SMS carries. */
  code?: string;
  /** Protect: what the user does with a push, on the afterPolls-th poll (default 1). */
  push?: { answer: 'approve' | 'deny' | 'ignore'; afterPolls?: number };
}

export interface StandInUser {
  username: string;
  email?: string;
  password: string;
  devices?: StandInDevice[];
  locked?: boolean;
  /** AWS Role attribute values, `roleArn,principalArn`. */
  roles?: string[];
}

export interface OneLoginStandInOptions {
  clientId?: string;
  clientSecret?: string;
  /** The API credential's scope; only these two may ask for SAML assertions. */
  scope?: 'authentication-only' | 'manage-all' | 'read-users';
  subdomain?: string;
  appIds?: string[];
  users?: StandInUser[];
  /** When set, the app's policy allows only these ip_address values. */
  allowedIps?: string[];
  /** expires_in of new access tokens (OneLogin: 36000). */
  tokenLifetimeSeconds?: number;
  /** How long a state token lives (OneLogin: a few minutes). */
  stateTokenLifetimeMs?: number;
  /** Calls to resource endpoints allowed before 429; X-RateLimit-* headers on every reply. */
  rateLimit?: { limit: number; resetSeconds: number };
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  /** Parsed JSON, or the raw text when it is not JSON. */
  body: unknown;
  at: number;
  status: number;
  /** The JSON reply sent (the raw text of a replyNext reply). */
  reply: unknown;
}

export interface Notification {
  deviceId: number;
  kind: 'push' | 'sms';
}

export interface OneLoginStandIn {
  url: string;
  /** The host named in callback_url: another region's, which a client must not use. */
  callbackHost: string;
  requests: RecordedRequest[];
  /** Requests received on a path. */
  count(path: string): number;
  notifications: Notification[];
  /** Invalidates every access token issued so far (as revoking or expiry would). */
  revokeTokens(): void;
  /** The next request to path gets this raw reply instead (outages, proxies, odd bodies). */
  replyNext(path: string, reply: { status: number; body: string; contentType?: string; headers?: Record<string, string> }): void;
  stop(): Promise<void>;
}

export const TOKEN_PATH = '/auth/oauth2/v2/token';
export const samlPath = (version: ApiVersion) => `/api/${version}/saml_assertion`;
export const verifyPath = (version: ApiVersion) => `/api/${version}/saml_assertion/verify_factor`;

const CALLBACK_HOST = 'api.other-region.example';
const DEFAULT_ROLES = ['arn:aws:iam::123456789012:role/Developer,arn:aws:iam::123456789012:saml-provider/OneLogin'];

interface StateToken {
  user: StandInUser;
  appId: string;
  expiresAt: number;
  smsSent: Set<number>;
  /** Polls since the push, per Protect device pushed to. */
  pushPolls: Map<number, number>;
}

type Fields = Record<string, unknown>;
type FieldType = 'string' | 'id' | 'boolean';

const token = () => randomBytes(20).toString('hex');

export async function startOneLoginStandIn(options: OneLoginStandInOptions = {}): Promise<OneLoginStandIn> {
  const clientId = options.clientId ?? 'client-id';
  const clientSecret = options.clientSecret ?? 'client-secret';
  const subdomain = options.subdomain ?? 'acme';
  const appIds = options.appIds ?? ['123456'];
  const users = options.users ?? [];
  const tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? 36_000;
  const stateTokenLifetimeMs = options.stateTokenLifetimeMs ?? 180_000;
  const requests: RecordedRequest[] = [];
  const notifications: Notification[] = [];
  const tokens = new Map<string, number>();
  const states = new Map<string, StateToken>();
  const faults = new Map<string, { status: number; body: string; contentType?: string; headers?: Record<string, string> }>();
  let resourceCalls = 0;

  /** v2 hands out the same token until it expires. */
  const issueToken = (): Reply => {
    const now = Date.now();
    let current = [...tokens].find(([, expiresAt]) => expiresAt > now);
    if (!current) {
      current = [token(), now + tokenLifetimeSeconds * 1000];
      tokens.set(...current);
    }
    return {
      status: 200,
      body: {
        access_token: current[0], created_at: new Date(now).toISOString(), expires_in: Math.floor((current[1] - now) / 1000),
        refresh_token: token(), token_type: 'bearer', account_id: 555555,
      },
    };
  };

  const clientCredentials = (header: string | undefined): boolean => {
    const documented = /^client_id:\s*([^,]+),\s*client_secret:\s*(.+)$/i.exec(header ?? '');
    if (documented) return documented[1]?.trim() === clientId && documented[2]?.trim() === clientSecret;
    const basic = /^basic\s+(\S+)$/i.exec(header ?? '');
    return basic !== null && Buffer.from(basic[1] ?? '', 'base64').toString('utf8') === `${clientId}:${clientSecret}`;
  };

  /** `bearer:<t>`, `bearer: <t>`, `bearer <t>`, `Bearer <t>` all work at OneLogin. */
  const bearerValid = (header: string | undefined): boolean => {
    const match = /^bearer:?\s*(\S+)$/i.exec(header ?? '');
    const expiresAt = match?.[1] ? tokens.get(match[1]) : undefined;
    return expiresAt !== undefined && expiresAt > Date.now();
  };

  /** The header forms with a JSON body, or (v2 docs) everything in a form body. */
  const handleToken = (req: IncomingMessage, body: unknown): Reply => {
    const form = /^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? '') && typeof body === 'string'
      ? new URLSearchParams(body) : undefined;
    const authenticated = form
      ? form.get('client_id') === clientId && form.get('client_secret') === clientSecret
      : clientCredentials(req.headers.authorization);
    if (!authenticated) return failure(1, 401, 'Authentication Failure');
    const grantType = form ? form.get('grant_type') : isJson(req) ? (body as Fields | undefined)?.grant_type : undefined;
    if (grantType !== 'client_credentials') return failure(1, 400, 'grant_type is incorrect/absent');
    return issueToken();
  };

  const handleSamlAssertion = (version: ApiVersion, fields: Fields): Reply => {
    const invalid = checkFields(version, fields, { username_or_email: 'string', password: 'string', app_id: 'id', subdomain: 'string' }, { ip_address: 'string' });
    if (invalid) return invalid;
    if (fields.username_or_email === '') return failure(version, 400, 'username is empty');
    if (fields.password === '') return failure(version, 400, 'password is empty');
    if (fields.subdomain !== subdomain) return failure(version, 400, 'Invalid subdomain');
    const appId = String(fields.app_id);
    if (!appIds.includes(appId)) return failure(version, 404, 'App could not be found');
    const user = users.find((candidate) => candidate.username === fields.username_or_email || candidate.email === fields.username_or_email);
    if (!user || user.password !== fields.password) return failure(version, 401, 'Authentication Failed: Invalid user credentials');
    if (user.locked) return failure(version, 401, 'User is locked. Access is unauthorized');
    if (options.allowedIps && !options.allowedIps.includes(String(fields.ip_address ?? ''))) {
      return failure(version, 401, 'You are not allowed to access Amazon Web Services (AWS) Multi Account from your current IP address');
    }
    if (!user.devices?.length) return success(version, assertionFor(user, appId));
    const stateToken = token();
    states.set(stateToken, { user, appId, expiresAt: Date.now() + stateTokenLifetimeMs, smsSent: new Set(), pushPolls: new Map() });
    return mfaRequired(version, {
      state_token: stateToken,
      devices: user.devices.map((device) => ({ device_id: device.id, device_type: device.type })),
      callback_url: `https://${CALLBACK_HOST}${verifyPath(version)}`,
      user: { id: 88888888, username: user.username, email: user.email ?? '', firstname: 'Test', lastname: 'User' },
    });
  };

  const handleVerify = (version: ApiVersion, fields: Fields): Reply => {
    const invalid = checkFields(version, fields, { app_id: 'id', device_id: 'id', state_token: 'string' }, { otp_token: 'string', do_not_notify: 'boolean' });
    if (invalid) return invalid;
    const state = states.get(String(fields.state_token));
    if (!state || state.expiresAt <= Date.now()) return failure(version, 401, 'State token is invalid or expired');
    if (String(fields.app_id) !== state.appId) return failure(version, 400, 'app_id does not match the state token');
    const device = state.user.devices?.find((candidate) => String(candidate.id) === String(fields.device_id));
    if (!device) return failure(version, 400, 'Invalid device_id');
    const notify = fields.do_not_notify !== true;
    const otp = fields.otp_token as string | undefined;
    if (notify && (device.type === DEVICE.sms || device.type === DEVICE.protect)) {
      notifications.push({ deviceId: device.id, kind: device.type === DEVICE.sms ? 'sms' : 'push' });
      if (device.type === DEVICE.sms) state.smsSent.add(device.id);
      else state.pushPolls.set(device.id, 0);
    }
    const granted = (): Reply => {
      states.delete(String(fields.state_token));
      return success(version, assertionFor(state.user, state.appId));
    };
    if (otp !== undefined) {
      const codeValid = device.code !== undefined && otp === device.code && (device.type !== DEVICE.sms || state.smsSent.has(device.id));
      return codeValid ? granted() : failure(version, 401, 'Failed authentication with this factor');
    }
    if (device.type === DEVICE.sms) return pending(version, 'SMS token sent to your mobile device. Authentication pending.');
    if (device.type !== DEVICE.protect) return invalidField(version, 'otp_token', 'is required for this device');
    const polls = state.pushPolls.get(device.id);
    // A poll answers about a push already sent; without one nothing will ever be approved.
    if (notify || polls === undefined) return pending(version, 'Authentication pending on OL Protect');
    state.pushPolls.set(device.id, polls + 1);
    const answer = device.push ?? { answer: 'ignore' };
    if (polls + 1 < (answer.afterPolls ?? 1) || answer.answer === 'ignore') return pending(version, 'Authentication pending on OL Protect');
    return answer.answer === 'approve' ? granted() : failure(version, 401, 'Failed authentication with this factor');
  };

  const route = (req: IncomingMessage, path: string, body: unknown): Reply => {
    if (req.method !== 'POST') return failure(1, 404, 'No Route Exists');
    if (path === TOKEN_PATH) return handleToken(req, body);
    const match = /^\/api\/([12])\/saml_assertion(\/verify_factor)?$/.exec(path);
    if (!match) return failure(1, 404, 'No Route Exists');
    const version = Number(match[1]) as ApiVersion;
    resourceCalls += 1;
    if (options.rateLimit && resourceCalls > options.rateLimit.limit) return failure(version, 429, 'Rate limit exceeded');
    if (!bearerValid(req.headers.authorization)) return failure(version, 401, 'Authentication Failure');
    if (options.scope === 'read-users') return failure(version, 401, 'Insufficient Permission');
    if (!isJson(req) || typeof body !== 'object' || body === null || Array.isArray(body)) return failure(version, 400, 'bad request');
    return match[2] ? handleVerify(version, body as Fields) : handleSamlAssertion(version, body as Fields);
  };

  const rateLimitHeaders = (): Record<string, string> => options.rateLimit
    ? {
      'X-RateLimit-Limit': String(options.rateLimit.limit),
      'X-RateLimit-Remaining': String(Math.max(0, options.rateLimit.limit - resourceCalls)),
      'X-RateLimit-Reset': String(options.rateLimit.resetSeconds),
    }
    : {};

  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://stand-in').pathname;
    const text = (await readBody(req)).toString('utf8');
    const record: RecordedRequest = { method: req.method ?? '', path, headers: req.headers, body: parse(text), at: Date.now(), status: 0, reply: undefined };
    requests.push(record);
    const fault = faults.get(path);
    if (fault) {
      faults.delete(path);
      record.status = fault.status;
      record.reply = fault.body;
      res.writeHead(fault.status, { 'Content-Type': fault.contentType ?? 'application/json', ...fault.headers }).end(fault.body);
      return;
    }
    const reply = route(req, path, record.body);
    record.status = reply.status;
    record.reply = reply.body;
    const headers = path === TOKEN_PATH ? {} : rateLimitHeaders();
    res.writeHead(reply.status, { 'Content-Type': 'application/json; charset=utf-8', ...headers, ...reply.headers }).end(JSON.stringify(reply.body));
  };

  const server = await startLoopbackServer(handler);
  const unregister = onStopAll(() => server.stop());
  return {
    url: server.url,
    callbackHost: CALLBACK_HOST,
    requests,
    count: (path) => requests.filter((request) => request.path === path).length,
    notifications,
    revokeTokens: () => tokens.clear(),
    replyNext: (path, reply) => { faults.set(path, reply); },
    stop: async () => {
      unregister();
      await server.stop();
    },
  };
}

function isJson(req: IncomingMessage): boolean {
  return /^application\/json\b/i.test(req.headers['content-type'] ?? '');
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Required and optional fields with their JSON types; `id` is a string or a number, as OneLogin takes both. */
function checkFields(version: ApiVersion, fields: Fields, required: Record<string, FieldType>, optional: Record<string, FieldType>): Reply | undefined {
  const typeOk = (value: unknown, type: FieldType) =>
    type === 'id' ? (typeof value === 'string' && value !== '') || Number.isInteger(value) : typeof value === type;
  for (const [field, type] of Object.entries(required)) {
    if (fields[field] === undefined || fields[field] === null) return invalidField(version, field, 'is required');
    if (!typeOk(fields[field], type)) return invalidField(version, field, `must be a ${type === 'id' ? 'string or integer' : type}`);
  }
  for (const [field, type] of Object.entries(optional)) {
    if (fields[field] !== undefined && !typeOk(fields[field], type)) return invalidField(version, field, `must be a ${type}`);
  }
  return undefined;
}

function assertionFor(user: StandInUser, appId: string): string {
  return buildSamlResponse({
    issuer: `https://app.onelogin.com/saml/metadata/${appId}`,
    prefixes: { protocol: 'samlp', assertion: 'saml' },
    nameId: user.email ?? user.username,
    nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
    roles: user.roles ?? DEFAULT_ROLES,
    roleSessionName: user.email ?? user.username,
    sessionDuration: 3600,
    sign: 'both',
  }).base64;
}
