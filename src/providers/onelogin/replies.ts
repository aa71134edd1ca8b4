/**
 * Pure readers of OneLogin API replies. The shape, not the version asked for, decides: v1 wraps
 * everything in a `status` envelope (`data` is the assertion string or `[ {state_token, …} ]`),
 * v2 is flat (`{data}`, `{message, state_token, devices}`, `{message, statusCode, name}`).
 */

export interface OneLoginDevice {
  id: string;
  type: string;
}

export type SamlReply =
  | { kind: 'assertion'; samlResponse: string }
  | { kind: 'mfa'; stateToken: string; devices: OneLoginDevice[] }
  | { kind: 'pending'; message: string };

export interface AccessToken {
  accessToken: string;
  expiresInSeconds: number;
}

/** What went wrong, as the API said it. */
export interface ApiFailure {
  status: number;
  message: string;
}

/** What awsl does about a failure; see classifyFailure. */
export type FailureKind =
  | 'rate-limited'
  | 'server'
  | 'bad-token'
  | 'wrong-password'
  | 'locked'
  | 'empty-credentials'
  | 'invalid-subdomain'
  | 'app-not-found'
  | 'insufficient-permission'
  | 'ip-not-allowed'
  | 'factor-rejected'
  | 'state-token-expired'
  | 'other';

/** The failures that reach the login flow; rate limits and server errors end the request at once. */
export type RefusalKind = Exclude<FailureKind, 'rate-limited' | 'server'>;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const nonEmptyString = (value: unknown): value is string => typeof value === 'string' && value !== '';

/** undefined when the body is not JSON. */
export function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

/** The v1 envelope's status, when there is one. */
function envelope(json: unknown): Json | undefined {
  return isObject(json) && isObject(json.status) ? json.status : undefined;
}

/** The v1 message may be a string or `{description, attribute}`. */
function messageText(value: unknown): string | undefined {
  if (nonEmptyString(value)) return value;
  if (isObject(value) && nonEmptyString(value.description)) return value.description;
  return undefined;
}

/** Whether a 2xx body still reports an error (v1 can say `status.error: true` with HTTP 200). */
export function envelopeError(json: unknown): ApiFailure | undefined {
  const status = envelope(json);
  if (status?.error !== true) return undefined;
  return readFailure(typeof status.code === 'number' ? status.code : 400, json);
}

export function readFailure(httpStatus: number, json: unknown): ApiFailure {
  const status = envelope(json);
  const message = status
    ? messageText(status.message) ?? messageText(status.type)
    : isObject(json) ? validationMessage(json) ?? messageText(json.message) ?? messageText(json.name) : undefined;
  return { status: httpStatus, message: message ?? '' };
}

/** `{message: "Validation Failed", errors: [{field, message: [..]}]}` → "field: message". */
function validationMessage(json: Json): string | undefined {
  if (!Array.isArray(json.errors) || json.errors.length === 0) return undefined;
  const parts = json.errors.filter(isObject).map((error) => {
    const text = Array.isArray(error.message) ? error.message.join(', ') : String(error.message ?? '');
    return nonEmptyString(error.field) ? `${error.field}: ${text}` : text;
  });
  return `${messageText(json.message) ?? 'Validation failed'} (${parts.join('; ')})`;
}

/** A token reply, flat (v2) or in the v1 envelope (`data: [ {...} ]`). */
export function readAccessToken(json: unknown): AccessToken | undefined {
  const fields = isObject(json) && Array.isArray(json.data) ? json.data[0] : json;
  if (!isObject(fields) || !nonEmptyString(fields.access_token)) return undefined;
  const expiresIn = Number(fields.expires_in);
  return { accessToken: fields.access_token, expiresInSeconds: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 0 };
}

/** A 2xx reply of saml_assertion or verify_factor; undefined when it is none of the known shapes. */
export function readSamlReply(json: unknown): SamlReply | undefined {
  if (!isObject(json)) return undefined;
  const status = envelope(json);
  const message = (status ? messageText(status.message) : messageText(json.message)) ?? '';
  if (nonEmptyString(json.data)) return { kind: 'assertion', samlResponse: json.data };
  const mfa = status ? (Array.isArray(json.data) ? json.data[0] : undefined) : json;
  if (isObject(mfa) && nonEmptyString(mfa.state_token)) {
    return { kind: 'mfa', stateToken: mfa.state_token, devices: readDevices(mfa.devices) };
  }
  if ((status && status.type === 'pending') || /pending/i.test(message)) return { kind: 'pending', message };
  return undefined;
}

function readDevices(value: unknown): OneLoginDevice[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isObject).flatMap((device) => {
    const id = device.device_id;
    if ((typeof id !== 'number' && !nonEmptyString(id)) || !nonEmptyString(device.device_type)) return [];
    return [{ id: String(id), type: device.device_type }];
  });
}

/** Sorts a saml_assertion / verify_factor failure by what awsl must do about it. */
export function classifyFailure(failure: ApiFailure): FailureKind {
  if (failure.status === 429) return 'rate-limited';
  if (failure.status >= 500) return 'server';
  const message = failure.message.toLowerCase();
  if (message.includes('state token')) return 'state-token-expired';
  if (message.includes('failed authentication with this factor')) return 'factor-rejected';
  if (message.includes('invalid subdomain')) return 'invalid-subdomain';
  if (message.includes('app could not be found')) return 'app-not-found';
  if (message.includes('insufficient permission')) return 'insufficient-permission';
  if (message.includes('ip address') && message.includes('not allowed')) return 'ip-not-allowed';
  if (message.includes('locked')) return 'locked';
  if (message.includes('invalid user credentials') || /^authentication failed\b/.test(message)) return 'wrong-password';
  if (/\b(username|password) is empty/.test(message)) return 'empty-credentials';
  // "Authentication Failure" is what OneLogin says about a bearer token it does not accept.
  if (failure.status === 401 && (message.includes('authentication failure') || message === 'unauthorized' || message === '')) return 'bad-token';
  return 'other';
}
