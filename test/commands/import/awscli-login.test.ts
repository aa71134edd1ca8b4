/**
 * awsl import awscli-login on the files awscli-login writes (its own ~/.aws-login/config, its
 * credential_process lines in ~/.aws/credentials, its plugin in ~/.aws/config), with the real
 * AWS CLI reading the result.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from 'chai';
import { isoSeconds } from '../../../src/aws/credential-process.js';
import { available as awsCliAvailable, awsCli } from '../../peers/aws-cli.js';
import { AWSL_BIN, createSandbox, runAwsl, runAwslInTerminal, type Sandbox } from '../../support/cli.js';
import { requirePeer } from '../../support/peers.js';

const SHIB = 'https://shibboleth.illinois.edu/idp/profile/SAML2/SOAP/ECP';
const LOGIN_CONFIG = `[default]
ecp_endpoint_url = ${SHIB}
username = netid
factor = push

[prod]
ecp_endpoint_url = ${SHIB}
username = netid
enable_keyring = True
factor = passcode
role_arn = arn:aws:iam::123456789012:role/Admin
duration = 3600
http_header_factor = X-Shiboleth-Duo-Factor
verify_ssl_certificate = false
password = hunter2

[nourl]
username = netid
`;
const CREDENTIALS = `[default]
credential_process = aws-login --profile default

[prod]
credential_process = aws-login --profile prod

[static]
aws_access_key_id = AKIAEXAMPLESTATIC
aws_secret_access_key = secret
`;
const CONFIG = `[plugins]
login = awscli_login
cli_legacy_plugin_path = /usr/lib/python3/dist-packages

# my production account
[profile prod]
region = us-east-2
`;

describe('awsl import awscli-login', function () {
  let sandbox: Sandbox;
  const loginConfig = () => join(sandbox.home, '.aws-login', 'config');
  const aws = (args: string[]) => awsCli(args, { AWS_CONFIG_FILE: sandbox.configFile, AWS_SHARED_CREDENTIALS_FILE: sandbox.credentialsFile, AWSL_STATE_DIR: sandbox.stateDirectory, HOME: sandbox.home });

  before(function () {
    requirePeer(this, awsCliAvailable(), 'AWS CLI v2 at /usr/bin/aws (Debian awscli)');
  });
  beforeEach(function () {
    sandbox = createSandbox();
    mkdirSync(dirname(loginConfig()), { mode: 0o700 });
    writeFileSync(loginConfig(), LOGIN_CONFIG, { mode: 0o600 });
    writeFileSync(join(sandbox.home, '.aws-login', 'credentials'), '[prod]\naws_access_key_id = ASIAOLD\n', { mode: 0o600 });
    writeFileSync(sandbox.credentialsFile, CREDENTIALS, { mode: 0o600 });
    writeFileSync(sandbox.configFile, CONFIG, { mode: 0o600 });
  });
  afterEach(function () {
    sandbox.remove();
  });

  it('with --yes writes awsl settings, rewrites the lines, unloads the plugin, leaves awscli-login\'s files; the AWS CLI reads it all', async function () {
    const result = await runAwsl(['import', 'awscli-login', '--yes'], { env: sandbox.env });
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.equal([
      'Profile default: imported 4 settings; credential_process now runs awsl.',
      'Profile prod: imported 9 settings; credential_process now runs awsl.',
      'Profile nourl: not imported.',
      'Unloaded the awscli-login plugin from the AWS CLI.',
      '',
    ].join('\n'));
    expect(result.stderr).to.include('warning: profile prod: password not imported: awsl keeps passwords only in the OS keyring');
    expect(result.stderr).to.include('warning: profile nourl: no ecp_endpoint_url (the IdP\'s ECP endpoint URL); profile not imported. Set it up with: awsl login configure --profile nourl');

    const line = (profile: string) => `${AWSL_BIN} credential-process --profile ${profile}`;
    expect(readFileSync(sandbox.configFile, 'utf8')).to.equal(`# my production account
[profile prod]
region = us-east-2
awsl_provider = ecp
awsl_ecp_endpoint_url = ${SHIB}
awsl_username = netid
awsl_enable_keyring = true
awsl_duo_factor = passcode
awsl_role_arn = arn:aws:iam::123456789012:role/Admin
awsl_duration = 3600
awsl_duo_factor_header = X-Shiboleth-Duo-Factor
awsl_verify_tls = false
credential_process = ${line('prod')}
awsl_credential_process = true

[default]
awsl_provider = ecp
awsl_ecp_endpoint_url = ${SHIB}
awsl_username = netid
awsl_duo_factor = push
credential_process = ${line('default')}
awsl_credential_process = true
`);
    expect(readFileSync(sandbox.credentialsFile, 'utf8')).to.equal('[static]\naws_access_key_id = AKIAEXAMPLESTATIC\naws_secret_access_key = secret\n');
    expect(readFileSync(loginConfig(), 'utf8')).to.equal(LOGIN_CONFIG);
    expect(readFileSync(join(sandbox.home, '.aws-login', 'credentials'), 'utf8')).to.equal('[prod]\naws_access_key_id = ASIAOLD\n');

    for (const [key, want] of [['awsl_ecp_endpoint_url', SHIB], ['awsl_role_arn', 'arn:aws:iam::123456789012:role/Admin'], ['credential_process', line('prod')], ['region', 'us-east-2']]) {
      const got = await aws(['configure', 'get', key!, '--profile', 'prod']);
      expect(got.stdout.trim(), got.stderr).to.equal(want);
    }
    const cache = join(sandbox.stateDirectory, 'cache', 'prod.json');
    mkdirSync(dirname(cache), { recursive: true, mode: 0o700 });
    writeFileSync(cache, JSON.stringify({ Version: 1, AccessKeyId: 'ASIAFROMAWSL', SecretAccessKey: 's', SessionToken: 't', Expiration: isoSeconds(new Date(Date.now() + 3_600_000)) }), { mode: 0o600 });
    const exported = await aws(['configure', 'export-credentials', '--profile', 'prod']);
    expect(exported.code, exported.stderr).to.equal(0);
    expect(JSON.parse(exported.stdout)).to.deep.include({ AccessKeyId: 'ASIAFROMAWSL' });

    const doctor = await runAwsl(['doctor', '--json'], { env: { ...sandbox.env, PATH: `/usr/bin:${sandbox.env.PATH}` } });
    const findings = (JSON.parse(doctor.stdout) as { findings: Array<{ check: string; severity: string }> }).findings;
    expect(findings.filter((finding) => finding.severity === 'problem' && finding.check !== 'keyring')).to.deep.equal([]);

    const again = await runAwsl(['import', 'awscli-login', '--yes'], { env: sandbox.env });
    expect(again.code, again.stderr).to.equal(0);
    expect(again.stdout).to.equal('Profile default: not imported.\nProfile prod: not imported.\nProfile nourl: not imported.\n');
    expect(again.stderr).to.include('warning: profile prod: already set up for awsl: its awsl settings were left as they are');
  });

  it('without a terminal or --yes imports the settings but leaves the lines and the plugin, saying how to switch them', async function () {
    const result = await runAwsl(['import', 'awscli-login'], { env: sandbox.env });
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.include('Profile prod: imported 9 settings.\n');
    expect(result.stderr).to.include('warning: awscli-login\'s credential_process lines of default, prod are still in place, so the AWS CLI still runs aws-login for them. To switch them to awsl: awsl import awscli-login --yes');
    expect(readFileSync(sandbox.credentialsFile, 'utf8')).to.equal(CREDENTIALS);
    expect(readFileSync(sandbox.configFile, 'utf8')).to.match(/^\[plugins\]\nlogin = awscli_login\n/);
  });

  it('asks on a terminal before rewriting the lines', async function () {
    const result = await runAwslInTerminal(['import', 'awscli-login'], {
      env: sandbox.env,
      steps: [{ expect: 'Rewrite awscli-login\'s credential_process lines of default, prod to awsl\'s and unload the awscli-login plugin from the AWS CLI? (yes|no) [no]: ', send: 'yes\r' }],
    });
    expect(result.code, result.screen).to.equal(0);
    expect(result.screen).to.include('Profile prod: imported 9 settings; credential_process now runs awsl.');
    expect(readFileSync(sandbox.credentialsFile, 'utf8')).to.not.include('aws-login');
  });

  it('says what to do when awscli-login has no configuration here', async function () {
    const result = await runAwsl(['import', 'awscli-login'], { env: { ...sandbox.env, AWSCLI_LOGIN_ROOT: join(sandbox.home, 'nowhere') } });
    expect(result.code).to.equal(2);
    expect(result.stderr).to.equal(`${join(sandbox.home, 'nowhere', '.aws-login', 'config')} does not exist: there is no awscli-login configuration to import.\nSet AWSCLI_LOGIN_ROOT if awscli-login kept its files elsewhere, or set profiles up with: awsl login configure --profile NAME\n`);
  });
});
