/** OneLogin API failures as awsl errors: what happened, in OneLogin's words too, and what to do. */
import {
  AuthenticationFailedError, InvalidInputError, MfaFailedError, RateLimitedError, type AwslError,
} from '../../errors.js';
import { OneLoginApiError } from './errors.js';
import { configureHint } from '../../settings.js';
import type { OneLoginProfile } from './descriptor.js';
import type { ApiFailure, RefusalKind } from './replies.js';

const said = (failure: ApiFailure) => `HTTP ${failure.status}${failure.message ? `: ${failure.message}` : ''}`;

/** The configure command for one of OneLogin's settings (all take a value). */
export const configureCommand = (settings: OneLoginProfile, flag?: string) => configureHint(settings.profile, flag === undefined ? undefined : { flag });

const regionHint = (settings: OneLoginProfile) => settings.oneloginApiUrl
  ? `awsl sends it to ${settings.oneloginApiUrl} (awsl_onelogin_api_url); check that this is the API of the credential's region.`
  : `awsl sends it to the ${settings.oneloginRegion.toUpperCase()} API; if the credential was created in the other region, set awsl_onelogin_region (us|eu).`;

/** The token endpoint refused the client id and secret. */
export function clientRefusedError(failure: ApiFailure, settings: OneLoginProfile): OneLoginApiError {
  return new OneLoginApiError(
    `OneLogin refused the API client id ${settings.oneloginClientId ?? ''} or its secret (${said(failure)}).`,
    `Check the API credential (OneLogin Administration › Developers › API Credentials) and store its secret again: ${configureCommand(settings)}. ${regionHint(settings)}`);
}

/** A failure of saml_assertion or verify_factor that awsl does not recover from. */
export function apiFailureError(kind: RefusalKind, failure: ApiFailure, settings: OneLoginProfile, username: string): AwslError {
  switch (kind) {
    case 'wrong-password':
      return new AuthenticationFailedError(`OneLogin rejected the username or password of ${username} (${said(failure)}).`,
        'Check both and run awsl login again; OneLogin locks an account after repeated failures, so awsl does not keep retrying.');
    case 'locked':
      return new AuthenticationFailedError(`OneLogin refused ${username}: ${failure.message}.`,
        'Ask your OneLogin administrator to unlock the account; awsl did not retry.');
    case 'empty-credentials':
      return new InvalidInputError(`OneLogin refused an empty username or password (${said(failure)}).`,
        `Type the password when asked, or store the username: ${configureCommand(settings, 'username')}.`);
    case 'invalid-subdomain':
      return new OneLoginApiError(`OneLogin does not know the subdomain "${settings.oneloginSubdomain ?? ''}" (${said(failure)}).`,
        `Give the first part of your OneLogin address (for acme.onelogin.com, acme): ${configureCommand(settings, 'onelogin-subdomain')}.`);
    case 'app-not-found':
      return new OneLoginApiError(`OneLogin has no app with id ${settings.oneloginAppId ?? ''} (${said(failure)}).`,
        `Use the id of your "AWS Multi Account" app, the number in its admin address (…/apps/ID/edit): ${configureCommand(settings, 'onelogin-app-id')}.`);
    case 'insufficient-permission':
      return new OneLoginApiError(`The OneLogin API credential ${settings.oneloginClientId ?? ''} may not request SAML assertions (${said(failure)}).`,
        `Ask your OneLogin administrator for an API credential with the "Authentication Only" scope and store it: ${configureCommand(settings)}.`);
    case 'ip-not-allowed':
      return new AuthenticationFailedError(`OneLogin does not allow this login from your IP address (${said(failure)}).`,
        settings.oneloginIp
          ? `awsl sent ip_address ${settings.oneloginIp} (awsl_onelogin_ip); ask your administrator which address the policy allows.`
          : `If your administrator allow-lists an address for you, send it with: ${configureCommand(settings, 'onelogin-ip')}; otherwise connect from an allowed network (VPN).`);
    case 'bad-token':
      return new OneLoginApiError(`OneLogin did not accept the access token it issued to awsl (${said(failure)}).`, regionHint(settings));
    case 'factor-rejected':
    case 'state-token-expired':
      return new MfaFailedError(`OneLogin refused the second factor (${said(failure)}).`, 'Run awsl login again.');
    case 'other':
      return new OneLoginApiError(`OneLogin's API refused the request (${said(failure)}).`,
        `Check the profile's OneLogin settings (${configureCommand(settings)}); AWSL_LOG=debug shows the exchange.`);
  }
}

export function serverError(failure: ApiFailure, tokenRequest: boolean): OneLoginApiError {
  return new OneLoginApiError(`OneLogin's API failed (${said(failure)}).`,
    `This is on OneLogin's side: try again in a minute${tokenRequest
      ? '. If the token request keeps failing with 500, the user who created the API credential may have been deleted: create a new credential.'
      : ', and check https://status.onelogin.com if it persists.'}`);
}

/** `X-RateLimit-Reset` is the number of seconds until the hourly limit resets. */
export function rateLimitedError(resetHeader: string | undefined, now = Date.now()): RateLimitedError {
  const seconds = /^\d+$/.test(resetHeader?.trim() ?? '') ? Number(resetHeader) : undefined;
  const when = seconds !== undefined
    ? `Try again in ${formatSeconds(seconds)} (after ${new Date(now + seconds * 1000).toLocaleTimeString()}).`
    : 'Try again in a few minutes.';
  return new RateLimitedError('OneLogin\'s API rate limit for your account is used up (HTTP 429).',
    `${when} awsl does not retry by itself, so as not to use up the limit further.`);
}

function formatSeconds(seconds: number): string {
  const rounded = Math.ceil(seconds);
  return rounded < 120 ? `${rounded} s` : `${Math.ceil(rounded / 60)} min`;
}

export function notJsonError(status: number, contentType: string, url: string): OneLoginApiError {
  return new OneLoginApiError(
    `OneLogin's API at ${new URL(url).host} answered HTTP ${status} with ${contentType || 'a body'} that is not JSON.`,
    'Check awsl_onelogin_region or awsl_onelogin_api_url: they must point at the OneLogin API. A proxy or captive portal may be answering instead.');
}

export function unexpectedReplyError(what: string, url: string): OneLoginApiError {
  return new OneLoginApiError(`OneLogin's API at ${new URL(url).host} sent a reply to ${what} that awsl does not understand.`,
    'Run again with AWSL_LOG=debug to see it, and report it if OneLogin changed its API.');
}
