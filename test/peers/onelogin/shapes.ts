/**
 * The OneLogin API's reply bodies, per version, as the docs and OneLogin's SDK fixtures show them:
 * v1 wraps everything in `{status: {type, code, message, error}, data}`, v2 is flat.
 */
export type ApiVersion = 1 | 2;

export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const V1_TYPES: Record<number, string> = { 400: 'bad request', 401: 'Unauthorized', 404: 'not found', 422: 'Unprocessable Entity', 429: 'Too Many Requests' };
const V2_NAMES: Record<number, string> = { 400: 'BadRequest', 401: 'Unauthorized', 404: 'NotFound', 422: 'UnprocessableEntity', 429: 'TooManyRequests' };

export function success(version: ApiVersion, samlBase64: string): Reply {
  return version === 1
    ? { status: 200, body: { status: { type: 'success', message: 'Success', error: false, code: 200 }, data: samlBase64 } }
    : { status: 200, body: { data: samlBase64, message: 'Success' } };
}

export interface MfaPayload {
  state_token: string;
  devices: { device_id: number; device_type: string }[];
  callback_url: string;
  user: Record<string, unknown>;
}

export function mfaRequired(version: ApiVersion, payload: MfaPayload): Reply {
  const message = 'MFA is required for this user';
  return version === 1
    ? { status: 200, body: { status: { type: 'success', message, code: 200, error: false }, data: [payload] } }
    : { status: 200, body: { message, ...payload } };
}

export function pending(version: ApiVersion, message: string): Reply {
  return version === 1
    ? { status: 200, body: { status: { type: 'pending', message, error: false, code: 200 } } }
    : { status: 200, body: { message } };
}

export function failure(version: ApiVersion, status: number, message: string): Reply {
  return version === 1
    ? { status, body: { status: { error: true, code: status, type: V1_TYPES[status] ?? 'error', message } } }
    : { status, body: { message, statusCode: status, name: V2_NAMES[status] ?? 'Error' } };
}

/** A missing or mistyped field: v1 names it in a message object, v2 in the validation shape. */
export function invalidField(version: ApiVersion, field: string, problem: string): Reply {
  return version === 1
    ? { status: 400, body: { status: { error: true, code: 400, type: 'bad request', message: { description: `${field} ${problem}`, attribute: field } } } }
    : { status: 422, body: { code: 422, message: 'Validation Failed', errors: [{ field, message: [problem] }] } };
}
