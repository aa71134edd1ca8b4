/**
 * Everything oclif runs, in one bundle (scripts/build.mjs, loaded by src/boot/bundle-loader.ts):
 * oclif's entry, every command (the "explicit" command strategy of package.json), the hooks and
 * the help class.
 */
import Aws from './commands/aws.js';
import Console from './commands/console.js';
import CredentialProcess from './commands/credential-process.js';
import Doctor from './commands/doctor.js';
import Env from './commands/env.js';
import Exec from './commands/exec.js';
import ImportAwscliLogin from './commands/import/awscli-login.js';
import LoginConfigure from './commands/login/configure.js';
import Login from './commands/login/index.js';
import Logout from './commands/logout.js';
import Roles from './commands/roles.js';
import Status from './commands/status.js';

export { execute } from '@oclif/core';
export { default as commandNotFound } from './hooks/command-not-found.js';
export { default as profileCompletion } from './hooks/profile-completion.js';
export { AwslHelp } from './help.js';

export const COMMANDS = {
  aws: Aws,
  console: Console,
  'credential-process': CredentialProcess,
  doctor: Doctor,
  env: Env,
  exec: Exec,
  'import:awscli-login': ImportAwscliLogin,
  login: Login,
  'login:configure': LoginConfigure,
  logout: Logout,
  roles: Roles,
  status: Status,
};
