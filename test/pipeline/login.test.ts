/**
 * The login pipeline in-process: the real ECP provider against the SimpleSAMLphp IdP, the STS
 * stand-in, real AWS files in a throwaway HOME, a scripted prompter. Nothing of awsl is replaced;
 * what is checked is what a user gets: the prompts, the role, the credentials written, the errors.
 */
import { expect } from 'chai';
import { AuthenticationFailedError, StsError, type AwslError } from '../../src/errors.js';
import { login, type LoginRequest } from '../../src/pipeline/login.js';
import { SIMPLESAMLPHP_USERS, type SimpleSamlPhp } from '../peers/simplesamlphp/index.js';
import { simpleSamlPhp, startWorld, type World } from '../support/world.js';

const ALICE = SIMPLESAMLPHP_USERS.alice;
const ADMIN = ALICE.roles[0]!;
const READ_ONLY = ALICE.roles[1]!;
const PASSWORD_PROMPT = 'Password for alice';
const ROLE_MENU = 'Role [1-2, name or prefix, q to quit]';

describe('pipeline/login', function () {
  let world: World<SimpleSamlPhp>;
  const request = (extra: Partial<LoginRequest> = {}): LoginRequest => ({ profile: 'work', options: { flags: {} }, ...extra });

  before(async function () {
    world = await startWorld(await simpleSamlPhp(this));
  });
  after(async function () {
    await world?.stop();
  });

  it('first login: asks the password and the role, writes the chosen role\'s credentials; the second reuses the IdP session and asks nothing', async function () {
    const home = world.home();
    home.writeConfig(home.profileSection('work', 'alice'));
    const first = home.inProcess([ALICE.password, '2']);
    const from = world.assumeRoleCount();

    const outcome = await login(first.context, request());

    expect(first.prompter.questions).to.deep.equal([PASSWORD_PROMPT, ROLE_MENU]);
    expect(outcome.role.roleArn).to.equal(READ_ONLY.roleArn);
    expect(outcome.usedSavedSession).to.equal(false);
    const section = home.credentials('work');
    expect(section).to.include({ aws_access_key_id: outcome.credentials.accessKeyId, awsl_role_arn: READ_ONLY.roleArn });
    expect(world.issuedFor(section).arn).to.equal('arn:aws:sts::222222222222:assumed-role/ReadOnly/alice@example.org');

    const second = home.inProcess(['1']);
    const again = await login(second.context, request());

    expect(second.prompter.questions).to.deep.equal([ROLE_MENU]);
    expect(again.usedSavedSession).to.equal(true);
    expect(again.role.roleArn).to.equal(ADMIN.roleArn);
    expect(world.issuedFor(home.credentials('work')).arn).to.equal('arn:aws:sts::111111111111:assumed-role/Admin/alice@example.org');
    expect(world.assumeRoleCount() - from).to.equal(2);
  });

  it('takes the role given as --role-arn without a menu', async function () {
    const home = world.home();
    home.writeConfig(home.profileSection('work', 'alice'));
    const { context, prompter } = home.inProcess([ALICE.password]);
    const from = world.sts.requests.length;

    const outcome = await login(context, request({ roleArn: ADMIN.roleArn }));

    expect(prompter.questions).to.deep.equal([PASSWORD_PROMPT]);
    expect(outcome.role.roleArn).to.equal(ADMIN.roleArn);
    expect(world.sts.requests.slice(from).map((r) => [r.action, r.params.RoleArn, r.status])).to.deep.equal([['AssumeRoleWithSAML', ADMIN.roleArn, 200]]);
    expect(home.credentials('work')?.awsl_role_arn).to.equal(ADMIN.roleArn);
  });

  it('asks a wrong password again once, then stops with AuthenticationFailedError (exit 7), writing nothing and calling no STS', async function () {
    const home = world.home();
    home.writeConfig(home.profileSection('work', 'alice'));
    const { context, prompter } = home.inProcess(['wrong-1', 'wrong-2', ALICE.password]);
    const from = world.sts.requests.length;

    const error = await login(context, request({ roleArn: ADMIN.roleArn })).catch((caught: unknown) => caught);

    expectError(error, AuthenticationFailedError, 7);
    expect((error as Error).message).to.include('The IdP rejected the username or password');
    expect(prompter.questions).to.deep.equal([PASSWORD_PROMPT, PASSWORD_PROMPT]);
    expect(world.sts.requests.length).to.equal(from);
    expect(home.credentials('work')).to.equal(undefined);
  });

  it('maps STS\'s refusal to StsError (exit 12) naming the code and what to do, and writes nothing', async function () {
    const untrusting = await world.startSts({ trustedProviders: {} });
    const home = world.home({ AWS_ENDPOINT_URL_STS: untrusting.url });
    home.writeConfig(home.profileSection('work', 'alice'));
    const { context } = home.inProcess([ALICE.password]);

    const error = await login(context, request({ roleArn: ADMIN.roleArn })).catch((caught: unknown) => caught);

    expectError(error, StsError, 12);
    expect(error).to.have.property('code', 'InvalidIdentityToken');
    expect((error as StsError).message).to.include('STS refused AssumeRoleWithSAML (InvalidIdentityToken)');
    expect((error as StsError).hint).to.include('SAML provider in IAM');
    expect(untrusting.requests.map((r) => r.errorCode)).to.deep.equal(['InvalidIdentityToken']);
    expect(home.credentials('work')).to.equal(undefined);
  });

  it('reads the STS endpoint and the AWS files from the run\'s environment, not from process.env', async function () {
    const saved = { sts: process.env.AWS_ENDPOINT_URL_STS, config: process.env.AWS_CONFIG_FILE };
    // What the SDK would read on its own: a closed port and a config file that does not exist.
    process.env.AWS_ENDPOINT_URL_STS = 'http://127.0.0.1:9';
    process.env.AWS_CONFIG_FILE = '/nonexistent/config';
    try {
      const home = world.home();
      home.writeConfig(home.profileSection('work', 'alice'));
      const { context } = home.inProcess([ALICE.password]);

      const outcome = await login(context, request({ roleArn: ADMIN.roleArn }));

      expect(world.issuedFor(home.credentials('work')).accessKeyId).to.equal(outcome.credentials.accessKeyId);
    } finally {
      restore('AWS_ENDPOINT_URL_STS', saved.sts);
      restore('AWS_CONFIG_FILE', saved.config);
    }
  });
});

/**
 * The error's class, by name, and its exit code. By name: mocha loads this file through require(),
 * and the provider that the pipeline imports lazily is a second, ESM copy of awsl's modules.
 */
function expectError(error: unknown, type: abstract new (...args: never[]) => AwslError, exitCode: number): void {
  expect(error).to.be.instanceOf(Error);
  expect(error).to.have.property('name', type.name);
  expect(error).to.have.property('exitCode', exitCode);
}

function restore(name: string, value: string | undefined): void {
  if (value === undefined) Reflect.deleteProperty(process.env, name);
  else process.env[name] = value;
}
