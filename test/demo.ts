/**
 * `npm run demo`: a full awsl login against the bundled loopback IdP (the real SimpleSAMLphp) and
 * the project's STS stand-in, in a throwaway HOME. Everything it starts, it stops.
 */
import { readFileSync } from 'node:fs';
import { available as simpleSamlPhpAvailable, startSimpleSamlPhp, SIMPLESAMLPHP_USERS } from './peers/simplesamlphp/index.js';
import { startStsStandIn } from './peers/sts/index.js';
import { stopAllPeers } from './peers/process.js';
import { createSandbox, runAwsl } from './support/cli.js';

const alice = SIMPLESAMLPHP_USERS.alice;

async function main(): Promise<number> {
  if (!simpleSamlPhpAvailable()) {
    process.stderr.write('The demo needs PHP and SimpleSAMLphp from Debian: run  sudo bash .ci/install-peers.sh  first.\n');
    return 1;
  }
  const started = Date.now();
  const idp = await startSimpleSamlPhp();
  const sts = await startStsStandIn({ trustedProviders: Object.fromEntries(alice.roles.map((role) => [role.principalArn, idp.certificatePem])) });
  const sandbox = createSandbox({ AWS_ENDPOINT_URL_STS: sts.url, AWS_REGION: 'us-east-1' });
  say(`SimpleSAMLphp ECP IdP at ${idp.url}\nSTS stand-in at ${sts.url}\nThrowaway HOME ${sandbox.home}\n`);
  try {
    const steps: Array<{ args: string[]; input?: string; note: string }> = [
      { note: 'Configure a profile (unattended)', args: ['login', 'configure', '--profile', 'demo', '--provider', 'ecp', '--ecp-endpoint-url', idp.url, '--username', alice.username, '--role-arn', alice.roles[0]!.roleArn, '--no-prompt'] },
      { note: 'Log in with the password (piped, as automation would)', args: ['--profile', 'demo', 'login', '--password-stdin'], input: `${alice.password}\n` },
      { note: 'Log out: the credentials go, the IdP session stays', args: ['--profile', 'demo', 'logout'] },
      { note: 'Switch role through the saved IdP session: no password', args: ['--profile', 'demo', 'login', '--role-arn', alice.roles[1]!.roleArn] },
    ];
    for (const step of steps) {
      say(`# ${step.note}\n$ awsl ${step.args.map((arg) => (arg.includes(' ') ? `'${arg}'` : arg)).join(' ')}${step.input ? '   (password on stdin)' : ''}`);
      const begun = Date.now();
      const result = await runAwsl(step.args, { env: sandbox.env, input: step.input });
      say(`${result.stdout}${result.stderr}(exit ${result.code}, ${Date.now() - begun} ms)\n`);
      if (result.code !== 0) return result.code;
      if (step.input) say(`~/.aws/credentials now holds (secrets masked):\n${masked(readFileSync(sandbox.credentialsFile, 'utf8'))}`);
    }
    say(`STS saw ${sts.requests.length} AssumeRoleWithSAML requests. Demo done in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
    return 0;
  } finally {
    await sts.stop();
    await idp.stop();
    await stopAllPeers();
    sandbox.remove();
  }
}

function masked(text: string): string {
  return text.replace(/^(aws_secret_access_key|aws_session_token)(\s*=\s*)(.{4}).*$/gm, '$1$2$3…(masked)');
}

function say(text: string): void {
  process.stdout.write(`${text}\n`);
}

process.exitCode = await main();
