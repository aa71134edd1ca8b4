/**
 * The warm path of `awsl credential-process`, run by bin/run.js before oclif is loaded: the AWS CLI
 * starts credential_process on every call, so with credentials in the private cache that have more
 * than the refresh margin left this prints them and nothing else is loaded — no oclif, no AWS SDK,
 * no HTTP client. Anything else (no cache, near expiry, unusual arguments) returns false and the
 * full `credential-process` command takes over, which refreshes through the login pipeline.
 *
 * Imports node: builtins, src/state/paths.js and ./argv.js only (test/commands/credential-process.test.ts
 * checks which modules the warm path loads).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stateDirectory } from '../state/paths.js';
import { leadingGlobalFlags } from './argv.js';

/** REFRESH_MARGIN_SECONDS of pipeline/current-credentials.ts (a test keeps them equal). */
export const REFRESH_MARGIN_MS = 900_000;

/**
 * The profile when argv is exactly `credential-process` with at most one profile flag (before or
 * after it); undefined otherwise.
 */
export function warmPathProfile(argv: readonly string[], env: NodeJS.ProcessEnv): string | undefined {
  const before = leadingGlobalFlags(argv);
  if (before.rest[0] !== 'credential-process') return undefined;
  const after = leadingGlobalFlags(before.rest.slice(1));
  const profiles = [...before.flags.profiles, ...after.flags.profiles];
  if (after.rest.length > 0 || before.flags.verbose || after.flags.verbose || profiles.length > 1 || profiles[0] === '') return undefined;
  return profiles[0] ?? (env.AWS_PROFILE || 'default');
}

/** The same file as credentialsCachePath() of state/credentials-cache.ts (a test keeps them equal). */
export function cacheFile(env: NodeJS.ProcessEnv, profile: string): string {
  return join(stateDirectory(env), 'cache', `${encodeURIComponent(profile)}.json`);
}

/** Prints the cached credential_process JSON when it has more than the margin left; true when it did. */
export function printWarmCredentials(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, now = Date.now()): boolean {
  const profile = warmPathProfile(argv, env);
  if (profile === undefined) return false;
  let cached: Record<string, unknown>;
  try {
    cached = JSON.parse(readFileSync(cacheFile(env, profile), 'utf8')) as Record<string, unknown>;
  } catch {
    return false;
  }
  if (typeof cached !== 'object' || cached === null) return false;
  const { AccessKeyId, SecretAccessKey, SessionToken, Expiration, AccountId } = cached;
  if (cached.Version !== 1 || typeof AccessKeyId !== 'string' || typeof SecretAccessKey !== 'string'
    || typeof SessionToken !== 'string' || typeof Expiration !== 'string') return false;
  if (!(Date.parse(Expiration) - now > REFRESH_MARGIN_MS)) return false;
  const account = typeof AccountId === 'string' ? { AccountId } : {};
  process.stdout.write(`${JSON.stringify({ Version: 1, AccessKeyId, SecretAccessKey, SessionToken, Expiration, ...account })}\n`);
  return true;
}
