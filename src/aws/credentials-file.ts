/**
 * The profile's section of ~/.aws/credentials: the keys AWS reads, plus awsl_expiration and
 * awsl_role_arn so that awsl can tell what it wrote and until when. Logout removes only these.
 */
import { chmod, stat } from 'node:fs/promises';
import { editIniFile, readIniFile } from '../state/ini-file.js';
import { credentialsFilePath } from '../state/paths.js';
import type { Logger } from '../ui/logger.js';
import type { AwsCredentials } from './credential-store.js';

const AWS_KEYS = ['aws_access_key_id', 'aws_secret_access_key', 'aws_session_token'] as const;
const AWSL_KEYS = ['awsl_expiration', 'awsl_role_arn'] as const;
const OWNED_KEYS = [...AWS_KEYS, ...AWSL_KEYS];

export async function writeProfileCredentials(profile: string, credentials: AwsCredentials, logger: Logger, env = process.env): Promise<void> {
  const path = credentialsFilePath(env);
  await tightenMode(path, logger);
  await editIniFile(path, (document) => {
    document.set(profile, 'aws_access_key_id', credentials.accessKeyId);
    document.set(profile, 'aws_secret_access_key', credentials.secretAccessKey);
    document.set(profile, 'aws_session_token', credentials.sessionToken);
    document.set(profile, 'awsl_expiration', credentials.expiration.toISOString());
    document.set(profile, 'awsl_role_arn', credentials.roleArn);
  }, { createMode: 0o600 });
}

export async function readProfileCredentials(profile: string, env = process.env): Promise<AwsCredentials | undefined> {
  const document = await readIniFile(credentialsFilePath(env));
  const section = document?.section(profile);
  if (!section?.awsl_expiration || !section.aws_access_key_id || !section.aws_secret_access_key || !section.aws_session_token) return undefined;
  const expiration = new Date(section.awsl_expiration);
  if (Number.isNaN(expiration.getTime())) return undefined;
  return {
    accessKeyId: section.aws_access_key_id,
    secretAccessKey: section.aws_secret_access_key,
    sessionToken: section.aws_session_token,
    expiration,
    roleArn: section.awsl_role_arn ?? '',
  };
}

/**
 * Removes what awsl wrote for the profile; other keys stay, and the section goes only when it is
 * left empty. false when there was nothing of awsl's to remove.
 */
export async function removeProfileCredentials(profile: string, env = process.env): Promise<boolean> {
  const { result } = await editIniFile(credentialsFilePath(env), (document) => {
    const section = document.section(profile);
    if (!section || !AWSL_KEYS.some((key) => key in section)) return false;
    for (const key of OWNED_KEYS) document.delete(profile, key);
    if (Object.keys(document.section(profile) ?? {}).length === 0) document.removeSection(profile);
    return true;
  }, { createMode: 0o600 });
  return result;
}

/** Static keys in the profile's section, which the AWS CLI prefers to the profile's credential_process. */
export interface StaticKeys {
  /** aws_access_key_id is there. */
  present: boolean;
  /** They are awsl's own (it wrote awsl_expiration next to them). */
  ownedByAwsl: boolean;
}

export async function readStaticKeys(profile: string, env = process.env): Promise<StaticKeys> {
  const section = (await readIniFile(credentialsFilePath(env)))?.section(profile);
  return { present: Boolean(section?.aws_access_key_id), ownedByAwsl: Boolean(section && AWSL_KEYS.some((key) => key in section)) };
}

/**
 * Removes the profile's static keys whoever wrote them (and awsl's own bookkeeping); other keys
 * stay, the section goes when left empty. true when something was removed.
 */
export async function removeStaticKeys(profile: string, env = process.env): Promise<boolean> {
  const { result } = await editIniFile(credentialsFilePath(env), (document) => {
    const removed = [...OWNED_KEYS, 'aws_security_token'].map((key) => document.delete(profile, key)).some(Boolean);
    if (removed && Object.keys(document.section(profile) ?? {}).length === 0) document.removeSection(profile);
    return removed;
  }, { createMode: 0o600 });
  return result;
}

/**
 * Credentials must not be readable by others: a looser file is tightened, with a warning, before
 * the new secrets go in (the edit keeps the file's mode).
 */
async function tightenMode(path: string, logger: Logger): Promise<void> {
  try {
    const { mode } = await stat(path);
    if ((mode & 0o077) !== 0) {
      await chmod(path, mode & 0o700);
      logger.warn(`${path} was readable by others (mode ${(mode & 0o777).toString(8)}); awsl set it to ${(mode & 0o700).toString(8)}.`);
    }
  } catch {
    // No file yet: it is created 0600.
  }
}
