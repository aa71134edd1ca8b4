/** Where the AWS files and awsl's own state live, honouring the AWS environment variables. */
import { join } from 'node:path';

export function homeDirectory(env: NodeJS.ProcessEnv = process.env): string {
  // node:os only when HOME is unset: --version and a warm credential_process load this file and
  // nothing else would need it (~0.3 ms).
  return env.HOME || process.getBuiltinModule('node:os').homedir();
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

/** ~/.cache/awsl/compile-cache (XDG_CACHE_HOME honoured): V8's compiled code of awsl (src/boot/bundle-loader.ts). */
export function compileCacheDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homeDirectory(env), '.cache'), 'awsl', 'compile-cache');
}

/** The section name of a profile in ~/.aws/config. */
export function configSectionName(profile: string): string {
  return profile === 'default' ? 'default' : `profile ${profile}`;
}
