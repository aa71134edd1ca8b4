/**
 * The warm path of `awsl credential-process`, run by bin/run.js before oclif is loaded: the AWS CLI
 * starts credential_process on every call, so with credentials in the private cache that have more
 * than the refresh margin left this prints them and nothing else is loaded — no oclif, no AWS SDK,
 * no HTTP client. Anything else (no cache, near expiry, unusual arguments) returns false and the
 * full `credential-process` command takes over, which refreshes through the login pipeline.
 *
 * Imports node: builtins and src/state/paths.js only (test/fast/credential-process.test.ts checks
 * which modules the warm path loads).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stateDirectory } from '../state/paths.js';

/** REFRESH_MARGIN_SECONDS of pipeline/current-credentials.ts (a test keeps them equal). */
export const REFRESH_MARGIN_MS = 900_000;

/**
 * The profile when argv is exactly `credential-process` with at most a profile flag (before or
 * after it: bin/run.js also accepts `awsl --profile P credential-process`); undefined otherwise.
 */
export function warmPathProfile(argv: readonly string[], env: NodeJS.ProcessEnv): string | undefined {
  let profile: string | undefined;
  let command = false;
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] ?? '';
    if (arg === 'credential-process' && !command) command = true;
    else if ((arg === '--profile' || arg === '-p') && profile === undefined && argv[index + 1] !== undefined) profile = argv[++index];
    else if (arg.startsWith('--profile=') && profile === undefined) profile = arg.slice('--profile='.length);
    else return undefined;
  }
  if (!command || profile === '') return undefined;
  return profile ?? (env.AWS_PROFILE || 'default');
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
