/**
 * Where the OneLogin API client secret lives. Kept apart from the provider so that
 * `login configure` can store the secret without loading the provider.
 */

/** Automation can give the secret in the environment instead of the keyring. */
export const CLIENT_SECRET_VARIABLE = 'AWSL_ONELOGIN_CLIENT_SECRET';

/** The keyring account (service "awsl") holding the secret of one API credential. */
export function oneloginClientSecretAccount(clientId: string): string {
  return `onelogin-client-secret:${clientId}`;
}
