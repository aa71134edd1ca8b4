import { ExitCode } from '../errors.js';
import { prose } from './prose.js';

export const summary = 'Check awsl, its profiles and the AWS CLI; --fix repairs what it can.';

export const description = prose(`
Checks the Node version, the AWS CLI, each awsl profile's settings, credential_process lines that
no longer start, name a versioned Node or are not awsl's, static keys in ~/.aws/credentials that
shadow credential_process, the OS keyring (when a profile uses it), the owner and modes of awsl's
folders (a cache left root's by sudo is named), and an awscli-login plugin still loaded by the AWS
CLI. Each problem comes with the command that fixes it. Exit 0 when all is well,
${ExitCode.ProblemsFound} otherwise. --fix rewrites awsl's own broken credential_process lines,
moves awsl's own shadowing keys into its private cache, tightens modes and unloads the
awscli-login plugin; it never removes keys awsl did not write.
`);

export const examples = [
  { description: 'Check everything', command: '<%= config.bin %> doctor' },
  { description: 'Repair what awsl can itself', command: '<%= config.bin %> doctor --fix' },
  { description: 'For scripts', command: '<%= config.bin %> doctor --json | jq \'.findings[] | select(.severity == "problem")\'' },
];
