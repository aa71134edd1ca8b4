import { writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { writeProfileCredentials } from '../../src/aws/credentials-file.js';
import { NeedsTerminalError, NetworkError } from '../../src/errors.js';
import type { RunContext } from '../../src/pipeline/context.js';
import { ensureCredentials } from '../../src/pipeline/ensure-credentials.js';
import type { LoginOutcome, LoginRequest } from '../../src/pipeline/login.js';
import { writeCachedCredentials } from '../../src/state/credentials-cache.js';
import { createLogger } from '../../src/ui/logger.js';
import { createHome, type Home } from '../support/world.js';

const ADMIN = 'arn:aws:iam::111111111111:role/Admin';
const READ_ONLY = 'arn:aws:iam::222222222222:role/ReadOnly';
const logger = createLogger('quiet', () => undefined);

describe('pipeline/ensure-credentials', function () {
  let home: Home;
  let env: NodeJS.ProcessEnv;
  let logins: LoginRequest[];

  /** Stands in for the login pipeline: records the request, writes where the real one would. */
  const fakeLogin = (delayMs = 0) => async (_context: RunContext, request: LoginRequest): Promise<LoginOutcome> => {
    logins.push(request);
    await sleep(delayMs);
    const roleArn = request.roleArn ?? ADMIN;
    const credentials = { accessKeyId: `ASIANEW${logins.length}`, secretAccessKey: 's', sessionToken: 't', expiration: new Date(Date.now() + 3_600_000), roleArn };
    await writeProfileCredentials(request.profile, credentials, logger, env);
    const role = { roleArn, principalArn: 'arn:aws:iam::111111111111:saml-provider/idp', accountId: '111111111111', roleName: 'Admin', partition: 'aws' as const };
    return { profile: request.profile, role, accountName: undefined, credentials, durationSeconds: 3600, usedSavedSession: true, durationReduced: false };
  };
  const ensure = (delayMs = 0, profile = 'p') => ensureCredentials(home.inProcess([], { interactive: false }).context, { profile, login: fakeLogin(delayMs) });
  const stored = (expiresInMs: number, roleArn = ADMIN) => writeProfileCredentials('p', { accessKeyId: 'ASIAOLD', secretAccessKey: 's', sessionToken: 't', expiration: new Date(Date.now() + expiresInMs), roleArn }, logger, env);
  const config = (extra = '') => writeFileSync(env.AWS_CONFIG_FILE!, `[profile p]\nawsl_provider = ecp\nawsl_ecp_endpoint_url = https://idp.example.edu/ecp\nregion = eu-west-1\n${extra}`);

  beforeEach(function () {
    home = createHome();
    env = home.env;
    logins = [];
    config();
  });
  afterEach(function () {
    home.sandbox.remove();
  });

  it('uses credentials with more than 15 minutes left (botocore\'s advisory refresh window), without logging in; the region from the profile', async function () {
    await stored(16 * 60_000);
    const ensured = await ensure();
    expect(ensured.credentials.accessKeyId).to.equal('ASIAOLD');
    expect(ensured).to.include({ region: 'eu-west-1', login: undefined });
    expect(logins).to.have.length(0);
  });

  it('logs in when they are missing or within 15 minutes of expiry, for the role they were for', async function () {
    const first = await ensure();
    expect(first.credentials.accessKeyId).to.equal('ASIANEW1');
    expect(logins[0]!.roleArn).to.equal(undefined);
    await stored(14 * 60_000, READ_ONLY);
    const second = await ensure();
    expect(second.credentials.accessKeyId).to.equal('ASIANEW2');
    expect(logins[1]!.roleArn, 'no menu on a refresh').to.equal(READ_ONLY);
    expect(second.login?.role.roleArn).to.equal(READ_ONLY);
  });

  it('logs in when the profile now asks for another role', async function () {
    config(`awsl_role_arn = ${READ_ONLY}\n`);
    await stored(60 * 60_000, ADMIN);
    await ensure();
    expect(logins).to.have.length(1);
    expect(logins[0]!.roleArn, 'the configured role decides').to.equal(undefined);
  });

  it('reads the private cache for credential_process profiles', async function () {
    config('credential_process = /usr/bin/node /x/bin/run.js credential-process --profile p\nawsl_credential_process = true\n');
    await writeCachedCredentials(home.sandbox.stateDirectory, 'p', { Version: 1, AccessKeyId: 'ASIACACHE', SecretAccessKey: 's', SessionToken: 't', Expiration: new Date(Date.now() + 3_600_000).toISOString() });
    const ensured = await ensure();
    expect(ensured.credentials.accessKeyId).to.equal('ASIACACHE');
    expect(logins).to.have.length(0);
  });

  it('when the refresh needs a person and none can be asked, hands out the still-valid credentials with a one-line note', async function () {
    const needsPerson = async (_context: RunContext, request: LoginRequest): Promise<LoginOutcome> => {
      logins.push(request);
      throw new NeedsTerminalError('awsl needs to ask "Password for alice" but there is no terminal.', 'Run awsl login.');
    };
    const unattended = home.inProcess([], { interactive: false });
    const notes = unattended.logs;
    const run = (login: (context: RunContext, request: LoginRequest) => Promise<LoginOutcome>) => ensureCredentials(unattended.context, { profile: 'p', login });
    await stored(10 * 60_000);
    const ensured = await run(needsPerson);
    expect(ensured.credentials.accessKeyId).to.equal('ASIAOLD');
    expect(logins, 'a refresh was tried').to.have.length(1);
    expect(notes).to.have.length(1);
    expect(notes[0]).to.match(/^warning: could not refresh p without a person \(awsl login --profile p will\); its credentials still work until \d{4}-\d\d-\d\dT[\d:]+Z\.\n$/);

    // Under a minute left, or another failure: the error, not the credentials.
    await stored(50_000);
    let error = await run(needsPerson).catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(NeedsTerminalError);
    await stored(10 * 60_000);
    error = await run(async () => { throw new NetworkError('IdP unreachable.'); }).catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(NetworkError);
  });

  it('lets concurrent callers share one login', async function () {
    const results = await Promise.all([ensure(150), ensure(150), ensure(150)]);
    expect(logins).to.have.length(1);
    expect(new Set(results.map((result) => result.credentials.accessKeyId))).to.deep.equal(new Set(['ASIANEW1']));
  });
});
