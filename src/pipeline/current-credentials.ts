/** When current credentials are good enough to use without a login. */
import type { AwsCredentials } from '../aws/credential-store.js';

/** Credentials closer than this to expiry are refreshed. */
export const REFRESH_MARGIN_SECONDS = 300;

export function isFresh(credentials: AwsCredentials | undefined, now = new Date()): credentials is AwsCredentials {
  return credentials !== undefined && credentials.expiration.getTime() - now.getTime() > REFRESH_MARGIN_SECONDS * 1000;
}
