/**
 * A typo never leaves awsl: words that are not awsl's go to the AWS CLI only when they are the AWS
 * CLI's own commands. The built CLI runs with a profile whose IdP, STS and D-Bus (the keyring) are
 * tripwires that count every connection; the AWS CLI's list is checked against the real /usr/bin/aws.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import awsCli from '../../src/hooks/aws-cli-commands.json' with { type: 'json' };
import { COMMANDS } from '../../src/main.js';
import { AWS_CLI, available as awsCliAvailable } from '../peers/aws-cli.js';
import { createSandbox, runAwsl, type Sandbox } from '../support/cli.js';
import { requirePeer } from '../support/peers.js';

/** The commands `aws help` lists under AVAILABLE SERVICES (groff's overstrike bold removed). */
async function awsHelpCommands(): Promise<string[]> {
  const { stdout } = await promisify(execFile)(AWS_CLI, ['help'], { env: { PATH: '/usr/bin:/bin', HOME: '/nonexistent', AWS_PAGER: '' }, maxBuffer: 4 * 1024 * 1024 });
  const backspace = String.fromCharCode(8);
  const text = stdout.replace(new RegExp(`.${backspace}`, 'g'), '');
  const section = text.slice(text.indexOf('AVAILABLE SERVICES'), text.indexOf('SEE ALSO'));
  return [...section.matchAll(/^\s+o (\S+)\s*$/gm)].map((match) => match[1]!);
}

describe('hooks/command-not-found (a typo never leaves awsl)', function () {
  it('the AWS CLI\'s commands, kept as data, are those of the real /usr/bin/aws (without help, which is awsl\'s)', async function () {
    requirePeer(this, awsCliAvailable(), 'AWS CLI v2 at /usr/bin/aws (Debian awscli)');
    const real = await awsHelpCommands();
    expect(real).to.include.members(['s3', 'sts', 'eks', 'ecs', 'configure', 'help']);
    expect([...awsCli.commands].sort()).to.deep.equal(real.filter((word) => word !== 'help').sort());
    const awslWords = Object.keys(COMMANDS).map((id) => id.split(':')[0]);
    expect(awsCli.commands.filter((word) => awslWords.includes(word))).to.deep.equal([]);
  });

  describe('the built CLI, with tripwires for the IdP, STS and the keyring', function () {
    let sandbox: Sandbox;
    let tcp: Server;
    let dbus: Server;
    let connections = 0;

    before(async function () {
      const count = (socket: { destroy(): void }) => { connections += 1; socket.destroy(); };
      tcp = createServer(count);
      dbus = createServer(count);
      sandbox = createSandbox();
      await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
      await new Promise<void>((resolve) => dbus.listen(join(sandbox.home, 'bus'), resolve));
      const port = (tcp.address() as AddressInfo).port;
      writeFileSync(sandbox.configFile, `[profile p]\nawsl_provider = ecp\nawsl_ecp_endpoint_url = http://127.0.0.1:${port}/idp\nawsl_username = u\nawsl_enable_keyring = true\n`);
      Object.assign(sandbox.env, {
        AWS_PROFILE: 'p', AWS_ENDPOINT_URL_STS: `http://127.0.0.1:${port}`, AWSL_AWS_CLI: AWS_CLI,
        DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(sandbox.home, 'bus')}`,
      });
    });

    after(function () {
      tcp?.close();
      dbus?.close();
      sandbox?.remove();
    });

    beforeEach(function () {
      connections = 0;
    });

    const run = (args: string[]) => runAwsl(args, { env: sandbox.env });

    it('a near-miss of an awsl command names the command meant and exits 2, touching nothing', async function () {
      for (const [typo, meant] of [['logn', 'login'], ['lgout', 'logout'], ['statsu', 'status'], ['rolse', 'roles'], ['exce', 'exec'], ['consol', 'console']]) {
        const result = await run([typo!]);
        expect([result.code, result.stdout, result.stderr], typo).to.deep.equal([2, '',
          `"${typo}" is not an awsl command, nor one of the AWS CLI's. Did you mean "awsl ${meant}"?\n`
          + `Run awsl --help for awsl's commands; awsl aws ${typo} … passes it to the AWS CLI anyway.\n`]);
      }
      const ambiguous = await run(['--profile', 'p', 'log']);
      expect(ambiguous.code).to.equal(2);
      expect(ambiguous.stderr).to.include('Did you mean "awsl login" or "awsl logout"?');
      const extra = await run(['status', 'extra']);
      expect([extra.code, extra.stderr]).to.deep.equal([2, '"extra" is not a command or argument of awsl status.\nRun awsl status --help.\n']);
      const sub = await run(['login', 'configur']);
      expect([sub.code, sub.stderr]).to.deep.equal([2, '"configur" is not a command or argument of awsl login. Did you mean "awsl login configure"?\nRun awsl login --help.\n']);
      const alias = await run(['whoami', 'x']);
      expect([alias.code, alias.stderr.split('\n')[0]]).to.deep.equal([2, '"x" is not a command or argument of awsl whoami.']);
      const far = await run(['frobnicate', 'x']);
      expect([far.code, far.stderr.split('\n')[0]]).to.deep.equal([2, '"frobnicate" is not an awsl command, nor one of the AWS CLI\'s.']);
      expect(connections).to.equal(0);
    });

    it('help, help COMMAND, -h and COMMAND -h show awsl\'s help, touching nothing', async function () {
      const root = await run(['--help']);
      expect(root.code).to.equal(0);
      for (const args of [['help'], ['-h'], ['--profile', 'p', '-h']]) {
        const result = await run(args);
        expect([result.code, result.stdout, result.stderr], args.join(' ')).to.deep.equal([0, root.stdout, '']);
      }
      const login = await run(['login', '--help']);
      expect(login.stdout).to.include('$ awsl login');
      for (const args of [['help', 'login'], ['login', '-h']]) {
        const result = await run(args);
        expect([result.code, result.stdout, result.stderr], args.join(' ')).to.deep.equal([0, login.stdout, '']);
      }
      const configure = await run(['help', 'login', 'configure']);
      expect(configure.stdout).to.include('$ awsl login configure');
      expect(connections).to.equal(0);
    });

    it('a flag where the command should be says where it goes, touching nothing', async function () {
      const json = await run(['--json', 'status']);
      expect([json.code, json.stderr]).to.deep.equal([2, '--json is a flag of a command: it goes after the command, as in awsl status --json.\nRun awsl --help for the commands.\n']);
      const unknown = await run(['--frobnicate']);
      expect([unknown.code, unknown.stderr]).to.deep.equal([2, '--frobnicate is not a flag awsl knows here.\nRun awsl --help.\n']);
      expect(connections).to.equal(0);
    });

    it('the control: the AWS CLI\'s own eks and ecs pass through, and so log in first (and reach the tripwires)', async function () {
      requirePeer(this, awsCliAvailable(), 'AWS CLI v2 at /usr/bin/aws (Debian awscli)');
      for (const service of ['eks', 'ecs']) {
        connections = 0;
        const result = await run([service, 'list-clusters']);
        // No terminal for the password: the login stops there, after asking the keyring.
        expect(result.code, result.stderr).to.equal(6);
        expect(connections, service).to.be.above(0);
      }
    });
  });
});
