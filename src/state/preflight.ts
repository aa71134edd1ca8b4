/**
 * Checks made before a login asks for a password or contacts the IdP: a file or folder it will
 * write that is the wrong kind of thing, cannot be parsed or cannot be written would otherwise be
 * found only after the password, the second factor and the STS call.
 */
import { access, stat } from 'node:fs/promises';
import { constants, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { FileUnreadableError } from '../errors.js';
import { errorCode, resolveFilePath } from './atomic-file.js';
import { describeKind } from './file-kind.js';
import { notRegularFile, readIniFile } from './ini-file.js';
import { configFilePath, credentialsFilePath, stateDirectory } from './paths.js';

async function statOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

/** The folder a new file would be created in must be (or be creatable in) a writable folder. */
async function checkCreatable(path: string): Promise<void> {
  let folder = dirname(path);
  for (let stats = await statOrUndefined(folder); !stats; stats = await statOrUndefined(folder)) {
    if (dirname(folder) === folder) return;
    folder = dirname(folder);
  }
  await access(folder, constants.W_OK | constants.X_OK);
}

/** AWSL_STATE_DIR (or ~/.aws/awsl) must be a folder when it exists. */
async function checkStateDirectory(env: NodeJS.ProcessEnv): Promise<void> {
  const path = stateDirectory(env);
  const stats = await statOrUndefined(path);
  if (stats && !stats.isDirectory()) {
    const variable = env.AWSL_STATE_DIR ? ' (from AWSL_STATE_DIR)' : '';
    throw new FileUnreadableError(path, undefined, `is ${describeKind(stats)}, not a folder${variable}`,
      `${variable ? 'Point AWSL_STATE_DIR at a folder, or unset it' : 'Move it out of the way'}; awsl changed nothing.`);
  }
}

/** The file must be a regular file when it exists; the credentials file must also parse and be writable. */
async function checkAwsFile(path: string, env: NodeJS.ProcessEnv, willWrite: boolean): Promise<void> {
  const target = await resolveFilePath(path);
  const stats = await statOrUndefined(target);
  if (stats && !stats.isFile()) throw notRegularFile(path, describeKind(stats), env);
  if (!willWrite) return;
  if (stats) await readIniFile(path);
  try {
    // The edit replaces the file by a rename: its folder must be writable, and the file itself.
    if (stats) await access(target, constants.W_OK);
    await checkCreatable(target);
  } catch (error) {
    if (errorCode(error) === undefined) throw error;
    throw new FileUnreadableError(path, undefined, `cannot be written (${(error as Error).message})`,
      'Check the file and its folder (owner, permissions); awsl asked for nothing and changed nothing.');
  }
}

/**
 * Before a login: the config file and awsl's state folder are the right kind of thing, and when the
 * credentials go into the AWS credentials file, that file parses and can be written.
 */
export async function checkFilesBeforeLogin(env: NodeJS.ProcessEnv, options: { writesCredentialsFile: boolean }): Promise<void> {
  await checkAwsFile(configFilePath(env), env, false);
  await checkAwsFile(credentialsFilePath(env), env, options.writesCredentialsFile);
  await checkStateDirectory(env);
}
