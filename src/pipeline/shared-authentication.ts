/**
 * One authentication per IdP session. Profiles that share an IdP and a username (Terraform with
 * three awsl profiles, `awsl login --profile a --profile b`) would each send the password and
 * push the phone when no session is saved. So a login takes a lock for that (IdP, user) pair
 * around authentication: the first asks the person, the others wait and then reuse what it left —
 * the IdP session it saved, or for IdPs that keep none (an API that answers with assertions) the
 * assertion, while valid.
 * An assertion is reused only by awsl processes that were already running when it was obtained
 * (the waiters, and the later profiles of one `awsl login`): a new run asks the IdP, as before.
 * The per-profile lock of ensure-credentials.ts is always taken first, so the order never inverts.
 */
import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { AwslError } from '../errors.js';
import type { AuthenticationResult, Provider, ProviderContext, SharedSession } from '../providers/provider.js';
import { descriptorOf } from '../providers/registry.js';
import type { SamlAssertionInfo } from '../saml/response.js';
import type { ProfileSettings } from '../settings.js';
import { writeFileAtomic } from '../state/atomic-file.js';
import { withFileLock } from '../state/file-lock.js';

export interface CheckedAuthentication {
  authentication: AuthenticationResult;
  assertion: SamlAssertionInfo;
}

/** Parses and checks what the IdP returned; throws when it will not do. */
export type AssertionCheck = (authentication: AuthenticationResult) => Promise<SamlAssertionInfo>;

/** Long enough for a person to type a password and answer a push while the others wait. */
const SESSION_LOCK_TIMEOUT_MS = 5 * 60_000;
/** A reused assertion must still be good when it reaches STS. */
const REUSE_MARGIN_MS = 60_000;

interface KeptAssertion {
  samlResponse: string;
  /** ISO 8601: the assertion's NotOnOrAfter. */
  notOnOrAfter: string;
  /** When the IdP issued it to awsl, ms since the epoch. */
  obtainedAt: number;
}

export async function authenticateOncePerSession(provider: Provider, context: ProviderContext, check: AssertionCheck): Promise<CheckedAuthentication> {
  const authenticate = async (): Promise<CheckedAuthentication> => {
    const authentication = await provider.authenticate(context);
    return { authentication, assertion: await check(authentication) };
  };
  const session = descriptorOf(context.settings.provider).sharedSession?.(context.settings);
  if (!session) return authenticate();
  const base = sessionPath(context.stateDirectory, session);
  return withFileLock(base, async () => {
    if (session.reuse === 'idp-session') return authenticate();
    const kept = await reuseAssertion(keptAssertionPath(base), check);
    if (kept) {
      context.logger.debug('Reusing the assertion another awsl login got from the IdP moments ago.');
      return kept;
    }
    const fresh = await authenticate();
    if (fresh.assertion.notOnOrAfter) {
      const entry: KeptAssertion = { samlResponse: fresh.authentication.samlResponse, notOnOrAfter: fresh.assertion.notOnOrAfter.toISOString(), obtainedAt: Date.now() };
      await writeFileAtomic(keptAssertionPath(base), JSON.stringify(entry), { mode: 0o600 });
    }
    return fresh;
  }, { timeoutMs: SESSION_LOCK_TIMEOUT_MS });
}

/** For logout --forget: the kept assertion goes with the IdP session. */
export async function forgetSharedSession(settings: ProfileSettings, stateDirectory: string): Promise<void> {
  const session = descriptorOf(settings.provider).sharedSession?.(settings);
  if (session?.reuse === 'assertion') await rm(keptAssertionPath(sessionPath(stateDirectory, session)), { force: true });
}

/** ~/.aws/awsl/sessions/<hash>: the key names a user, so only its hash is in the file name. */
function sessionPath(stateDirectory: string, session: SharedSession): string {
  return join(stateDirectory, 'sessions', createHash('sha256').update(session.key).digest('hex').slice(0, 32));
}

function keptAssertionPath(base: string): string {
  return `${base}.assertion.json`;
}

async function reuseAssertion(path: string, check: AssertionCheck): Promise<CheckedAuthentication | undefined> {
  let kept: KeptAssertion;
  try {
    kept = JSON.parse(await readFile(path, 'utf8')) as KeptAssertion;
  } catch {
    return undefined;
  }
  if (typeof kept.samlResponse !== 'string' || !(Date.parse(kept.notOnOrAfter) - Date.now() > REUSE_MARGIN_MS)) {
    await rm(path, { force: true });
    return undefined;
  }
  if (!(kept.obtainedAt >= performance.timeOrigin)) return undefined;
  const authentication: AuthenticationResult = { samlResponse: kept.samlResponse, usedSavedSession: true };
  try {
    return { authentication, assertion: await check(authentication) };
  } catch (error) {
    // Not for this profile after all (another partition's sign-in URL, say): a login of its own.
    if (error instanceof AwslError) return undefined;
    throw error;
  }
}
