/**
 * OneLogin through its REST API (the "AWS Multi Account" app): access token, saml_assertion with
 * username and password, then verify_factor with the chosen MFA device. Returns OneLogin's
 * base64 SAMLResponse; everything after that is the shared pipeline's.
 */
import { CancelledError, MfaFailedError, ProfileNotConfiguredError } from '../../errors.js';
import { keyringAccount, type AuthenticationResult, type Provider } from '../provider.js';
import type { OneLoginContext, OneLoginProfile, OneLoginSettings } from './descriptor.js';
import { OneLoginApiError } from './errors.js';
import { apiBaseUrl, createOneLoginApi, type SamlAssertionRequest } from './api.js';
import { apiFailureError, configureCommand } from './explain.js';
import { chooseDevice, passFactor, STATE_TOKEN_EXPIRED, type MfaFlow } from './mfa.js';
import type { OneLoginDevice, SamlReply } from './replies.js';
import { devicePath, rememberDevice, removeFile, tokenCachePath } from './state.js';
import { createTokenSource } from './token.js';

export interface OneLoginProviderOptions {
  /** How often a OneLogin Protect push is polled (1–2 s in use; tests go faster). */
  pushPollIntervalMs?: number;
}

/** The host the password belongs to, for its keyring account. */
const passwordHost = (subdomain: string) => `${subdomain}.onelogin.com`;

export function createOneLoginProvider(options: OneLoginProviderOptions = {}): Provider<OneLoginSettings> {
  const pushPollIntervalMs = options.pushPollIntervalMs ?? 1000;
  return {
    async authenticate(context) {
      try {
        return await login(context, pushPollIntervalMs);
      } catch (error) {
        if (context.signal.aborted && !(error instanceof CancelledError)) {
          throw new CancelledError('OneLogin login cancelled; nothing was changed.', undefined, { cause: error });
        }
        throw error;
      }
    },
    async forgetSession({ settings, stateDirectory, secrets }) {
      if (settings.oneloginClientId) await removeFile(tokenCachePath(stateDirectory, apiBaseUrl(settings), settings.oneloginClientId));
      await removeFile(devicePath(stateDirectory, settings.profile));
      if (settings.username && settings.oneloginSubdomain) await secrets.delete(keyringAccount(settings.username, passwordHost(settings.oneloginSubdomain)));
    },
  };
}

export const oneloginProvider: Provider<OneLoginSettings> = createOneLoginProvider();

function required(settings: OneLoginProfile, value: string | undefined, what: string, flag: string): string {
  if (value) return value;
  throw new ProfileNotConfiguredError(`Profile ${settings.profile} has no ${what}.`, `Set it with: ${configureCommand(settings, flag)}`);
}

async function login(context: OneLoginContext, pushPollIntervalMs: number): Promise<AuthenticationResult> {
  const { settings, prompter, logger } = context;
  const subdomain = required(settings, settings.oneloginSubdomain, 'OneLogin subdomain', 'onelogin-subdomain');
  const appId = required(settings, settings.oneloginAppId, 'OneLogin app id', 'onelogin-app-id');
  const clientId = required(settings, settings.oneloginClientId, 'OneLogin API client id', 'onelogin-client-id');
  const connection = { http: context.http, baseUrl: apiBaseUrl(settings), settings, signal: context.signal };
  const tokens = createTokenSource(context, connection, clientId);
  // Token first: a wrong client secret fails before the user types a password.
  await tokens.get();
  const api = createOneLoginApi(connection, tokens);
  const username = settings.username
    ?? await prompter.ask('OneLogin username or email', { unattendedHint: `Store it with: ${configureCommand(settings, 'username')}` });
  const host = passwordHost(subdomain);
  let password = await context.password.get(username, host);
  let passwordRetried = false;
  let passwordAccepted = false;
  const request = (): SamlAssertionRequest => ({
    username_or_email: username, password, app_id: appId, subdomain, ...(settings.oneloginIp ? { ip_address: settings.oneloginIp } : {}),
  });

  /** saml_assertion; a rejected password is asked for again once per login, never more (lockout). */
  const start = async (): Promise<SamlReply> => {
    let outcome = await api.samlAssertion(request());
    if (!outcome.ok && outcome.kind === 'wrong-password' && !passwordRetried) {
      passwordRetried = true;
      await context.password.rejected();
      prompter.say('OneLogin rejected the password.');
      password = await context.password.get(username, host);
      outcome = await api.samlAssertion(request());
    }
    if (!outcome.ok) {
      if (outcome.kind === 'wrong-password') await context.password.rejected();
      throw apiFailureError(outcome.kind, outcome.failure, settings, username);
    }
    if (!passwordAccepted) {
      passwordAccepted = true;
      await context.password.accepted();
    }
    return outcome.reply;
  };

  const flow: MfaFlow = { api, settings, prompter, logger, signal: context.signal, username, appId, pushPollIntervalMs };
  const rememberedPath = devicePath(context.stateDirectory, settings.profile);
  let reply = await start();
  let device: OneLoginDevice | undefined;
  for (let round = 1; ; round++) {
    if (reply.kind === 'assertion') return { samlResponse: reply.samlResponse, usedSavedSession: false };
    if (reply.kind === 'pending') {
      throw new OneLoginApiError(`OneLogin answered the login with "${reply.message}" instead of an assertion or an MFA request.`,
        'Try again in a minute; if it persists, check the app in OneLogin.');
    }
    const devices = reply.devices;
    if (!device || !devices.some((known) => known.id === device?.id)) {
      device = await chooseDevice(flow, devices, context.options.flags['mfa-device'] ?? settings.mfaDevice, rememberedPath);
    }
    // The code from the command line is for the first attempt only; after a restart it is stale.
    const result = await passFactor(flow, device, reply.stateToken, round === 1 ? context.options.passcode : undefined);
    if (result !== STATE_TOKEN_EXPIRED) {
      if (devices.length > 1) await remember(context, rememberedPath, device);
      return { samlResponse: result, usedSavedSession: false };
    }
    if (round === 2) {
      throw new MfaFailedError('OneLogin\'s MFA state token expired twice before the second factor was verified.',
        'Answer the second factor within a few minutes of starting awsl login, and run it again.');
    }
    logger.info('OneLogin\'s MFA session expired before the second factor was verified; starting over.');
    reply = await start();
  }
}

async function remember(context: OneLoginContext, path: string, device: OneLoginDevice): Promise<void> {
  try {
    await rememberDevice(path, context.settings.profile, device);
  } catch (error) {
    context.logger.warn(`Could not remember the MFA device in ${path}: ${(error as Error).message}.`);
  }
}
