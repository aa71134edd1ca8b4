/** Where the AWS files and awsl's own state live, honouring the AWS environment variables. */
import { homedir } from 'node:os';
import { join } from 'node:path';

export function homeDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return env.HOME || homedir();
}

export function configFilePath(env: NodeJS.ProcessEnv = process.env): string {
  return env.AWS_CONFIG_FILE || join(homeDirectory(env), '.aws', 'config');
}

export function credentialsFilePath(env: NodeJS.ProcessEnv = process.env): string {
  return env.AWS_SHARED_CREDENTIALS_FILE || join(homeDirectory(env), '.aws', 'credentials');
}

/** ~/.aws/awsl: cookie jars, caches. AWSL_STATE_DIR moves it (tests, shared homes). */
export function stateDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return env.AWSL_STATE_DIR || join(homeDirectory(env), '.aws', 'awsl');
}

/** The section name of a profile in ~/.aws/config. */
export function configSectionName(profile: string): string {
  return profile === 'default' ? 'default' : `profile ${profile}`;
}
