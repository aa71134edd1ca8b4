/**
 * `awsl exec` and `awsl env` against SimpleSAMLphp and the STS stand-in: the child sees exactly the
 * credentials STS issued, its exit code and signals pass through, and the export lines read back
 * the same in a real shell.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { findExecutable } from '../peers/process.js';
import { runAwslInTerminal, startAwsl } from '../support/cli.js';
import { requirePeer } from '../support/peers.js';
import { ADMIN_ROLE, startCredentialsWorld, type CredentialsWorld, type Home } from './credentials-world.js';

const PRINT_ENV = 'process.stdout.write(JSON.stringify(Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith("AWS_")))))';

describe('awsl exec and awsl env (built CLI, SimpleSAMLphp, STS stand-in)', function () {
  let world: CredentialsWorld;
  let home: Home;

  before(async function () {
    world = await startCredentialsWorld(this);
    home = world.home({ AWS_PROFILE: 'someone-else', AWS_DEFAULT_PROFILE: 'someone-else', AWS_REGION: 'eu-central-1' });
    expect((await home.configure('p')).code).to.equal(0);
  });

  after(async function () {
    await world?.stop();
  });

  const issuedKey = () => /aws_access_key_id = (\S+)/.exec(home.readCredentials())?.[1];

  describe('exec', function () {
    it('logs in first when there are no credentials, then gives the child exactly them, without AWS_PROFILE', async function () {
      const before = world.assumeRoleCount();
      const result = await home.run(['exec', '--profile', 'p', '--', process.execPath, '-e', PRINT_ENV]);
      // No credentials, no IdP session and no terminal to ask for the password on: fails at once…
      expect(result.code, result.stderr).to.equal(6);
      expect(world.assumeRoleCount()).to.equal(before);
      // …and after one login (the IdP session is saved) exec logs in by itself when the credentials are gone.
      await home.login('p');
      await home.run(['logout', '--profile', 'p']);
      const again = await home.run(['exec', '--profile', 'p', '--', process.execPath, '-e', PRINT_ENV]);
      expect(again.code, again.stderr).to.equal(0);
      expect(world.assumeRoleCount()).to.equal(before + 2);
      const seen = JSON.parse(again.stdout) as Record<string, string>;
      const issued = world.sts.issued.get(seen.AWS_ACCESS_KEY_ID!);
      expect(issued, 'credentials STS issued').to.not.equal(undefined);
      expect(seen).to.deep.include({
        AWS_ACCESS_KEY_ID: issued!.accessKeyId,
        AWS_SECRET_ACCESS_KEY: issued!.secretAccessKey,
        AWS_SESSION_TOKEN: issued!.sessionToken,
        AWS_CREDENTIAL_EXPIRATION: issued!.expiration.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        AWS_ACCOUNT_ID: '111111111111',
        AWS_REGION: 'eu-central-1',
        AWS_DEFAULT_REGION: 'eu-central-1',
      });
      expect(seen).not.to.have.any.keys('AWS_PROFILE', 'AWS_DEFAULT_PROFILE');
      expect(issued!.arn).to.equal(`arn:aws:sts::111111111111:assumed-role/${ADMIN_ROLE.split('/').pop()}/alice@example.org`);
    });

    it('uses fresh credentials without logging in, and passes the child\'s exit code through unchanged', async function () {
      const before = world.assumeRoleCount();
      const result = await home.run(['--profile', 'p', 'exec', '--', process.execPath, '-e', 'process.exit(42)']);
      expect(result.code, result.stderr).to.equal(42);
      const zero = await home.run(['exec', '-p', 'p', 'true']);
      expect(zero.code, zero.stderr).to.equal(0);
      expect(world.assumeRoleCount()).to.equal(before);
    });

    it('never hands awsl\'s own secrets (AWSL_ONELOGIN_CLIENT_SECRET) to the child', async function () {
      const result = await home.run(['exec', '--profile', 'p', '--', process.execPath, '-e', 'process.stdout.write(String(process.env.AWSL_ONELOGIN_CLIENT_SECRET))'],
        { env: { AWSL_ONELOGIN_CLIENT_SECRET: 'client-secret-not-for-children' } });
      expect(result.code, result.stderr).to.equal(0);
      expect(result.stdout).to.equal('undefined');
    });

    it('keeps the command\'s own flags and repeated words as given', async function () {
      const result = await home.run(['exec', '--profile', 'p', '--', process.execPath, '-e', 'console.log(JSON.stringify(process.argv.slice(1)))', 'a', '--profile', 'a', '-v']);
      expect(result.code, result.stderr).to.equal(0);
      expect(JSON.parse(result.stdout)).to.deep.equal(['a', '--profile', 'a', '-v']);
    });

    it('refuses a missing command (exit 2), or one that cannot run with the shell\'s 127 and 126, before any login', async function () {
      const before = world.assumeRoleCount();
      const none = await home.run(['exec', '--profile', 'p']);
      expect(none.code).to.equal(2);
      expect(none.stderr).to.include('awsl exec needs a command to run.');
      const flag = await home.run(['exec', '--profile', 'p', '--frobnicate', 'true']);
      expect(flag.code).to.equal(2);
      expect(flag.stderr).to.include('--frobnicate is not a flag of awsl exec; the command to run goes after --.');
      const unknown = await home.run(['exec', '--profile', 'p', '--', 'no-such-command-awsl']);
      expect([unknown.code, unknown.stderr]).to.deep.equal([127, 'no-such-command-awsl: command not found on PATH.\nCheck its name, or give its path (for example ./script.sh).\n']);
      const missingPath = await home.run(['exec', '--profile', 'p', '--', '/nonexistent/tool']);
      expect([missingPath.code, missingPath.stderr]).to.deep.equal([127, '/nonexistent/tool: no such file.\nCheck the path.\n']);
      const folder = await home.run(['exec', '--profile', 'p', '--', home.sandbox.home]);
      expect([folder.code, folder.stderr]).to.deep.equal([126, `${home.sandbox.home} is a directory, not a program.\nGive the path of a program inside it.\n`]);
      const script = join(home.sandbox.home, 'script.sh');
      writeFileSync(script, 'echo hi\n', { mode: 0o644 });
      const notExecutable = await home.run(['exec', '--profile', 'p', '--', script]);
      expect(notExecutable.code).to.equal(126);
      expect(notExecutable.stderr).to.equal(`${script} is not executable.\nMake it executable (chmod +x ${script}), or run it through its interpreter (for example: sh ${script}).\n`);
      expect(world.assumeRoleCount()).to.equal(before);
    });

    it('takes -v after the command for the command\'s own: awsl exec -- sh -c true -v prints nothing of awsl\'s debug log', async function () {
      // Logged out, so that exec logs in (through the saved IdP session) and awsl has something to log.
      await home.login('p');
      expect((await home.run(['logout', '--profile', 'p'])).code).to.equal(0);
      const quiet = await home.run(['exec', '--profile', 'p', '--', 'sh', '-c', 'true', '-v']);
      expect(quiet.code, quiet.stderr).to.equal(0);
      expect(quiet.stderr).not.to.match(/^debug: |→|←/m);
      expect((await home.run(['logout', '--profile', 'p'])).code).to.equal(0);
      const unmarked = await home.run(['--profile', 'p', 'exec', 'sh', '-c', 'true', '--verbose']);
      expect(unmarked.code, unmarked.stderr).to.equal(0);
      expect(unmarked.stderr).not.to.match(/^debug: |→|←/m);
      // The control: awsl's own -v, before the command, does switch the debug log on.
      expect((await home.run(['logout', '--profile', 'p'])).code).to.equal(0);
      const verbose = await home.run(['-v', '--profile', 'p', 'exec', '--', 'sh', '-c', 'true']);
      expect(verbose.code, verbose.stderr).to.equal(0);
      expect(verbose.stderr).to.match(/^debug: Credentials of p are missing/m);
    });

    it('passes SIGTERM on to the child, and exits 128 + 15 when the child dies of it', async function () {
      const script = 'process.on("SIGTERM", () => { console.log("child got SIGTERM"); process.exit(7); }); console.log("ready"); setInterval(() => {}, 1000);';
      const running = startAwsl(['exec', '--profile', 'p', '--', process.execPath, '-e', script], home.env);
      await running.waitFor(/ready/);
      running.child.kill('SIGTERM');
      const { code } = await running.exited;
      expect(running.stdout()).to.include('child got SIGTERM');
      expect(code).to.equal(7);

      const plain = startAwsl(['exec', '--profile', 'p', '--', process.execPath, '-e', 'console.log("ready"); setInterval(() => {}, 1000);'], home.env);
      await plain.waitFor(/ready/);
      plain.child.kill('SIGTERM');
      expect((await plain.exited).code).to.equal(143);
    });

    it('passes SIGINT and SIGHUP on when awsl is not in a terminal\'s foreground', async function () {
      for (const [signal, number] of [['SIGINT', 2], ['SIGHUP', 1]] as const) {
        const script = `process.on("${signal}", () => process.exit(${number + 20})); console.log("ready"); setInterval(() => {}, 1000);`;
        const running = startAwsl(['exec', '--profile', 'p', '--', process.execPath, '-e', script], home.env);
        await running.waitFor(/ready/);
        running.child.kill(signal);
        expect((await running.exited).code, signal).to.equal(number + 20);
      }
    });

    it('a Ctrl-C at the terminal reaches the child once, not twice', async function () {
      requirePeer(this, findExecutable('script') !== undefined, 'script(1) from util-linux (bsdutils)');
      await home.login('p');
      const script = 'let n = 0; process.on("SIGINT", () => { n += 1; if (n === 1) setTimeout(() => { console.log(`SIGINTs: ${n}`); process.exit(n); }, 700); }); console.log("ready"); setInterval(() => {}, 1000);';
      const result = await runAwslInTerminal(['exec', '--profile', 'p', '--', process.execPath, '-e', script], { env: home.env, steps: [{ expect: 'ready', send: '\x03' }] });
      expect(result.screen).to.include('SIGINTs: 1');
      expect(result.code).to.equal(1);
    });
  });

  describe('env', function () {
    before(async function () {
      await home.login('p');
    });

    it('sh: eval in sh sets the very values, unsets AWS_PROFILE', async function () {
      const result = await home.run(['env', '--profile', 'p']);
      expect(result.code, result.stderr).to.equal(0);
      const { stdout } = await promisify(execFile)('/bin/sh', ['-c', `${result.stdout}\nenv`], { env: { ...home.env, AWS_PROFILE: 'x' } });
      const seen = Object.fromEntries(stdout.split('\n').filter((line) => line.startsWith('AWS_')).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
      const key = issuedKey()!;
      const issued = world.sts.issued.get(key)!;
      expect(seen).to.deep.include({ AWS_ACCESS_KEY_ID: key, AWS_SECRET_ACCESS_KEY: issued.secretAccessKey, AWS_SESSION_TOKEN: issued.sessionToken, AWS_REGION: 'eu-central-1' });
      expect(seen).not.to.have.any.keys('AWS_PROFILE', 'AWS_DEFAULT_PROFILE');
      expect(result.stdout).to.match(/^unset AWS_PROFILE AWS_DEFAULT_PROFILE\nexport AWS_ACCESS_KEY_ID='ASIA[A-Z2-7]{16}'\n/);
    });

    it('fish, powershell and dotenv text; json parses', async function () {
      const key = issuedKey()!;
      const fish = await home.run(['env', '--profile', 'p', '--format', 'fish']);
      expect(fish.stdout).to.include(`set -gx AWS_ACCESS_KEY_ID '${key}'\n`).and.match(/^set -e AWS_PROFILE AWS_DEFAULT_PROFILE 2>\/dev\/null\n/);
      const powershell = await home.run(['env', '--profile', 'p', '--format', 'powershell']);
      expect(powershell.stdout).to.include(`$Env:AWS_ACCESS_KEY_ID = '${key}'\n`).and.include('Remove-Item -Path Env:AWS_PROFILE -ErrorAction SilentlyContinue\n');
      const dotenv = await home.run(['env', '--profile', 'p', '--format', 'dotenv']);
      expect(dotenv.stdout).to.include(`AWS_ACCESS_KEY_ID=${key}\n`).and.not.include('AWS_PROFILE');
      const json = await home.run(['env', '--profile', 'p', '--format', 'json']);
      expect(JSON.parse(json.stdout)).to.include({ AWS_ACCESS_KEY_ID: key, AWS_REGION: 'eu-central-1' });
      const reported = await home.run(['env', '--profile', 'p', '--json']);
      expect(JSON.parse(reported.stdout)).to.deep.include({ profile: 'p', unset: ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE'] });
      expect(JSON.parse(reported.stdout).variables.AWS_ACCESS_KEY_ID).to.equal(key);
    });

    it('bash and dash read the sh format the same', async function () {
      const result = await home.run(['env', '--profile', 'p']);
      for (const shell of ['bash', 'dash']) {
        const path = findExecutable(shell);
        if (!path) continue;
        const { stdout } = await promisify(execFile)(path, ['-c', `${result.stdout}\nprintf %s "$AWS_SESSION_TOKEN"`], { env: home.env });
        expect(stdout, shell).to.equal(world.sts.issued.get(issuedKey()!)!.sessionToken);
      }
    });
  });
});
