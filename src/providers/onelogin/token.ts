/**
 * The API access token: from the cache while it lasts (no token request, no keyring access),
 * otherwise requested with the client secret from the environment, the keyring or a prompt.
 */
import { KeyringError } from '../../errors.js';
import type { OneLoginContext } from './descriptor.js';
import { requestAccessToken, type ApiConnection, type TokenSource } from './api.js';
import { configureCommand } from './explain.js';
import { CLIENT_SECRET_VARIABLE, oneloginClientSecretAccount } from './client-secret.js';
import { cacheToken, readCachedToken, removeFile, tokenCachePath } from './state.js';

type Context = Pick<OneLoginContext, 'secrets' | 'prompter' | 'logger' | 'stateDirectory' | 'settings' | 'env'>;

export function createTokenSource(context: Context, connection: ApiConnection, clientId: string): TokenSource {
  const cachePath = tokenCachePath(context.stateDirectory, connection.baseUrl, clientId);
  let current: { value: string; fromCache: boolean } | undefined;
  return {
    async get() {
      if (current) return current;
      const cached = await readCachedToken(cachePath);
      if (cached) return (current = { value: cached, fromCache: true });
      const secret = await clientSecret(context, clientId);
      const token = await requestAccessToken(connection, clientId, secret.value);
      if (secret.prompted) await keyring(context, 'store the client secret', () => context.secrets.set(oneloginClientSecretAccount(clientId), secret.value));
      try {
        await cacheToken(cachePath, token);
      } catch (error) {
        context.logger.warn(`Could not cache the OneLogin access token in ${cachePath}: ${(error as Error).message}. The next login will request a new one.`);
      }
      return (current = { value: token.accessToken, fromCache: false });
    },
    async discard() {
      current = undefined;
      await removeFile(cachePath);
    },
  };
}

async function clientSecret(context: Context, clientId: string): Promise<{ value: string; prompted: boolean }> {
  const fromEnvironment = context.env[CLIENT_SECRET_VARIABLE];
  if (fromEnvironment) return { value: fromEnvironment, prompted: false };
  const stored = await keyring(context, 'read the client secret', () => context.secrets.get(oneloginClientSecretAccount(clientId)));
  if (stored) return { value: stored, prompted: false };
  const value = await context.prompter.ask(`OneLogin API client secret for client id ${clientId}`, {
    secret: true,
    unattendedHint: `Store the secret in the keyring with ${configureCommand(context.settings)}, or set ${CLIENT_SECRET_VARIABLE}.`,
  });
  return { value, prompted: true };
}

/** A keyring that cannot be reached is a warning here: the secret can still be typed. */
async function keyring<T>(context: Context, what: string, operation: () => Promise<T>): Promise<T | undefined> {
  try {
    return await operation();
  } catch (error) {
    if (!(error instanceof KeyringError)) throw error;
    context.logger.warn(`Could not ${what}: ${error.describe()}`);
    return undefined;
  }
}
