/**
 * Where a profile's temporary AWS credentials live, behind one interface: the profile's section of
 * ~/.aws/credentials, or, for a profile whose credential_process runs awsl, awsl's private cache
 * (static keys in ~/.aws/credentials would shadow credential_process). storeFor() is the one
 * place that chooses, from the marker `login configure --credential-process` writes.
 */
import { readCachedCredentials, removeCachedCredentials, writeCachedCredentials, credentialsCachePath } from '../state/credentials-cache.js';
import { credentialsFilePath, stateDirectory } from '../state/paths.js';
import type { ProfileSettings } from '../settings.js';
import type { Logger } from '../ui/logger.js';
import { credentialProcessOutput, fromCredentialProcessOutput } from './credential-process.js';
import { readProfileCredentials, removeProfileCredentials, writeProfileCredentials } from './credentials-file.js';

/** Temporary AWS credentials, as STS issued them for a role. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
  /** The role they are for; '' when a file awsl reads does not say. */
  roleArn: string;
}

export interface CredentialStore {
  readonly mode: 'credential-process' | 'credentials-file';
  /** The file that holds (or would hold) the credentials. */
  readonly file: string;
  read(): Promise<AwsCredentials | undefined>;
  /** `logger` hears of a loose file mode that the write tightened. */
  write(credentials: AwsCredentials, logger: Logger): Promise<void>;
  /** true when there was something of awsl's to remove. */
  remove(): Promise<boolean>;
}

/** In ~/.aws/config: this profile's credential_process is awsl's, and its credentials live in the private cache. */
export const CREDENTIAL_PROCESS_MARKER = 'awsl_credential_process';

/** Whether a profile's section of ~/.aws/config carries the marker. */
export function usesAwslCredentialProcess(section: Readonly<Record<string, string | undefined>>): boolean {
  return section[CREDENTIAL_PROCESS_MARKER]?.trim() === 'true';
}

export function credentialsFileStore(profile: string, env: NodeJS.ProcessEnv): CredentialStore {
  return {
    mode: 'credentials-file',
    file: credentialsFilePath(env),
    read: () => readProfileCredentials(profile, env),
    write: (credentials, logger) => writeProfileCredentials(profile, credentials, logger, env),
    remove: () => removeProfileCredentials(profile, env),
  };
}

export function privateCacheStore(profile: string, env: NodeJS.ProcessEnv): CredentialStore {
  const state = stateDirectory(env);
  return {
    mode: 'credential-process',
    file: credentialsCachePath(state, profile),
    read: async () => {
      const cached = await readCachedCredentials(state, profile);
      return cached && fromCredentialProcessOutput(cached);
    },
    write: (credentials) => writeCachedCredentials(state, profile, { ...credentialProcessOutput(credentials), RoleArn: credentials.roleArn }),
    remove: () => removeCachedCredentials(state, profile),
  };
}

/** The profile's store: the private cache when configure marked its credential_process as awsl's. */
export function storeFor(settings: Pick<ProfileSettings, 'profile' | 'raw'>, env: NodeJS.ProcessEnv): CredentialStore {
  return usesAwslCredentialProcess(settings.raw) ? privateCacheStore(settings.profile, env) : credentialsFileStore(settings.profile, env);
}
