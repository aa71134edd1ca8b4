/**
 * Any SAML IdP, any second factor, through the user's own Chromium-family browser: awsl opens the
 * IdP's start page for the AWS app on a browser profile of its own, and takes the SAMLResponse the
 * IdP posts to AWS's sign-in endpoint before it leaves the machine. Headless first: while the
 * IdP's session lasts nobody sees a window; only when a person is needed does one open.
 */
import { join } from 'node:path';
import { CancelledError, NeedsTerminalError, ProfileNotConfiguredError } from '../../errors.js';
import { withoutSecrets } from '../../process/child-environment.js';
import { withFileLock } from '../../state/file-lock.js';
import type { AuthenticationResult, Provider } from '../provider.js';
import { SECRET_VARIABLES } from '../registry.js';
import type { BrowserContext, BrowserSettings } from './descriptor.js';
import { findBrowser, isExecutableFile } from './discovery.js';
import { BrowserLoginTimeoutError } from './errors.js';
import { launchBrowser } from './launch.js';
import { ensureBrowserProfile, readSavedCookies, removeBrowserProfile, writeSavedCookies } from './profile.js';

/** The longest a headless try may take before awsl asks a person instead. */
const HEADLESS_LIMIT_MS = 30_000;
const BROWSER_START_MS = 20_000;

export const browserProvider: Provider<BrowserSettings> = {
  async authenticate(context: BrowserContext): Promise<AuthenticationResult> {
    const { profile, ssoUrl, browserPath, timeoutSeconds } = context.settings;
    if (!ssoUrl) {
      throw new ProfileNotConfiguredError(`Profile ${profile} has no IdP start URL for the browser.`,
        `Run: awsl login configure --profile ${profile} --sso-url URL (your IdP's start page of the AWS app; see the README).`);
    }
    const executable = findBrowser(browserPath, profile, { env: context.env, platform: process.platform, isExecutable: isExecutableFile });
    const profileDirectory = await ensureBrowserProfile(context.stateDirectory, profile);
    const limitMs = timeoutSeconds * 1000;
    // One browser per profile folder at a time: a second login waits, then reuses the session.
    return withFileLock(join(profileDirectory, 'awsl-login'), async () => {
      const run = async (headless: boolean, timeoutMs: number, opened?: () => void) => {
        const browser = await launchBrowser({ executable, profileDirectory, headless, env: withoutSecrets(context.env, SECRET_VARIABLES), startTimeoutMs: BROWSER_START_MS, signal: context.signal });
        try {
          opened?.();
          const { runBrowserLogin } = await import('./devtools.js');
          return await runBrowserLogin({
            endpoint: browser.endpoint, startUrl: ssoUrl, cookies: await readSavedCookies(profileDirectory), headless, timeoutMs,
            timeoutError: () => new BrowserLoginTimeoutError(`Nobody finished the login in the browser window within ${timeoutSeconds} s.`,
              `Run the login again; if the IdP needs longer, raise the limit: awsl login configure --profile ${profile} --browser-timeout SECONDS`),
            signal: context.signal, browserExited: browser.exited, logger: context.logger,
          });
        } finally {
          await browser.stop();
        }
      };

      let outcome = await run(true, Math.min(limitMs, HEADLESS_LIMIT_MS)).catch((error: unknown) => {
        // A headless try that runs out of time has not failed: a person may still finish it.
        if (error instanceof BrowserLoginTimeoutError) return { kind: 'person-needed', page: ssoUrl } as const;
        throw error;
      });
      const usedSavedSession = outcome.kind === 'captured';
      if (outcome.kind !== 'captured') {
        const page = outcome.kind === 'person-needed' ? outcome.page : ssoUrl;
        context.logger.debug(`The IdP's session did not complete the login on its own (stopped at ${page}).`);
        if (!context.prompter.interactive) {
          throw new NeedsTerminalError(`The IdP of profile ${profile} needs you to log in in a browser window, and there is no terminal to say so on.`,
            `Log in from a terminal once: awsl login --profile ${profile}; later logins reuse the IdP's session without a window while it lasts.`);
        }
        outcome = await run(false, limitMs, () => context.prompter.say(
          `Log in to ${new URL(ssoUrl).host} in the browser window awsl opened; it waits up to ${timeoutSeconds} s (Ctrl-C stops).`));
        if (outcome.kind !== 'captured') throw new CancelledError('The browser window was closed before the login finished.');
      }
      await writeSavedCookies(profileDirectory, outcome.cookies);
      context.logger.debug(`The IdP posted its response to ${outcome.acsUrl}; awsl kept it and sent nothing to AWS.`);
      return { samlResponse: outcome.samlResponse, usedSavedSession };
    }, { timeoutMs: limitMs + HEADLESS_LIMIT_MS + 2 * BROWSER_START_MS });
  },

  async forgetSession(context) {
    await removeBrowserProfile(context.stateDirectory, context.settings.profile);
  },
};
