/**
 * AssumeRoleWithSAML as awsl sends it, against the STS stand-in: the endpoint in the SDK's documented
 * order, taken from the run's environment and the login profile's section only; the credentials
 * returned; STS's refusals as StsError; a port that refuses as a NetworkError naming STS.
 */
import { writeFileSync } from 'node:fs';
import { expect } from 'chai';
import { assumeRoleWithSaml, isMaxSessionDurationError, STS_READ_TIMEOUT_MS } from '../../src/aws/sts.js';
import { NetworkError, StsError } from '../../src/errors.js';
import { createHttpClient, type HttpClient } from '../../src/http.js';
import { parseRoleValue } from '../../src/saml/response.js';
import { buildSamlResponse, throwawayKeyPair } from '../peers/saml-fixtures.js';
import { startStsStandIn, type StsStandIn } from '../peers/sts/index.js';
import { createHome, type Home } from '../support/world.js';

const ISSUER = 'https://idp.example.org/idp/shibboleth';
const ROLE = parseRoleValue('arn:aws:iam::444444444444:role/Admin,arn:aws:iam::444444444444:saml-provider/shibboleth');

describe('aws/sts', function () {
  const standIns: Record<'sts' | 'general' | 'services' | 'profile', StsStandIn | undefined> = { sts: undefined, general: undefined, services: undefined, profile: undefined };
  let home: Home;
  let env: NodeJS.ProcessEnv;

  before(async function () {
    for (const name of Object.keys(standIns) as (keyof typeof standIns)[]) {
      standIns[name] = await startStsStandIn({ trustedProviders: { [ROLE.principalArn]: throwawayKeyPair().cert }, maxSessionDuration: { [ROLE.roleArn]: 3600 } });
    }
  });
  after(async function () {
    for (const standIn of Object.values(standIns)) await standIn?.stop();
  });
  beforeEach(function () {
    home = createHome();
    env = { ...home.env };
    for (const standIn of Object.values(standIns)) standIn!.requests.length = 0;
  });
  afterEach(function () {
    home.sandbox.remove();
  });

  const url = (name: keyof typeof standIns) => standIns[name]!.url;
  const reached = () => Object.entries(standIns).filter(([, standIn]) => standIn!.requests.length > 0).map(([name]) => name);
  /** A profile `work` with a services section and an endpoint_url, each pointing at its own stand-in. */
  const configureEndpoints = (extra = '') => writeFileSync(env.AWS_CONFIG_FILE!,
    `[profile work]\nservices = local\nendpoint_url = ${url('profile')}\n${extra}\n[services local]\nsts =\n  endpoint_url = ${url('services')}\n`);
  const assume = (overrides: { durationSeconds?: number } = {}) => assumeRoleWithSaml({
    role: ROLE, samlResponse: buildSamlResponse({ issuer: ISSUER, roles: [`${ROLE.roleArn},${ROLE.principalArn}`], roleSessionName: 'alice' }).base64,
    durationSeconds: overrides.durationSeconds, region: 'us-east-1', profile: 'work', env, http: createHttpClient({ readTimeoutMs: STS_READ_TIMEOUT_MS }),
  });

  it('takes AWS_ENDPOINT_URL_STS over AWS_ENDPOINT_URL over the profile\'s services section over its endpoint_url', async function () {
    configureEndpoints();
    const order: string[] = [];
    for (const variables of [{ AWS_ENDPOINT_URL_STS: url('sts'), AWS_ENDPOINT_URL: url('general') }, { AWS_ENDPOINT_URL: url('general') }, {}]) {
      env = { ...env, AWS_ENDPOINT_URL_STS: undefined, AWS_ENDPOINT_URL: undefined, ...variables };
      await assume();
      order.push(...reached());
      for (const standIn of Object.values(standIns)) standIn!.requests.length = 0;
    }
    writeFileSync(env.AWS_CONFIG_FILE!, `[profile work]\nendpoint_url = ${url('profile')}\n`);
    await assume();
    order.push(...reached());
    expect(order).to.deep.equal(['sts', 'general', 'services', 'profile']);
  });

  it('returns the credentials STS issued, for the role asked', async function () {
    env.AWS_ENDPOINT_URL_STS = url('sts');
    const credentials = await assume();
    const issued = standIns.sts!.issued.get(credentials.accessKeyId);
    expect(issued?.arn).to.equal('arn:aws:sts::444444444444:assumed-role/Admin/alice');
    expect(credentials).to.include({ secretAccessKey: issued?.secretAccessKey, sessionToken: issued?.sessionToken, roleArn: ROLE.roleArn });
    expect(standIns.sts!.requests.map((request) => [request.action, request.signed, request.status])).to.deep.equal([['AssumeRoleWithSAML', false, 200]]);
  });

  /** An HTTP client that records where the SDK would send the request and goes nowhere (AWS's own endpoints are off limits to tests). */
  const recordingHttp = (urls: string[]): HttpClient => ({
    async send(request) {
      urls.push(request.url);
      throw new NetworkError('not sent', 'a test');
    },
  });
  const assumeOffline = async () => {
    const urls: string[] = [];
    await assumeRoleWithSaml({ role: ROLE, samlResponse: 'unused', durationSeconds: undefined, region: 'us-east-1', profile: 'work', env, http: recordingHttp(urls) }).catch(() => undefined);
    return urls.map((address) => new URL(address).host);
  };

  it('ignores every configured endpoint with ignore_configured_endpoint_urls, from the profile or the environment: AWS\'s own endpoint', async function () {
    configureEndpoints('ignore_configured_endpoint_urls = true\n');
    env.AWS_ENDPOINT_URL_STS = url('sts');
    expect(await assumeOffline()).to.deep.equal(['sts.us-east-1.amazonaws.com']);
    configureEndpoints();
    env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS = 'true';
    expect(await assumeOffline()).to.deep.equal(['sts.us-east-1.amazonaws.com']);
    expect(reached()).to.deep.equal([]);
  });

  it('uses the FIPS endpoint when the environment or the login profile asks for it, and only the run\'s environment counts', async function () {
    process.env.AWS_USE_FIPS_ENDPOINT = 'true';
    try {
      expect(await assumeOffline(), 'process.env is not the run\'s environment').to.deep.equal(['sts.us-east-1.amazonaws.com']);
    } finally {
      Reflect.deleteProperty(process.env, 'AWS_USE_FIPS_ENDPOINT');
    }
    env.AWS_USE_FIPS_ENDPOINT = 'true';
    expect(await assumeOffline()).to.deep.equal(['sts-fips.us-east-1.amazonaws.com']);
    env.AWS_USE_FIPS_ENDPOINT = undefined;
    writeFileSync(env.AWS_CONFIG_FILE!, '[profile work]\nuse_fips_endpoint = true\n');
    expect(await assumeOffline()).to.deep.equal(['sts-fips.us-east-1.amazonaws.com']);
  });

  it('maps STS\'s refusal to StsError with its code and a hint, and recognises the maximum-duration refusal', async function () {
    env.AWS_ENDPOINT_URL_STS = url('sts');
    const error = await assume({ durationSeconds: 7200 }).catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(StsError);
    expect(error).to.include({ code: 'ValidationError', exitCode: 12 });
    expect((error as StsError).hint).to.include('awsl login --duration SECONDS');
    expect(isMaxSessionDurationError(error)).to.equal(true);
  });

  it('names STS and where its endpoint came from when the endpoint refuses the connection', async function () {
    env.AWS_ENDPOINT_URL_STS = 'http://127.0.0.1:9';
    const error = await assume().catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(NetworkError);
    expect((error as Error).message).to.match(/^AWS STS \(from AWS_ENDPOINT_URL_STS\): /);
    expect((error as NetworkError).hint).to.include('Check the STS endpoint set in AWS_ENDPOINT_URL_STS');
  });
});
