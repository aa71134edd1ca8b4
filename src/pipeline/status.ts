/**
 * `awsl status`: for each profile, what awsl knows without asking anyone — settings, the current
 * credentials and their expiry, whether an IdP session is saved. No network, no AWS SDK, no
 * provider login code: it must answer as fast as the CLI starts.
 */
import { parseRoleArn } from '../aws/arn.js';
import { listAwslProfiles, loadProfileSettings } from '../aws/profiles.js';
import { hasSavedSession } from '../providers/registry.js';
import type { ProfileSettings } from '../settings.js';
import { storeFor } from '../aws/credential-store.js';
import { readSessionClaims } from '../state/session-claims.js';
import type { RunContext } from './context.js';
import { isFresh } from './current-credentials.js';

/** valid: more than the refresh margin (5 min) left; expiring: less (awsl exec, env, console and credential-process log in again first); expired; logged-out: none. */
export type CredentialsState = 'valid' | 'expiring' | 'expired' | 'logged-out';

export interface ProfileStatus {
  profile: string;
  provider: string;
  /** The role of the current credentials, else the profile's awsl_role_arn; null when neither. */
  roleArn: string | null;
  roleName: string | null;
  accountId: string | null;
  accountName: string | null;
  /** The role the profile is configured to assume (awsl_role_arn), if any. */
  configuredRoleArn: string | null;
  state: CredentialsState;
  /** ISO 8601; null when logged out. */
  expiration: string | null;
  /** Whole seconds left, 0 once expired; null when logged out. */
  secondsLeft: number | null;
  /** Whether an IdP session is saved (the next login needs no password or second factor while it lasts). */
  idpSessionSaved: boolean;
  /** credential-process: AWS runs `awsl credential-process` and the credentials live in awsl's private cache; credentials-file: in ~/.aws/credentials. */
  mode: 'credential-process' | 'credentials-file';
  /** The file that holds (or would hold) the credentials. */
  credentialsFile: string;
  /** The current session's SourceIdentity (from the assertion, as STS took it); null when none or unknown. */
  sourceIdentity: string | null;
  /** The current session's tags from the assertion's PrincipalTag attributes; null when logged out or unreadable (encrypted assertion). */
  sessionTags: Record<string, string> | null;
  transitiveTagKeys: string[] | null;
}

export interface StatusRequest {
  profile: string;
  all: boolean;
  now?: Date;
}

export async function profileStatuses(context: RunContext, request: StatusRequest): Promise<ProfileStatus[]> {
  const { env } = context;
  const now = request.now ?? new Date();
  const profiles = request.all ? await listAwslProfiles(env) : [await loadProfileSettings(request.profile, env)];
  if (profiles.length === 0) return [];
  return Promise.all(profiles.map((settings) => profileStatus(context, settings, now)));
}

async function profileStatus(context: RunContext, settings: ProfileSettings, now: Date): Promise<ProfileStatus> {
  const store = storeFor(settings, context.env);
  const [credentials, idpSessionSaved] = await Promise.all([store.read(), hasSavedSession(settings, context.paths.state)]);
  const claims = credentials && await readSessionClaims(context.paths.state, settings.profile, credentials.accessKeyId);
  const roleArn = credentials?.roleArn || settings.roleArn;
  const role = parseRoleArn(roleArn);
  const names = settings.accountNames;
  const secondsLeft = credentials ? Math.max(0, Math.floor((credentials.expiration.getTime() - now.getTime()) / 1000)) : null;
  return {
    profile: settings.profile,
    provider: settings.provider,
    roleArn: roleArn ?? null,
    roleName: role?.roleName ?? null,
    accountId: role?.accountId ?? null,
    accountName: (role && names.get(role.accountId)) ?? null,
    configuredRoleArn: settings.roleArn ?? null,
    state: !credentials ? 'logged-out' : isFresh(credentials, now) ? 'valid' : (secondsLeft ?? 0) > 0 ? 'expiring' : 'expired',
    expiration: credentials?.expiration.toISOString() ?? null,
    secondsLeft,
    idpSessionSaved,
    mode: store.mode,
    credentialsFile: store.file,
    sourceIdentity: claims?.sourceIdentity ?? null,
    sessionTags: claims?.sessionTags ?? null,
    transitiveTagKeys: claims?.transitiveTagKeys ?? null,
  };
}
