/**
 * What the assertion said about the session beyond the role — SourceIdentity and session tags —
 * kept per profile under ~/.aws/awsl/sessions/ (0600) for `awsl status`, which reads no network.
 * Tied to the AccessKeyId of the credentials it describes, so claims never outlive them.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-file.js';

export interface SessionClaims {
  accessKeyId: string;
  sourceIdentity: string | null;
  /** Tag key → value; null when awsl could not read them (an encrypted assertion). */
  sessionTags: Record<string, string> | null;
  transitiveTagKeys: string[] | null;
}

export function sessionClaimsPath(stateDirectory: string, profile: string): string {
  return join(stateDirectory, 'sessions', `${encodeURIComponent(profile)}.json`);
}

export async function writeSessionClaims(stateDirectory: string, profile: string, claims: SessionClaims): Promise<void> {
  await writeFileAtomic(sessionClaimsPath(stateDirectory, profile), JSON.stringify(claims), { mode: 0o600 });
}

/** The claims of the credentials with this AccessKeyId; undefined when none were saved for them. */
export async function readSessionClaims(stateDirectory: string, profile: string, accessKeyId: string): Promise<SessionClaims | undefined> {
  try {
    const claims = JSON.parse(await readFile(sessionClaimsPath(stateDirectory, profile), 'utf8')) as SessionClaims;
    return claims.accessKeyId === accessKeyId ? claims : undefined;
  } catch {
    return undefined;
  }
}
