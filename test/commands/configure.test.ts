/**
 * `awsl login configure` end to end, through the built CLI: what it writes into realistic
 * ~/.aws/config files (and what the real AWS CLI then reads), what it refuses, how it asks on a
 * terminal, where the OneLogin client secret goes, and how the profile and the file are chosen.
 */
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import LoginConfigure from '../../src/commands/login/configure.js';
import Login from '../../src/commands/login/index.js';
import Logout from '../../src/commands/logout.js';
import { available as awsCliAvailable, awsCli } from '../peers/aws-cli.js';
import { throwawayKeyPair } from '../peers/saml-fixtures.js';
import { available as keyringAvailable, SECRET_TOOL, startGnomeKeyring, type GnomeKeyring } from '../peers/keyring.js';
import { runAwsl, runAwslInTerminal, type TerminalStep } from '../support/cli.js';
import { requirePeer } from '../support/peers.js';
import { renderScreen } from '../support/screen.js';
import { corpus, ECP_URL, EXAMPLE_ARGS, expectUntouched, sandboxWithConfig, snapshot, type ConfigSandbox } from './configure-support.js';

const COMMENTED_AFTER = `# ~/.aws/config of a developer at Example University
; kept partly by hand, partly by tools

[default]
region = us-east-1
output = json

# The lab account, reached with the default profile's keys
[profile lab]
role_arn = arn:aws:iam::123456789012:role/LabAdmin
source_profile = default
; mfa_serial = arn:aws:iam::123456789012:mfa/me
duration_seconds = 3600

[profile x]
region = eu-west-1
output = text
awsl_provider = ecp
awsl_ecp_endpoint_url = https://idp.example.edu/idp/profile/SAML2/SOAP/ECP
awsl_username = me
# this note stays under the keys of x

; and this one describes ci
[profile ci]
region = us-west-2
cli_pager =
`;

const NESTED_AFTER = `[default]
region = us-east-2
s3 =
  max_concurrent_requests = 20
  multipart_threshold = 64MB

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access

[profile x]
sso_session = corp
sso_account_id = 111111111111
sso_role_name = ReadOnly
region = eu-central-1
s3 =
  addressing_style = path
  # path style for the on-premises gateway
  signature_version = s3v4
awsl_provider = ecp
awsl_ecp_endpoint_url = https://idp.example.edu/idp/profile/SAML2/SOAP/ECP
awsl_username = me

[services local]
s3 =
  endpoint_url = http://127.0.0.1:9000
dynamodb =
  endpoint_url = http://127.0.0.1:8000

[profile dev]
services = local
region = us-west-1
`;

/** Profile x is new here: a new section at the end, in CRLF like the rest. */
const CRLF_AFTER = [
  '; written on Windows',
  '[default]',
  'region = eu-north-1',
  'output = yaml',
  '',
  '[profile build]',
  'role_arn = arn:aws:iam::210987654321:role/Builder',
  'source_profile = default',
  'region = eu-north-1',
  '',
  '[profile x]',
  'awsl_provider = ecp',
  'awsl_ecp_endpoint_url = https://idp.example.edu/idp/profile/SAML2/SOAP/ECP',
  'awsl_username = me',
  '',
].join('\r\n');

const NO_FINAL_NEWLINE_AFTER = `[default]
region = ap-southeast-2

[profile x]
region = ap-southeast-2
output = table
awsl_provider = ecp
awsl_ecp_endpoint_url = https://idp.example.edu/idp/profile/SAML2/SOAP/ECP
awsl_username = me`;

/** New keys copy the style of the key line above them. */
const ODD_SPACING_AFTER = `[default]
region=us-east-1
output =json

[profile x]
output= text
region=eu-west-3
awsl_provider=ecp
awsl_ecp_endpoint_url=https://idp.example.edu/idp/profile/SAML2/SOAP/ECP
awsl_username=me
[profile   spaced]
region\t=\tca-central-1
`;

interface CorpusCase {
  fixture: string;
  after: string;
  /** A profile's `region` the AWS CLI must still read, untouched by awsl. */
  region: [profile: string, region: string];
  profiles: string[];
}

const CORPUS_CASES: CorpusCase[] = [
  { fixture: 'commented.ini', after: COMMENTED_AFTER, region: ['x', 'eu-west-1'], profiles: ['default', 'lab', 'x', 'ci'] },
  { fixture: 'nested.ini', after: NESTED_AFTER, region: ['x', 'eu-central-1'], profiles: ['default', 'x', 'dev'] },
  { fixture: 'crlf.ini', after: CRLF_AFTER, region: ['build', 'eu-north-1'], profiles: ['default', 'build', 'x'] },
  { fixture: 'no-final-newline.ini', after: NO_FINAL_NEWLINE_AFTER, region: ['x', 'ap-southeast-2'], profiles: ['default', 'x'] },
  { fixture: 'odd-spacing.ini', after: ODD_SPACING_AFTER, region: ['x', 'eu-west-3'], profiles: ['default', 'x', 'spaced'] },
];

const ECP_PROMPT = {
  provider: 'Provider (ecp|onelogin|browser)',
  endpoint: 'ECP endpoint URL',
  username: 'Username',
  keyring: 'Enable keyring (true|false)',
  duo: 'Duo factor (auto|push|passcode|sms|phone|none)',
  role: 'Role ARN',
  duration: 'Session duration in seconds',
  /** Asked last, by every provider. */
  credentialProcess: 'Use credential_process (true|false)',
};

const ONELOGIN_PROMPT = {
  subdomain: 'OneLogin subdomain',
  appId: 'OneLogin AWS app id',
  clientId: 'OneLogin API client id',
  secret: 'OneLogin API client secret (hidden)',
  storedSecret: 'OneLogin API client secret (hidden; Enter keeps the stored one)',
  region: 'OneLogin API region (us|eu)',
  ip: 'IP address for MFA allow-listing',
};

/** Every prompt line on a terminal screen, in order, as "Label" or "Label [current value]". */
function promptsShown(screen: string): string[] {
  const labels = [...Object.values(ECP_PROMPT), ...Object.values(ONELOGIN_PROMPT)].map((label) => label.replace(/[()|[\]]/g, '\\$&'));
  const prompt = new RegExp(`^(?:${labels.join('|')})(?: \\[[^\\]]*\\])?(?=: )`);
  return screen.split('\n').flatMap((line) => prompt.exec(line)?.[0] ?? []);
}

/** On a pseudo-terminal; gives up well before mocha does, so a failure shows the screen. */
function onTerminal(args: string[], env: NodeJS.ProcessEnv, steps: TerminalStep[]) {
  return runAwslInTerminal(args, { env, steps, timeoutMs: 20_000 });
}

/** Answers one prompt: waits for "Label: " (or "Label [current]: ") and types the answer and Enter. */
const answer = (label: string, typed: string): TerminalStep => ({ expect: `${label}: `, send: `${typed}\r` });

/** `args` with `flag` set to `value`, replacing the flag's value if it is there. */
function withFlag(args: string[], flag: string, value: string): string[] {
  const at = args.indexOf(flag);
  return at < 0 ? [...args, flag, value] : [...args.slice(0, at + 1), value, ...args.slice(at + 2)];
}

function configure(sandbox: ConfigSandbox, args: string[], env: NodeJS.ProcessEnv = {}) {
  return runAwsl(args, { env: { ...sandbox.env, ...env } });
}

/** Files under `folder` whose bytes contain `text`. */
function filesContaining(folder: string, text: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .map((name) => join(folder, name))
    .filter((path) => lstatSync(path).isFile() && readFileSync(path).includes(text));
}

describe('awsl login configure (built CLI)', function () {
  const sandboxes: ConfigSandbox[] = [];
  const sandbox = (text: string | undefined, extraEnv?: NodeJS.ProcessEnv) => {
    const created = sandboxWithConfig(text, extraEnv);
    sandboxes.push(created);
    return created;
  };

  after(function () {
    for (const created of sandboxes) created.remove();
  });

  describe('unattended, into realistic config files', function () {
    for (const { fixture, after, region, profiles } of CORPUS_CASES) {
      it(`${fixture}: adds only the awsl_ lines, the AWS CLI reads them, and a second run changes one line`, async function () {
        requirePeer(this, awsCliAvailable(), 'AWS CLI v2 at /usr/bin/aws (Debian awscli)');
        const home = sandbox(corpus(fixture));
        const first = await configure(home, EXAMPLE_ARGS);
        expect(first.code, first.stderr).to.equal(0);
        expect(first.stdout).to.equal(`Saved 3 settings of profile x in ${home.configFile}.\nNext: awsl --profile x login\n`);
        expect(home.read()).to.equal(after);

        const aws = (args: string[]) => awsCli(['configure', ...args], { AWS_CONFIG_FILE: home.configFile, AWS_SHARED_CREDENTIALS_FILE: home.credentialsFile });
        const [username, awsRegion, listed] = await Promise.all([
          aws(['get', 'awsl_username', '--profile', 'x']),
          aws(['get', 'region', '--profile', region[0]]),
          aws(['list-profiles']),
        ]);
        expect(username, username.stderr).to.include({ code: 0, stdout: 'me\n' });
        expect(awsRegion, awsRegion.stderr).to.include({ code: 0, stdout: `${region[1]}\n` });
        expect(listed.stdout.split('\n').filter(Boolean)).to.deep.equal(profiles);

        const second = await configure(home, ['login', 'configure', '--profile', 'x', '--username', 'someone-else', '--no-prompt']);
        expect(second.code, second.stderr).to.equal(0);
        expect(second.stdout).to.equal(`Saved 1 setting of profile x in ${home.configFile}.\nNext: awsl --profile x login\n`);
        expect(home.read()).to.equal(after.replace(/^(awsl_username\s*=\s*)me$/m, '$1someone-else'));
      });
    }

    it('writes [default] when no profile is named', async function () {
      const home = sandbox(corpus('commented.ini'));
      const result = await configure(home, EXAMPLE_ARGS.filter((arg) => arg !== '--profile' && arg !== 'x'));
      expect(result.code, result.stderr).to.equal(0);
      expect(home.read()).to.equal(corpus('commented.ini').replace('output = json\n',
        `output = json\nawsl_provider = ecp\nawsl_ecp_endpoint_url = ${ECP_URL}\nawsl_username = me\n`));
    });

    it('adds a new [profile NAME] section after one blank line, still without a final newline', async function () {
      const home = sandbox(corpus('no-final-newline.ini'));
      const result = await configure(home, ['login', 'configure', '--profile', 'new', '--provider', 'ecp', '--ecp-endpoint-url', ECP_URL, '--no-prompt']);
      expect(result.code, result.stderr).to.equal(0);
      expect(home.read()).to.equal(`${corpus('no-final-newline.ini')}\n\n[profile new]\nawsl_provider = ecp\nawsl_ecp_endpoint_url = ${ECP_URL}`);
    });

    it('says so and writes nothing when every value is already there', async function () {
      const home = sandbox(COMMENTED_AFTER);
      const before = snapshot(home.configFile);
      const result = await configure(home, EXAMPLE_ARGS);
      expect(result).to.include({ code: 0, stdout: `Profile x is unchanged (${home.configFile}).\n` });
      expectUntouched(home.configFile, before);
    });
  });

  describe('bad values', function () {
    // Each with the rest of the example: nothing of it may be written either.
    const refused: { what: string; flag: string; value: string; accepted: string[] }[] = [
      { what: 'an http endpoint on a non-loopback host', flag: '--ecp-endpoint-url', value: 'http://idp.example.edu/idp/profile/SAML2/SOAP/ECP', accepted: ['must use https (http is accepted only for loopback addresses such as 127.0.0.1)'] },
      { what: 'an endpoint that is not a URL', flag: '--ecp-endpoint-url', value: 'idp.example.edu', accepted: ['Give a full https:// URL'] },
      { what: 'a role ARN with an 11-digit account', flag: '--role-arn', value: 'arn:aws:iam::12345678901:role/Admin', accepted: ['arn:aws:iam::123456789012:role/Name (partitions aws, aws-cn, aws-us-gov)'] },
      { what: 'a user ARN', flag: '--role-arn', value: 'arn:aws:iam::123456789012:user/me', accepted: ['arn:aws:iam::123456789012:role/Name (partitions aws, aws-cn, aws-us-gov)'] },
      { what: 'a role ARN of an unknown partition', flag: '--role-arn', value: 'arn:aws-eu:iam::123456789012:role/Admin', accepted: ['arn:aws:iam::123456789012:role/Name (partitions aws, aws-cn, aws-us-gov)'] },
      { what: 'a Duo factor outside the list', flag: '--duo-factor', value: 'text', accepted: ['Use one of auto|push|passcode|sms|phone, or none'] },
      { what: 'a duration of 899', flag: '--duration', value: '899', accepted: ['from 900 (15 minutes) to 43200 (12 hours)'] },
      { what: 'a duration of 43201', flag: '--duration', value: '43201', accepted: ['from 900 (15 minutes) to 43200 (12 hours)'] },
      { what: 'a duration of abc', flag: '--duration', value: 'abc', accepted: ['from 900 (15 minutes) to 43200 (12 hours)'] },
    ];
    for (const { what, flag, value, accepted } of refused) {
      it(`refuses ${what} (exit 2, naming what is accepted) and leaves the file untouched`, async function () {
        const home = sandbox(corpus('commented.ini'));
        const before = snapshot(home.configFile);
        const result = await configure(home, withFlag(EXAMPLE_ARGS, flag, value));
        expect(result.code, result.stderr).to.equal(2);
        expect(result.stdout).to.equal('');
        for (const text of accepted) expect(result.stderr).to.include(text);
        expectUntouched(home.configFile, before);
      });
    }

    describe('--ca-bundle (ux-findings P6)', function () {
      const bundles = (home: ConfigSandbox) => {
        const pem = join(home.home, 'corp-ca.pem');
        writeFileSync(pem, throwawayKeyPair('corp-ca').cert);
        const text = join(home.home, 'notes.txt');
        writeFileSync(text, 'not a certificate\n');
        return { pem, text, missing: join(home.home, 'nonexistent.pem') };
      };

      it('refuses a missing file or one with no PEM certificate (exit 5, naming it), writing nothing; saves a PEM bundle', async function () {
        const home = sandbox(COMMENTED_AFTER);
        const { pem, text, missing } = bundles(home);
        const before = snapshot(home.configFile);
        for (const [bundle, problem] of [[missing, 'cannot be read as the CA bundle (ENOENT'], [text, 'is not a PEM CA bundle: it holds no "-----BEGIN CERTIFICATE-----"']] as const) {
          const result = await configure(home, ['login', 'configure', '--profile', 'x', '--ca-bundle', bundle, '--no-prompt']);
          expect(result.code, result.stderr).to.equal(5);
          expect(result.stderr).to.include(`${bundle}: ${problem}`);
          expectUntouched(home.configFile, before);
        }
        const saved = await configure(home, ['login', 'configure', '--profile', 'x', '--ca-bundle', pem, '--no-prompt']);
        expect(saved.code, saved.stderr).to.equal(0);
        expect(home.read()).to.include(`\nawsl_ca_bundle = ${pem}\n`);
      });

      it('on a terminal, asks again for a bundle that will not do, and saves the one typed then', async function () {
        const home = sandbox(COMMENTED_AFTER);
        const { pem, text } = bundles(home);
        const label = 'CA bundle (PEM path) for the IdP';
        const result = await onTerminal(['login', 'configure', '--profile', 'x', '--ca-bundle', text], home.env, [
          ...[`${ECP_PROMPT.provider} [ecp]`, `${ECP_PROMPT.endpoint} [${ECP_URL}]`, `${ECP_PROMPT.username} [me]`, `${ECP_PROMPT.keyring} [false]`, `${ECP_PROMPT.duo} [auto]`,
            ECP_PROMPT.role, ECP_PROMPT.duration].map((prompt) => answer(prompt, '')),
          answer(label, pem),
          answer(`${ECP_PROMPT.credentialProcess} [false]`, ''),
        ]);
        expect(result.code, result.screen).to.equal(0);
        expect(result.screen).to.include(`${text}: is not a PEM CA bundle`);
        expect(result.screen.indexOf(`${label}: `)).to.be.greaterThan(result.screen.indexOf('is not a PEM CA bundle'));
        expect(home.read()).to.include(`\nawsl_ca_bundle = ${pem}\n`);

        // Enter there instead keeps the profile as it was.
        const before = snapshot(home.configFile);
        const kept = await onTerminal(['login', 'configure', '--profile', 'x', '--ca-bundle', text], home.env, [
          ...[`${ECP_PROMPT.provider} [ecp]`, `${ECP_PROMPT.endpoint} [${ECP_URL}]`, `${ECP_PROMPT.username} [me]`, `${ECP_PROMPT.keyring} [false]`, `${ECP_PROMPT.duo} [auto]`,
            ECP_PROMPT.role, ECP_PROMPT.duration, `${label} [${pem}]`, `${ECP_PROMPT.credentialProcess} [false]`].map((prompt) => answer(prompt, '')),
        ]);
        expect(kept.code, kept.screen).to.equal(0);
        expect(kept.screen).to.include('Profile x is unchanged');
        expectUntouched(home.configFile, before);
      });
    });

    const acceptedValues: { what: string; flag: string; value: string; key: string }[] = [
      { what: 'http on 127.0.0.1', flag: '--ecp-endpoint-url', value: 'http://127.0.0.1:8080/idp/profile/SAML2/SOAP/ECP', key: 'awsl_ecp_endpoint_url' },
      { what: 'http on localhost', flag: '--ecp-endpoint-url', value: 'http://localhost:8080/ecp', key: 'awsl_ecp_endpoint_url' },
      { what: 'a role ARN in aws', flag: '--role-arn', value: 'arn:aws:iam::123456789012:role/Admin', key: 'awsl_role_arn' },
      { what: 'a role ARN in aws-cn', flag: '--role-arn', value: 'arn:aws-cn:iam::123456789012:role/path/Dev', key: 'awsl_role_arn' },
      { what: 'a role ARN in aws-us-gov', flag: '--role-arn', value: 'arn:aws-us-gov:iam::333333333333:role/GovAdmin', key: 'awsl_role_arn' },
      { what: 'the Duo factor none', flag: '--duo-factor', value: 'none', key: 'awsl_duo_factor' },
      { what: 'a duration of 900', flag: '--duration', value: '900', key: 'awsl_duration' },
      { what: 'a duration of 43200', flag: '--duration', value: '43200', key: 'awsl_duration' },
    ];
    for (const { what, flag, value, key } of acceptedValues) {
      it(`accepts ${what}`, async function () {
        const home = sandbox(COMMENTED_AFTER);
        const result = await configure(home, ['login', 'configure', '--profile', 'x', flag, value, '--no-prompt']);
        expect(result.code, result.stderr).to.equal(0);
        expect(home.read()).to.equal(key === 'awsl_ecp_endpoint_url'
          ? COMMENTED_AFTER.replace(ECP_URL, value)
          : COMMENTED_AFTER.replace('awsl_username = me\n', `awsl_username = me\n${key} = ${value}\n`));
      });
    }
  });

  describe('a config file that cannot be parsed', function () {
    const unclosed = '[default]\nregion = us-east-1\n\n[profile x\nregion = eu-west-1\n';
    const broken = [
      { what: 'a setting before any section', text: '# personal settings\nregion = us-east-1\n[default]\noutput = json\n', line: 2 },
      { what: 'an unclosed section header', text: unclosed, line: 4 },
    ];
    for (const { what, text, line } of broken) {
      it(`${what}: exit 5 naming the file and line, file untouched`, async function () {
        const home = sandbox(text);
        const before = snapshot(home.configFile);
        const result = await configure(home, EXAMPLE_ARGS);
        expect(result.code, result.stderr).to.equal(5);
        expect(result.stderr).to.include(`${home.configFile}:${line}:`);
        expectUntouched(home.configFile, before);
      });
    }

    it('is refused on a terminal before any question is asked', async function () {
      const home = sandbox(unclosed);
      const before = snapshot(home.configFile);
      const result = await onTerminal(['login', 'configure', '--profile', 'x'], home.env, []);
      expect(result.code, result.screen).to.equal(5);
      expect(result.screen).to.include(`${home.configFile}:4: the section header has no closing "]"`);
      expect(promptsShown(result.screen)).to.deep.equal([]);
      expectUntouched(home.configFile, before);
    });
  });

  describe('on a terminal', function () {
    it('asks for the ecp settings in order, re-asks a bad answer with the reason, then keeps everything on Enter', async function () {
      const home = sandbox(corpus('commented.ini'));
      const first = await onTerminal(['login', 'configure', '--profile', 'x'], home.env, [
        answer(`${ECP_PROMPT.provider} [ecp]`, ''),
        answer(ECP_PROMPT.endpoint, 'http://idp.example.edu/idp/profile/SAML2/SOAP/ECP'),
        answer(ECP_PROMPT.endpoint, ECP_URL),
        answer(ECP_PROMPT.username, 'me'),
        answer(`${ECP_PROMPT.keyring} [false]`, 'yes'),
        answer(`${ECP_PROMPT.duo} [auto]`, 'text'),
        answer(`${ECP_PROMPT.duo} [auto]`, 'push'),
        answer(ECP_PROMPT.role, 'arn:aws-cn:iam::123456789012:role/Dev'),
        answer(ECP_PROMPT.duration, 'abc'),
        answer(ECP_PROMPT.duration, '3600'),
        answer(`${ECP_PROMPT.credentialProcess} [false]`, ''),
      ]);
      expect(first.code, first.screen).to.equal(0);
      expect(promptsShown(first.screen)).to.deep.equal([
        `${ECP_PROMPT.provider} [ecp]`,
        ECP_PROMPT.endpoint, ECP_PROMPT.endpoint,
        ECP_PROMPT.username,
        `${ECP_PROMPT.keyring} [false]`,
        `${ECP_PROMPT.duo} [auto]`, `${ECP_PROMPT.duo} [auto]`,
        ECP_PROMPT.role,
        ECP_PROMPT.duration, ECP_PROMPT.duration,
        `${ECP_PROMPT.credentialProcess} [false]`,
      ]);
      expect(first.screen).to.include('ECP endpoint URL "http://idp.example.edu/idp/profile/SAML2/SOAP/ECP" must use https (http is accepted only for loopback addresses');
      expect(first.screen).to.include('Duo factor "text" is not one awsl knows.\nUse one of auto|push|passcode|sms|phone, or none');
      expect(first.screen).to.include('Session duration "abc" is not accepted.\nGive a whole number of seconds from 900 (15 minutes) to 43200 (12 hours).');
      expect(first.screen).to.include(`Saved 7 settings of profile x in ${home.configFile}.`);
      const configured = corpus('commented.ini').replace('output = text\n', `output = text
awsl_provider = ecp
awsl_ecp_endpoint_url = ${ECP_URL}
awsl_username = me
awsl_enable_keyring = true
awsl_duo_factor = push
awsl_role_arn = arn:aws-cn:iam::123456789012:role/Dev
awsl_duration = 3600
`);
      expect(home.read()).to.equal(configured);

      const before = snapshot(home.configFile);
      const current = [
        `${ECP_PROMPT.provider} [ecp]`,
        `${ECP_PROMPT.endpoint} [${ECP_URL}]`,
        `${ECP_PROMPT.username} [me]`,
        `${ECP_PROMPT.keyring} [true]`,
        `${ECP_PROMPT.duo} [push]`,
        `${ECP_PROMPT.role} [arn:aws-cn:iam::123456789012:role/Dev]`,
        `${ECP_PROMPT.duration} [3600]`,
        `${ECP_PROMPT.credentialProcess} [false]`,
      ];
      const second = await onTerminal(['login', 'configure', '--profile', 'x'], home.env, current.map((label) => answer(label, '')));
      expect(second.code, second.screen).to.equal(0);
      expect(promptsShown(second.screen)).to.deep.equal(current);
      expect(second.screen).to.include(`Profile x is unchanged (${home.configFile}).`);
      expectUntouched(home.configFile, before);
    });

    it('asks only for what was not given as a flag', async function () {
      const home = sandbox(undefined);
      const asked = [`${ECP_PROMPT.keyring} [false]`, ECP_PROMPT.role, ECP_PROMPT.duration, `${ECP_PROMPT.credentialProcess} [false]`];
      const result = await onTerminal(['login', 'configure', '--profile', 'x', '--provider', 'ecp', '--ecp-endpoint-url', ECP_URL, '--username', 'me', '--duo-factor', 'auto'],
        home.env, asked.map((label, index) => answer(label, index === 0 ? 'no' : '')));
      expect(result.code, result.screen).to.equal(0);
      expect(promptsShown(result.screen)).to.deep.equal(asked);
      expect(home.read()).to.equal(`[profile x]\nawsl_provider = ecp\nawsl_ecp_endpoint_url = ${ECP_URL}\nawsl_username = me\nawsl_enable_keyring = false\nawsl_duo_factor = auto\n`);
    });

    it('asks a required answer left empty again at that prompt, and keeps every other answer', async function () {
      const home = sandbox(undefined);
      const result = await onTerminal(['login', 'configure', '--profile', 'x'], home.env, [
        answer(`${ECP_PROMPT.provider} [ecp]`, ''),
        answer(ECP_PROMPT.endpoint, ''),
        answer(ECP_PROMPT.endpoint, ECP_URL),
        answer(ECP_PROMPT.username, 'me'),
        answer(`${ECP_PROMPT.keyring} [false]`, 'no'),
        answer(`${ECP_PROMPT.duo} [auto]`, ''),
        answer(ECP_PROMPT.role, ''),
        answer(ECP_PROMPT.duration, ''),
        answer(`${ECP_PROMPT.credentialProcess} [false]`, ''),
      ]);
      expect(result.code, result.screen).to.equal(0);
      expect(promptsShown(result.screen).slice(0, 4)).to.deep.equal([`${ECP_PROMPT.provider} [ecp]`, ECP_PROMPT.endpoint, ECP_PROMPT.endpoint, ECP_PROMPT.username]);
      expect(result.screen).to.include(`ECP endpoint URL is required (for example ${ECP_URL}).`);
      // Enter at a built-in default (auto) writes nothing; a typed answer is written.
      expect(home.read()).to.equal(`[profile x]\nawsl_provider = ecp\nawsl_ecp_endpoint_url = ${ECP_URL}\nawsl_username = me\nawsl_enable_keyring = false\n`);
    });

    it('Ctrl-C at a later question writes nothing of the answers so far', async function () {
      const home = sandbox(corpus('commented.ini'));
      const before = snapshot(home.configFile);
      const result = await onTerminal(['login', 'configure', '--profile', 'x'], home.env, [
        answer(`${ECP_PROMPT.provider} [ecp]`, ''),
        answer(ECP_PROMPT.endpoint, ECP_URL),
        answer(ECP_PROMPT.username, 'me'),
        { expect: `${ECP_PROMPT.keyring} [false]: `, send: '\x03' },
      ]);
      expect(result.code, result.screen).to.equal(130);
      expect(result.screen).to.match(/^Cancelled\. Nothing was saved\.$/m);
      expectUntouched(home.configFile, before);
    });

    for (const columns of [80, 40]) {
      it(`at ${columns} columns: says first which profile and file it edits, and last the command that logs in`, async function () {
        const home = sandbox(undefined);
        const result = await runAwslInTerminal(['login', 'configure', '--profile', 'x', '--provider', 'ecp', '--ecp-endpoint-url', ECP_URL, '--username', 'me'], {
          env: home.env, columns, timeoutMs: 20_000,
          steps: [`${ECP_PROMPT.keyring} [false]`, `${ECP_PROMPT.duo} [auto]`, ECP_PROMPT.role, ECP_PROMPT.duration, `${ECP_PROMPT.credentialProcess} [false]`].map((label) => answer(label, '')),
        });
        expect(result.code, result.screen).to.equal(0);
        const shown = renderScreen(result.raw, columns).join('\n');
        const header = `Configuring profile x in ${home.configFile} (Enter keeps a value, Ctrl-C saves nothing).`;
        // Wrapped by the terminal at its width, never cut.
        expect(shown.startsWith(header.match(new RegExp(`.{1,${columns}}`, 'g'))!.join('\n')), shown).to.equal(true);
        expect(shown).to.match(/\nNext: awsl --profile x login\n*$/);
      });
    }

    it('--no-prompt never asks, even on a terminal', async function () {
      const home = sandbox(corpus('commented.ini'));
      const before = snapshot(home.configFile);
      const refused = await onTerminal(['login', 'configure', '--profile', 'x', '--no-prompt'], home.env, []);
      expect(refused.code, refused.screen).to.equal(2);
      expect(refused.screen).to.include('--provider ecp or --provider onelogin');
      expect(promptsShown(refused.screen)).to.deep.equal([]);
      expectUntouched(home.configFile, before);

      const saved = await onTerminal(EXAMPLE_ARGS, home.env, []);
      expect(saved.code, saved.screen).to.equal(0);
      expect(promptsShown(saved.screen)).to.deep.equal([]);
      expect(home.read()).to.equal(COMMENTED_AFTER);
    });
  });

  describe('with no terminal', function () {
    it('refuses a new profile given nothing, naming --provider (exit 2), and writes nothing', async function () {
      const home = sandbox(corpus('nested.ini'));
      const before = snapshot(home.configFile);
      const result = await configure(home, ['login', 'configure', '--profile', 'fresh']);
      expect(result.code, result.stderr).to.equal(2);
      expect(result.stderr).to.equal('Profile fresh has no provider yet.\nGive one: --provider ecp or --provider onelogin or --provider browser.\n');
      expectUntouched(home.configFile, before);
    });

    it('refuses an ecp profile without its endpoint URL', async function () {
      const home = sandbox(corpus('nested.ini'));
      const before = snapshot(home.configFile);
      const result = await configure(home, ['login', 'configure', '--profile', 'fresh', '--provider', 'ecp', '--username', 'me']);
      expect(result.code, result.stderr).to.equal(2);
      expect(result.stderr).to.include('--ecp-endpoint-url https://');
      expectUntouched(home.configFile, before);
    });
  });

  describe('the OneLogin client secret', function () {
    const secret = 'Ol-Secret-7f3a9c51e2';
    const clientId = '0oa-client-1';
    let keyring: GnomeKeyring | undefined;
    let keyringEnv: NodeJS.ProcessEnv = {};

    before(async function () {
      requirePeer(this, keyringAvailable(), 'GNOME keyring, dbus and secret-tool (Debian gnome-keyring dbus libsecret-tools)');
      keyring = await startGnomeKeyring();
      keyringEnv = keyring.env;
    });

    after(async function () {
      await keyring?.stop();
    });

    // Only the bus: HOME stays the sandbox's, so the file checks see everything awsl wrote.
    const withKeyring = (text: string | undefined) => sandbox(text, { DBUS_SESSION_BUS_ADDRESS: keyringEnv.DBUS_SESSION_BUS_ADDRESS, XDG_RUNTIME_DIR: keyringEnv.XDG_RUNTIME_DIR });
    const lookup = async (id: string) => (await promisify(execFile)(SECRET_TOOL, ['lookup', 'service', 'awsl', 'username', `onelogin-client-secret:${id}`], { env: keyringEnv })).stdout;

    it('asks the onelogin settings in order, hides the secret and keeps it in the keyring only; a full domain is reduced, with a note', async function () {
      const home = withKeyring(corpus('nested.ini'));
      const result = await onTerminal(['login', 'configure', '--profile', 'ol'], home.env, [
        answer(`${ECP_PROMPT.provider} [ecp]`, 'onelogin'),
        answer(ONELOGIN_PROMPT.subdomain, 'acme.onelogin.com'),
        answer(ONELOGIN_PROMPT.appId, '123456'),
        answer(ONELOGIN_PROMPT.clientId, clientId),
        answer(ONELOGIN_PROMPT.secret, secret),
        answer(`${ONELOGIN_PROMPT.region} [us]`, 'eu'),
        answer(ONELOGIN_PROMPT.ip, '203.0.113.7'),
        answer(ECP_PROMPT.username, 'me@acme.com'),
        answer(`${ECP_PROMPT.keyring} [false]`, 'no'),
        answer(ECP_PROMPT.role, 'arn:aws-us-gov:iam::333333333333:role/GovAdmin'),
        answer(ECP_PROMPT.duration, '43200'),
        answer(`${ECP_PROMPT.credentialProcess} [false]`, 'no'),
      ]);
      expect(result.code, result.screen).to.equal(0);
      expect(promptsShown(result.screen)).to.deep.equal([
        `${ECP_PROMPT.provider} [ecp]`,
        ONELOGIN_PROMPT.subdomain, ONELOGIN_PROMPT.appId, ONELOGIN_PROMPT.clientId, ONELOGIN_PROMPT.secret,
        `${ONELOGIN_PROMPT.region} [us]`, ONELOGIN_PROMPT.ip,
        ECP_PROMPT.username, `${ECP_PROMPT.keyring} [false]`, ECP_PROMPT.role, ECP_PROMPT.duration, `${ECP_PROMPT.credentialProcess} [false]`,
      ]);
      expect(result.screen).to.include('OneLogin subdomain "acme.onelogin.com" saved as "acme"');
      expect(result.screen).to.include('Stored the OneLogin client secret in the OS keyring.');
      expect(result.screen).not.to.include(secret);
      expect(home.read()).to.equal(`${corpus('nested.ini')}
[profile ol]
awsl_provider = onelogin
awsl_onelogin_subdomain = acme
awsl_onelogin_app_id = 123456
awsl_onelogin_client_id = ${clientId}
awsl_onelogin_region = eu
awsl_onelogin_ip = 203.0.113.7
awsl_username = me@acme.com
awsl_enable_keyring = false
awsl_role_arn = arn:aws-us-gov:iam::333333333333:role/GovAdmin
awsl_duration = 43200
`);
      expect(await lookup(clientId)).to.equal(secret);
      expect(filesContaining(home.home, secret)).to.deep.equal([]);

      // Now that one is stored, the prompt says Enter keeps it, and Enter does.
      const again = await onTerminal(['login', 'configure', '--profile', 'ol'], home.env, [
        ...[`${ECP_PROMPT.provider} [onelogin]`, `${ONELOGIN_PROMPT.subdomain} [acme]`, `${ONELOGIN_PROMPT.appId} [123456]`, `${ONELOGIN_PROMPT.clientId} [${clientId}]`,
          ONELOGIN_PROMPT.storedSecret].map((label) => answer(label, '')),
        ...[`${ONELOGIN_PROMPT.region} [eu]`, `${ONELOGIN_PROMPT.ip} [203.0.113.7]`, `${ECP_PROMPT.username} [me@acme.com]`, `${ECP_PROMPT.keyring} [false]`,
          `${ECP_PROMPT.role} [arn:aws-us-gov:iam::333333333333:role/GovAdmin]`, `${ECP_PROMPT.duration} [43200]`, `${ECP_PROMPT.credentialProcess} [false]`].map((label) => answer(label, '')),
      ]);
      expect(again.code, again.screen).to.equal(0);
      expect(promptsShown(again.screen)).to.include(ONELOGIN_PROMPT.storedSecret).and.not.include(ONELOGIN_PROMPT.secret);
      expect(again.screen).to.include('Profile ol is unchanged');
      expect(await lookup(clientId)).to.equal(secret);
    });

    it('unattended, takes it from AWSL_ONELOGIN_CLIENT_SECRET into the keyring; a subdomain URL is reduced, with a note', async function () {
      const home = withKeyring(undefined);
      const result = await configure(home, ['login', 'configure', '--profile', 'ol', '--provider', 'onelogin', '--onelogin-subdomain', 'https://Acme.onelogin.com/',
        '--onelogin-app-id', '123456', '--onelogin-client-id', 'unattended-client', '--onelogin-region', 'us', '--username', 'me@acme.com', '--no-prompt'],
      { AWSL_ONELOGIN_CLIENT_SECRET: `${secret}-env` });
      expect(result.code, result.stderr).to.equal(0);
      expect(result.stderr).to.include('OneLogin subdomain "https://Acme.onelogin.com/" saved as "acme"');
      expect(home.read()).to.include('\nawsl_onelogin_subdomain = acme\n');
      expect(await lookup('unattended-client')).to.equal(`${secret}-env`);
      expect(filesContaining(home.home, secret)).to.deep.equal([]);
    });

    it('from AWSL_ONELOGIN_CLIENT_SECRET with no keyring: saved settings and a warning, never the secret in a file', async function () {
      const home = sandbox(undefined);
      const result = await configure(home, ['login', 'configure', '--profile', 'ol', '--provider', 'onelogin', '--onelogin-subdomain', 'acme', '--onelogin-app-id', '654321',
        '--onelogin-client-id', clientId, '--no-prompt'], { AWSL_ONELOGIN_CLIENT_SECRET: secret });
      expect(result.code, result.stderr).to.equal(0);
      expect(result.stderr).to.match(/^warning: The OS keyring is unavailable \(no D-Bus session bus\): the OneLogin client secret was not stored; awsl login reads it from AWSL_ONELOGIN_CLIENT_SECRET\.$/m);
      expect(home.read()).to.equal(`[profile ol]\nawsl_provider = onelogin\nawsl_onelogin_subdomain = acme\nawsl_onelogin_app_id = 654321\nawsl_onelogin_client_id = ${clientId}\n`);
      expect(filesContaining(home.home, secret)).to.deep.equal([]);
    });

    it('with no keyring, changing only a non-secret setting never contacts the keyring and prints no keyring line', async function () {
      // The "no keyring" bus is a tripwire: it counts every connection and closes it at once.
      const home = sandbox(`[profile ol]\nawsl_provider = onelogin\nawsl_onelogin_subdomain = acme\nawsl_onelogin_app_id = 1\nawsl_onelogin_client_id = ${clientId}\n`);
      let connections = 0;
      const bus = createServer((socket) => { connections += 1; socket.destroy(); });
      const busPath = join(home.home, 'bus');
      await new Promise<void>((resolve) => bus.listen(busPath, resolve));
      try {
        const env = { DBUS_SESSION_BUS_ADDRESS: `unix:path=${busPath}`, AWSL_ONELOGIN_CLIENT_SECRET: secret };
        const timeout = await configure(home, ['login', 'configure', '--profile', 'ol', '--mfa-push-timeout', '10', '--no-prompt'], env);
        expect(timeout).to.deep.equal({ code: 0, stdout: `Saved 1 setting of profile ol in ${home.configFile}.\nNext: awsl --profile ol login\n`, stderr: '' });
        expect(connections).to.equal(0);
        expect(home.read()).to.include('\nawsl_mfa_push_timeout = 10\n');
        // Giving the client id again is how a new secret is stored unattended: that run tries the keyring, and says so once.
        const rotated = await configure(home, ['login', 'configure', '--profile', 'ol', '--onelogin-client-id', clientId, '--no-prompt'], env);
        expect(rotated.code, rotated.stderr).to.equal(0);
        expect(connections).to.be.greaterThan(0);
        expect(rotated.stderr.split('\n').filter((line) => line.includes('keyring'))).to.have.length(1);
      } finally {
        await new Promise((resolve) => bus.close(resolve));
      }
    });

    it('refuses an incomplete OneLogin profile, naming what is missing, and writes nothing', async function () {
      const home = sandbox(undefined);
      const result = await configure(home, ['login', 'configure', '--profile', 'ol', '--provider', 'onelogin', '--onelogin-subdomain', 'acme', '--no-prompt'], {});
      expect(result.code).to.equal(2);
      expect(result.stderr).to.include('OneLogin profile ol needs the AWS app id, the API client id; nothing was written.')
        .and.include('--onelogin-app-id 123456 --onelogin-client-id CLIENT_ID');
      expect(existsSync(home.configFile)).to.equal(false);
    });

    it('on a terminal with no keyring: says so before the other questions, never asks the secret, and saves the settings', async function () {
      const home = sandbox(undefined);
      const result = await onTerminal(['login', 'configure', '--profile', 'ol', '--provider', 'onelogin'], home.env, [
        answer(ONELOGIN_PROMPT.subdomain, 'acme'),
        answer(ONELOGIN_PROMPT.appId, '1'),
        answer(ONELOGIN_PROMPT.clientId, clientId),
        answer(`${ONELOGIN_PROMPT.region} [us]`, 'us'),
        answer(ONELOGIN_PROMPT.ip, ''),
        answer(ECP_PROMPT.username, 'me'),
        answer(`${ECP_PROMPT.keyring} [false]`, 'no'),
        answer(ECP_PROMPT.role, ''),
        answer(ECP_PROMPT.duration, ''),
        answer(`${ECP_PROMPT.credentialProcess} [false]`, ''),
      ]);
      expect(result.code, result.screen).to.equal(0);
      const explained = result.screen.indexOf('The OS keyring is unavailable (no D-Bus session bus), so configure does not ask for the OneLogin client secret.');
      expect(explained, result.screen).to.be.greaterThan(-1);
      expect(explained).to.be.lessThan(result.screen.indexOf(`${ONELOGIN_PROMPT.subdomain}: `));
      expect(result.screen).to.include('Give it to each login in AWSL_ONELOGIN_CLIENT_SECRET');
      expect(promptsShown(result.screen)).not.to.include(ONELOGIN_PROMPT.secret);
      expect(home.read()).to.equal(`[profile ol]\nawsl_provider = onelogin\nawsl_onelogin_subdomain = acme\nawsl_onelogin_app_id = 1\nawsl_onelogin_client_id = ${clientId}\nawsl_username = me\nawsl_enable_keyring = false\n`);
    });
  });

  describe('--unset', function () {
    const configured = `[profile x]\nawsl_provider = ecp\nawsl_ecp_endpoint_url = ${ECP_URL}\nawsl_username = me\nawsl_role_arn = arn:aws:iam::123456789012:role/Admin\nawsl_duration = 3600\n`;

    it('removes a setting by key or by flag name, and the other lines stay', async function () {
      const home = sandbox(configured);
      const result = await configure(home, ['login', 'configure', '--profile', 'x', '--unset', 'awsl_role_arn', '--unset', 'duration', '--no-prompt']);
      expect(result.code, result.stderr).to.equal(0);
      expect(result.stdout).to.equal(`Saved 2 settings of profile x in ${home.configFile}.\nNext: awsl --profile x login\n`);
      expect(home.read()).to.equal(`[profile x]\nawsl_provider = ecp\nawsl_ecp_endpoint_url = ${ECP_URL}\nawsl_username = me\n`);
      const again = await configure(home, ['login', 'configure', '--profile', 'x', '--unset', 'awsl_role_arn', '--no-prompt']);
      expect(again).to.include({ code: 0, stdout: `Profile x is unchanged (${home.configFile}).\n` });
    });

    it('refuses an unknown setting, a required one, and one also given a value, writing nothing', async function () {
      for (const [args, message] of [
        [['--unset', 'awsl_rolearn'], '--unset awsl_rolearn: not a setting of the ecp provider.'],
        [['--unset', 'awsl_ecp_endpoint_url'], 'needs the IdP\'s ECP endpoint URL; nothing was written.'],
        [['--unset', 'role-arn', '--role-arn', 'arn:aws:iam::123456789012:role/Dev'], '--unset role-arn and --role-arn contradict each other.'],
      ] as const) {
        const home = sandbox(configured);
        const before = snapshot(home.configFile);
        const result = await configure(home, ['login', 'configure', '--profile', 'x', ...args, '--no-prompt']);
        expect(result.code, result.stderr).to.equal(2);
        expect(result.stderr).to.include(message);
        expectUntouched(home.configFile, before);
      }
    });
  });

  describe('which profile and which file', function () {
    const exampleFlags = EXAMPLE_ARGS.slice(4);

    it('awsl --profile x login configure, awsl login configure --profile x and AWS_PROFILE=x write the same section', async function () {
      const ways = [
        { args: ['--profile', 'x', 'login', 'configure', ...exampleFlags], env: {} },
        { args: ['login', 'configure', '--profile', 'x', ...exampleFlags], env: {} },
        { args: ['login', 'configure', ...exampleFlags], env: { AWS_PROFILE: 'x' } },
      ].map((way) => ({ ...way, home: sandbox(corpus('commented.ini')) }));
      const results = await Promise.all(ways.map(({ args, env, home }) => configure(home, args, env)));
      for (const result of results) expect(result.code, result.stderr).to.equal(0);
      for (const { args, env, home } of ways) expect(home.read(), `${JSON.stringify(env)} awsl ${args.join(' ')}`).to.equal(COMMENTED_AFTER);
    });

    it('creates AWS_CONFIG_FILE 0600 in new 0700 folders, and no ~/.aws/config', async function () {
      const home = sandbox(undefined);
      const file = join(home.home, 'elsewhere', 'aws', 'config');
      const result = await configure(home, EXAMPLE_ARGS, { AWS_CONFIG_FILE: file });
      expect(result.code, result.stderr).to.equal(0);
      expect(result.stdout).to.equal(`Saved 3 settings of profile x in ${file}.\nNext: awsl --profile x login\n`);
      expect(readFileSync(file, 'utf8')).to.equal(`[profile x]\nawsl_provider = ecp\nawsl_ecp_endpoint_url = ${ECP_URL}\nawsl_username = me\n`);
      expect(statSync(file).mode & 0o777).to.equal(0o600);
      expect(statSync(join(home.home, 'elsewhere')).mode & 0o777).to.equal(0o700);
      expect(statSync(join(home.home, 'elsewhere', 'aws')).mode & 0o777).to.equal(0o700);
      expect(readdirSync(join(home.home, 'elsewhere', 'aws'))).to.deep.equal(['config']);
      expect(existsSync(home.configFile)).to.equal(false);
    });

    it('edits a symlinked config file through the link, which stays a link', async function () {
      const home = sandbox(undefined);
      const dotfiles = join(home.home, 'dotfiles', 'aws');
      mkdirSync(dotfiles, { recursive: true });
      writeFileSync(join(dotfiles, 'config'), corpus('commented.ini'));
      symlinkSync('../dotfiles/aws/config', home.configFile);
      const result = await configure(home, EXAMPLE_ARGS);
      expect(result.code, result.stderr).to.equal(0);
      expect(lstatSync(home.configFile).isSymbolicLink()).to.equal(true);
      expect(readlinkSync(home.configFile)).to.equal('../dotfiles/aws/config');
      expect(readFileSync(join(dotfiles, 'config'), 'utf8')).to.equal(COMMENTED_AFTER);
      expect(readdirSync(dotfiles)).to.deep.equal(['config']);
      expect(readdirSync(join(home.home, '.aws'))).to.deep.equal(['config']);
    });

    it('keeps an existing file\'s mode', async function () {
      const home = sandbox(corpus('commented.ini'));
      chmodSync(home.configFile, 0o644);
      const result = await configure(home, EXAMPLE_ARGS);
      expect(result.code, result.stderr).to.equal(0);
      expect(home.read()).to.equal(COMMENTED_AFTER);
      expect(statSync(home.configFile).mode & 0o777).to.equal(0o644);
    });
  });

  describe('--json', function () {
    it('prints the typed result on stdout, and an unchanged run as no changes', async function () {
      const home = sandbox(corpus('commented.ini'));
      const first = await configure(home, [...EXAMPLE_ARGS, '--json']);
      expect(first.code, first.stderr).to.equal(0);
      expect(JSON.parse(first.stdout)).to.deep.equal({
        profile: 'x',
        file: home.configFile,
        provider: 'ecp',
        changed: { awsl_provider: 'ecp', awsl_ecp_endpoint_url: ECP_URL, awsl_username: 'me' },
      });
      const again = await configure(home, [...EXAMPLE_ARGS, '--json']);
      expect(again.code, again.stderr).to.equal(0);
      expect(JSON.parse(again.stdout)).to.deep.equal({ profile: 'x', file: home.configFile, provider: 'ecp', changed: {} });
    });

    it('prints a refusal as a typed error with its exit code', async function () {
      const home = sandbox(corpus('commented.ini'));
      const result = await configure(home, [...EXAMPLE_ARGS, '--duration', '899', '--json']);
      expect(result.code).to.equal(2);
      expect(JSON.parse(result.stdout)).to.deep.equal({
        error: {
          name: 'InvalidInputError',
          message: 'Session duration "899" is not accepted.',
          hint: 'Give a whole number of seconds from 900 (15 minutes) to 43200 (12 hours).',
          exitCode: 2,
        },
      });
      expect(home.read()).to.equal(corpus('commented.ini'));
    });
  });

  describe('--help', function () {
    const commands = [
      { args: ['login'], command: Login },
      { args: ['login', 'configure'], command: LoginConfigure },
      { args: ['logout'], command: Logout },
    ];
    for (const { args, command } of commands) {
      it(`awsl ${args.join(' ')} --help shows the summary, the description and every example`, async function () {
        // Wide enough that oclif wraps nothing, so texts can be found whole.
        const result = await runAwsl([...args, '--help'], { env: { ...sandbox(undefined).env, OCLIF_COLUMNS: '1000' } });
        expect(result.code, result.stderr).to.equal(0);
        const { summary, description } = command;
        expect(summary).to.match(/\S/);
        expect(result.stdout.split('\n')[0]).to.equal(summary);
        expect(result.stdout).to.include(`DESCRIPTION\n  ${summary}\n\n  ${description}\n`);
        const examples = command.examples as { description: string; command: string }[];
        expect(examples).to.have.length.greaterThan(0);
        const shown = result.stdout.slice(result.stdout.indexOf('EXAMPLES\n'));
        for (const example of examples) {
          expect(shown).to.include(`  ${example.description}\n`);
          for (const line of example.command.replaceAll('<%= config.bin %>', 'awsl').split('\n')) expect(shown).to.include(line);
        }
      });
    }

    it('awsl login configure --help shows the issue\'s unattended example', async function () {
      const result = await runAwsl(['login', 'configure', '--help'], { env: { ...sandbox(undefined).env, OCLIF_COLUMNS: '1000' } });
      expect(result.stdout).to.include(`$ awsl ${EXAMPLE_ARGS.join(' ')}\n`);
    });
  });
});
