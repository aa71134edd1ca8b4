/**
 * `--duo-device` / awsl_duo_device against the Shibboleth-style IdP with Duo, and session policies
 * (`--policy-file`, `--policy-arns`, awsl_policy_file, awsl_policy_arns) reaching the STS stand-in
 * as AssumeRoleWithSAML's Policy and PolicyArns — or refused before any request to the IdP.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { ADMIN_ROLE, startDuoWorld, type DuoWorld } from './duo-world.js';

const POLICY = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: '*' }] };
const READ_ONLY = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
const NARROW = 'arn:aws:iam::444444444444:policy/team/Narrow';

describe('awsl login: Duo device and session policies', function () {
  let world: DuoWorld;

  before(async function () {
    world = await startDuoWorld();
  });

  after(async function () {
    await world?.stop();
  });

  const lastAttempt = () => world.idp.duo.attempts.at(-1);
  const lastRequest = () => world.idp.requests.at(-1);
  const issuedFor = (key: string | undefined) => world.sts.issued.get(key ?? '');

  describe('Duo device', function () {
    it('--duo-device sends X-Shibboleth-Duo-Device with the factor, and Duo pushes to that device', async function () {
      const user = await world.user({ factor: 'push' });
      const result = await user.login(['--duo-device', 'phone2']);
      expect(result.code, result.stderr).to.equal(0);
      expect(lastRequest()?.headers).to.include({ 'x-shibboleth-duo-factor': 'push', 'x-shibboleth-duo-device': 'phone2' });
      expect(lastAttempt()).to.include({ factor: 'push', device: 'phone2', result: 'allow' });
      world.expectLoggedIn(user);
    });

    it('awsl_duo_device is the default, the flag overrides it, and a renamed header is honoured', async function () {
      const user = await world.user({ factor: 'phone', configure: ['--duo-device', 'phone1'] });
      expect((await user.login()).code).to.equal(0);
      expect(lastAttempt()).to.include({ factor: 'phone', device: 'phone1', result: 'allow' });
      expect((await user.run(['logout', '--forget'])).code, 'logout --forget').to.equal(0);
      expect((await user.login(['--duo-device', 'auto'])).code).to.equal(0);
      expect(lastRequest()?.headers['x-shibboleth-duo-device']).to.equal('auto');

      const renamed = await world.user({ factor: 'push', configure: ['--duo-device', 'phone2', '--duo-device-header', 'X-Duo-Device'] });
      expect((await renamed.login()).code).to.equal(0);
      expect(lastRequest()?.headers).to.include({ 'x-duo-device': 'phone2' }).and.not.to.have.property('x-shibboleth-duo-device');
      expect(lastAttempt()?.device, 'the IdP reads only its own header name').to.equal('auto');
    });

    it('sends no device header unless one is asked for', async function () {
      const user = await world.user({ factor: 'push' });
      expect((await user.login()).code).to.equal(0);
      expect(lastRequest()?.headers).not.to.have.property('x-shibboleth-duo-device');
      expect(lastAttempt()?.device).to.equal('auto');
    });

    it('a device the user does not have: exit 7 naming the device and how to choose another; no credentials', async function () {
      const user = await world.user({ factor: 'push' });
      const result = await user.login(['--duo-device', 'phone9']);
      expect(result.code, result.stderr).to.equal(7);
      expect(result.stderr).to.include('the password or the Duo second factor (factor push, device phone9) was not accepted');
      expect(result.stderr).to.include('or another device: --duo-device auto|ID.');
      expect(user.credentials()).to.equal(undefined);
    });

    it('refuses a device id that cannot be one, before asking anyone', async function () {
      const user = await world.user({ factor: 'push' });
      const before = world.idp.requests.length;
      const result = await user.login(['--duo-device', 'my phone']);
      expect(result.code, result.stderr).to.equal(2);
      expect(result.stderr).to.include('Duo device "my phone" is not accepted.');
      expect(world.idp.requests).to.have.length(before);
    });
  });

  describe('session policies', function () {
    it('--policy-file and --policy-arns reach STS as Policy (compacted) and PolicyArns', async function () {
      const user = await world.user({ factor: 'push' });
      const file = join(user.sandbox.home, 'policy.json');
      writeFileSync(file, JSON.stringify(POLICY, null, 2));
      const result = await user.login(['--policy-file', file, '--policy-arns', `${READ_ONLY}, ${NARROW}`]);
      expect(result.code, result.stderr).to.equal(0);
      const issued = issuedFor(user.credentials()?.aws_access_key_id);
      expect(issued?.policy).to.equal(JSON.stringify(POLICY));
      expect(issued?.policyArns).to.deep.equal([READ_ONLY, NARROW]);
      expect(issued?.arn).to.match(/assumed-role\/Admin\//);
    });

    it('awsl_policy_file and awsl_policy_arns apply to every login; the flags override them', async function () {
      const user = await world.user({ factor: 'push' });
      const file = join(user.sandbox.home, 'policy.json');
      writeFileSync(file, JSON.stringify(POLICY));
      expect((await user.run(['login', 'configure', '--policy-file', file, '--policy-arns', NARROW, '--no-prompt'])).code).to.equal(0);
      expect((await user.login()).code).to.equal(0);
      expect(issuedFor(user.credentials()?.aws_access_key_id)).to.deep.include({ policy: JSON.stringify(POLICY), policyArns: [NARROW] });
      expect((await user.login(['--policy-arns', READ_ONLY])).code).to.equal(0);
      expect(issuedFor(user.credentials()?.aws_access_key_id)).to.deep.include({ policy: JSON.stringify(POLICY), policyArns: [READ_ONLY] });
    });

    it('no policies: STS gets neither parameter', async function () {
      const user = await world.user({ factor: 'push' });
      expect((await user.login()).code).to.equal(0);
      const request = world.sts.requests.at(-1);
      expect(Object.keys(request?.params ?? {}).filter((name) => name.startsWith('Polic'))).to.deep.equal([]);
      expect(issuedFor(user.credentials()?.aws_access_key_id)).to.deep.include({ policy: undefined, policyArns: [] });
    });

    it('a malformed ARN, too many ARNs or a policy over 2,048 characters fail before any request to the IdP or STS', async function () {
      const user = await world.user({ factor: 'push' });
      const big = join(user.sandbox.home, 'big.json');
      const bigPolicy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'x'.repeat(2100) }] });
      writeFileSync(big, JSON.stringify(JSON.parse(bigPolicy), null, 2));
      const eleven = Array.from({ length: 11 }, (_, index) => `arn:aws:iam::444444444444:policy/P${index}`).join(',');
      const [idpBefore, stsBefore] = [world.idp.requests.length, world.sts.requests.length];
      const cases: [string[], number, string][] = [
        [['--policy-arns', ADMIN_ROLE], 2, `"${ADMIN_ROLE}" is not an IAM managed policy ARN.`],
        [['--policy-arns', eleven], 2, '11 session policy ARNs given; STS takes at most 10.'],
        [['--policy-file', big], 5, `${big}: is ${bigPolicy.length} characters without white space; STS takes at most 2048`],
        [['--policy-file', join(user.sandbox.home, 'missing.json')], 5, 'cannot read the session policy'],
      ];
      for (const [args, code, message] of cases) {
        const result = await user.login(args);
        expect(result.code, result.stderr).to.equal(code);
        expect(result.stderr).to.include(message);
      }
      expect(world.idp.requests, 'no request to the IdP').to.have.length(idpBefore);
      expect(world.sts.requests, 'no request to STS').to.have.length(stsBefore);
      expect(user.credentials()).to.equal(undefined);
    });

    it('configure refuses a malformed awsl_policy_arns and keeps the profile as it was', async function () {
      const user = await world.user({ factor: 'push' });
      const result = await user.run(['login', 'configure', '--policy-arns', 'ReadOnlyAccess', '--no-prompt']);
      expect(result.code, result.stderr).to.equal(2);
      expect(result.stderr).to.include('"ReadOnlyAccess" is not an IAM managed policy ARN.');
      expect((await user.login()).code).to.equal(0);
    });
  });
});
