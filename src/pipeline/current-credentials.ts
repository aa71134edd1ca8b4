/** When current credentials are good enough to use without a login. */
import type { AwsCredentials } from '../aws/credential-store.js';

/**
 * Credentials closer than this to expiry are refreshed: botocore refreshes from 15 minutes before
 * expiry (and blocks from 10), so anything less makes Python tools run credential_process again on
 * every credentials access until they get fresher ones.
 */
export const REFRESH_MARGIN_SECONDS = 900;

export function isFresh(credentials: AwsCredentials | undefined, now = new Date()): credentials is AwsCredentials {
  return credentials !== undefined && isValidFor(credentials, REFRESH_MARGIN_SECONDS, now);
}

/** Whether the credentials have more than `seconds` left. */
export function isValidFor(credentials: AwsCredentials, seconds: number, now = new Date()): boolean {
  return credentials.expiration.getTime() - now.getTime() > seconds * 1000;
}
