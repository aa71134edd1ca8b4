/**
 * One authentication per IdP session: profiles that share an IdP and a username log in with one
 * password and one second factor, whether they run in parallel (the AWS CLI or Terraform starting
 * credential_process for each) or one after another in `awsl login --profile a --profile b`. The
 * requests are counted at the peers: the Shibboleth/Duo stand-in, the OneLogin stand-in, STS.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { AWS_CLI, available as awsCliAvailable } from '../peers/aws-cli.js';
import { verifyPath, samlPath } from '../peers/onelogin/index.js';
import { findExecutable } from '../peers/process.js';
import { createSandbox, runAwsl, runInTerminal, type Sandbox } from '../support/cli.js';
import { requirePeer } from '../support/peers.js';
import { addRegion } from './credentials-world.js';
import { ADMIN_ROLE, DUO_PASSWORD, DUO_USER, PROFILE, startDuoWorld, type DuoWorld } from './duo-world.js';
import { ONELOGIN, startOneLoginWorld, type OneLoginWorld } from './onelogin-world.js';

const PROFILES = ['a', 'b', 'c', 'd', 'e'];

describe('one login per IdP session (built CLI)', function () {
  this.timeout(120_000);

  describe('ECP with Duo (Shibboleth/Duo stand-in, STS stand-in)', function () {
    let world: DuoWorld;
    let sandbox: Sandbox;

    beforeEach(async function () {
      world = await startDuoWorld();
      // One person: PROFILE and five more, all duo-user on the one IdP, no saved session.
      sandbox = (await world.user()).sandbox;
      for (const profile of PROFILES) {
        const configured = await runAwsl(['login', 'configure', '--profile', profile, '--provider', 'ecp', '--ecp-endpoint-url', world.idp.url,
          '--username', DUO_USER, '--role-arn', ADMIN_ROLE, '--credential-process', '--no-prompt'], { env: sandbox.env });
        expect(configured.code, configured.stderr).to.equal(0);
        addRegion(sandbox.configFile, profile);
      }
    });

    afterEach(async function () {
      await world?.stop();
    });

    const passwordPosts = () => world.idp.requests.filter((request) => String(request.headers.authorization ?? '').startsWith('Basic ')).length;
    const assumed = () => world.sts.requests.filter((request) => request.action === 'AssumeRoleWithSAML' && request.status === 200).length;

    it('5 parallel aws sts get-caller-identity through /usr/bin/aws: one password prompt and post, one Duo push, five identities', async function () {
      requirePeer(this, awsCliAvailable(), 'AWS CLI v2 at /usr/bin/aws (Debian awscli)');
      requirePeer(this, findExecutable('script') !== undefined, 'script(1) from util-linux (bsdutils)');
      const out = mkdtempSync(join(tmpdir(), 'awsl-parallel-'));
      try {
        const calls = PROFILES.map((profile) => `${AWS_CLI} sts get-caller-identity --profile ${profile} --endpoint-url ${world.sts.url} --output json >${out}/${profile}.json 2>${out}/${profile}.err &`);
        const result = await runInTerminal(`sh -c '${calls.join(' ')} wait'`, { env: { ...sandbox.env, AWS_PAGER: '' },
          steps: [{ expect: `Password for ${DUO_USER}`, send: `${DUO_PASSWORD}\r` }] });
        expect(result.code, result.screen).to.equal(0);
        for (const profile of PROFILES) {
          const identity = JSON.parse(readFileSync(join(out, `${profile}.json`), 'utf8') || '{}') as { Arn?: string };
          expect(identity.Arn, `${profile}: ${readFileSync(join(out, `${profile}.err`), 'utf8')}`).to.equal('arn:aws:sts::444444444444:assumed-role/Admin/duo-user@example.org');
        }
        expect(result.screen.split(`Password for ${DUO_USER}`), 'password prompts on the terminal').to.have.length(2);
        expect(passwordPosts(), 'password posts at the IdP').to.equal(1);
        expect(world.idp.duo.attempts.map((attempt) => attempt.factor), 'Duo pushes').to.deep.equal(['auto']);
        expect(world.idp.requests.filter((request) => request.usedSession), 'the others reused the IdP session').to.have.length(PROFILES.length - 1);
        expect(assumed(), 'one AssumeRoleWithSAML per profile').to.equal(PROFILES.length);
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    });

    it('awsl login --profile a --profile b …: one password, one push, every profile logged in; --role-arn is refused for several', async function () {
      const result = await runAwsl(['login', '--password-stdin', ...PROFILES.flatMap((profile) => ['--profile', profile])], { env: sandbox.env, input: `${DUO_PASSWORD}\n` });
      expect(result.code, result.stderr).to.equal(0);
      const lines = result.stdout.trimEnd().split('\n');
      expect(lines).to.have.length(2 * PROFILES.length);
      expect(lines[0]).to.match(/^Logged in as Admin in account 444444444444\.$/);
      for (const [index, profile] of PROFILES.entries()) {
        expect(lines[2 * index + 1]).to.match(new RegExp(`^Credentials for profile ${profile} expire at `));
        if (index > 0) expect(lines[2 * index]).to.match(/, through the saved IdP session\.$/);
      }
      expect(passwordPosts()).to.equal(1);
      expect(world.idp.duo.attempts).to.have.length(1);
      expect(assumed()).to.equal(PROFILES.length);

      const json = await runAwsl(['login', '--json', '--profile', 'a', '--profile', 'b'], { env: sandbox.env });
      expect(json.code, json.stderr).to.equal(0);
      expect((JSON.parse(json.stdout) as Array<{ profile: string }>).map((entry) => entry.profile)).to.deep.equal(['a', 'b']);

      const refused = await runAwsl(['login', '--profile', 'a', '--profile', PROFILE, '--role-arn', ADMIN_ROLE], { env: sandbox.env });
      expect(refused.code).to.equal(2);
      expect(refused.stderr).to.include('--role-arn is for one profile at a time');
    });
  });

  describe('OneLogin (OneLogin API stand-in, STS stand-in)', function () {
    let world: OneLoginWorld;
    let sandbox: Sandbox;

    before(async function () {
      world = await startOneLoginWorld();
    });
    after(async function () {
      await world?.stop();
      sandbox?.remove();
    });

    it('parallel logins for the same app and user reuse one assertion: one saml_assertion, one verify_factor, three roles assumed; a later run asks again', async function () {
      sandbox = createSandbox();
      const profiles = ['x', 'y', 'z'];
      for (const profile of profiles) await world.configure(sandbox, profile);
      const results = await Promise.all(profiles.map((profile) => world.login(sandbox, profile)));
      for (const result of results) expect(result.code, result.stderr).to.equal(0);
      expect(world.api.count(samlPath(2)), 'saml_assertion requests').to.equal(1);
      expect(world.api.count(verifyPath(2)), 'verify_factor requests').to.equal(1);
      expect(results.filter((result) => result.stdout.includes(', through the saved IdP session')), 'logins that reused it').to.have.length(2);
      const assumed = world.sts.requests.filter((request) => request.action === 'AssumeRoleWithSAML' && request.status === 200);
      expect(assumed.map((request) => request.params.RoleArn)).to.deep.equal([ONELOGIN.roleArn, ONELOGIN.roleArn, ONELOGIN.roleArn]);

      // Only runs that were waiting reuse it: a later login asks OneLogin (and the second factor) itself.
      const kept = () => readdirSync(join(sandbox.stateDirectory, 'sessions')).filter((name) => name.endsWith('.assertion.json'));
      expect(kept()).to.have.length(1);
      const later = await world.login(sandbox, 'y');
      expect(later.code, later.stderr).to.equal(0);
      expect(later.stdout).not.to.include(', through the saved IdP session');
      expect(world.api.count(samlPath(2))).to.equal(2);
      expect(world.api.count(verifyPath(2))).to.equal(2);

      // logout --forget removes the kept assertion with the rest of the IdP session.
      const forgot = await runAwsl(['logout', '--profile', 'x', '--forget'], { env: { ...sandbox.env, AWSL_ONELOGIN_CLIENT_SECRET: ONELOGIN.clientSecret } });
      expect(forgot.code, forgot.stderr).to.equal(0);
      expect(kept()).to.have.length(0);
    });
  });
});
