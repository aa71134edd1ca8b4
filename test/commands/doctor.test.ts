/**
 * awsl doctor on real files, with the real AWS CLI (/usr/bin/aws first on PATH) both as the
 * version it reports and as the consumer of what --fix repairs.
 */
import { chmodSync, chownSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from 'chai';
import { isoSeconds } from '../../src/aws/credential-process.js';
import { ExitCode } from '../../src/errors.js';
import { AWS_CLI, available as awsCliAvailable, awsCli } from '../peers/aws-cli.js';
import { AWSL_BIN, createSandbox, runAwsl, runProcess, type RunResult, type Sandbox } from '../support/cli.js';
import { requirePeer } from '../support/peers.js';

interface DoctorJson {
  ok: boolean;
  findings: Array<{ check: string; severity: string; message: string; fix?: string; fixable: boolean }>;
  fixed: string[];
}

const ENDPOINT = 'https://idp.example.edu/idp/profile/SAML2/SOAP/ECP';
/** GNU time (Debian `time`, installed by .ci/install-peers.sh). */
const GNU_TIME = '/usr/bin/time';

describe('awsl doctor', function () {
  let sandbox: Sandbox;
  const doctor = (args: string[] = []): Promise<RunResult> => runAwsl(['doctor', ...args], { env: sandbox.env });
  const doctorJson = async (args: string[] = []): Promise<{ code: number; json: DoctorJson }> => {
    const result = await doctor(['--json', ...args]);
    return { code: result.code, json: JSON.parse(result.stdout) as DoctorJson };
  };
  const problems = (json: DoctorJson) => json.findings.filter((finding) => finding.severity === 'problem');
  const configure = async (profile: string, extra: string[] = []) => {
    const result = await runAwsl(['login', 'configure', '--profile', profile, '--provider', 'ecp', '--ecp-endpoint-url', ENDPOINT, '--username', 'alice', ...extra, '--no-prompt'], { env: sandbox.env });
    expect(result.code, result.stderr).to.equal(0);
  };
  const append = (file: string, text: string) => writeFileSync(file, `${readFileSync(file, 'utf8')}${text}`);

  before(function () {
    requirePeer(this, awsCliAvailable(), 'AWS CLI v2 at /usr/bin/aws (Debian awscli)');
  });
  beforeEach(function () {
    sandbox = createSandbox();
    sandbox.env.PATH = `${dirname(AWS_CLI)}:${sandbox.env.PATH}`;
  });
  afterEach(function () {
    sandbox.remove();
  });

  it('says all is well, exit 0, for profiles awsl set up; using well under a second of CPU once it knows the AWS CLI', async function () {
    await configure('prod', ['--credential-process']);
    await configure('plain');
    const first = await doctor();
    expect(first.code, first.stdout + first.stderr).to.equal(0);
    expect(first.stdout).to.match(/^ok +aws-cli +aws-cli\/2\.\d+\.\d+ \(\/usr\/bin\/aws\)\.$/m);
    expect(first.stdout).to.match(/^ok +profile prod +ecp settings are valid; credential_process runs awsl\.$/m);
    expect(first.stdout).to.match(/^ok +profile plain +ecp settings are valid\.$/m);
    expect(first.stdout).to.match(/^(ok|note) +node +Node\.js /m);
    expect(first.stdout.trimEnd().split('\n').at(-1)).to.equal('All is well.');
    expect(first.stderr).to.equal('');

    // CPU time, not wall time: the machine may be loaded by others; doctor itself waits on nothing
    // once it knows the AWS CLI (no keyring in use here).
    const times = join(sandbox.home, 'times');
    const timed = await runProcess(GNU_TIME, ['-f', '%U %S', '-o', times, process.execPath, AWSL_BIN, 'doctor', '--json'], { env: sandbox.env });
    expect(timed.code, timed.stderr).to.equal(0);
    const json = JSON.parse(timed.stdout) as DoctorJson;
    expect(json.ok).to.equal(true);
    expect(problems(json)).to.deep.equal([]);
    const [user, system] = readFileSync(times, 'utf8').trim().split(/\s+/).map(Number) as [number, number];
    expect(user + system, 'CPU seconds of a second run of doctor').to.be.below(0.5);
  });

  it('finds a line that pins a removed Node, awscli-login\'s plugin and line, and awsl\'s own shadowing keys; --fix repairs them and the AWS CLI then gets credentials', async function () {
    await configure('prod', ['--credential-process']);
    const broken = `/opt/nvm/versions/node/v22.1.0/bin/node ${AWSL_BIN} credential-process --profile prod`;
    writeFileSync(sandbox.configFile, readFileSync(sandbox.configFile, 'utf8').replace(/^credential_process = .*$/m, `credential_process = ${broken}`));
    append(sandbox.configFile, `\n[plugins]\nlogin = awscli_login\n\n[profile legacy]\nregion = us-east-1\n\n[profile pinned]\nawsl_provider = ecp\nawsl_ecp_endpoint_url = ${ENDPOINT}\ncredential_process = ${process.execPath} ${AWSL_BIN} credential-process --profile pinned\nawsl_credential_process = true\n\n[profile older]\nawsl_provider = ecp\nawsl_ecp_endpoint_url = ${ENDPOINT}\ncredential_process = ${process.execPath} ${AWSL_BIN} credential-process --profile older\n`);
    writeFileSync(sandbox.credentialsFile, '[legacy]\ncredential_process = aws-login --profile legacy\n\n[prod]\naws_access_key_id = ASIAOLD\naws_secret_access_key = old\naws_session_token = old\nawsl_expiration = 2020-01-01T00:00:00Z\n', { mode: 0o600 });

    const found = await doctor();
    expect(found.code).to.equal(ExitCode.ProblemsFound);
    expect(found.stdout).to.include(`PROBLEM  profile prod    credential_process cannot start: /opt/nvm/versions/node/v22.1.0/bin/node is gone. Every AWS call on this profile fails.`);
    expect(found.stdout).to.include('fix: awsl doctor --fix (or awsl login configure --profile prod --credential-process)');
    expect(found.stdout).to.include(`[prod] in ${sandbox.credentialsFile} has static keys (awsl's own, from before credential_process): the AWS CLI uses them instead of credential_process.`);
    expect(found.stdout).to.include('credential_process = aws-login --profile legacy is awscli-login\'s.');
    expect(found.stdout).to.match(/fix: awsl import awscli-login$/m);
    expect(found.stdout).to.include('still loads awscli-login ([plugins] login = awscli_login)');
    expect(found.stdout).to.include(`PROBLEM  profile pinned  credential_process names the Node binary ${process.execPath}: the next Node upgrade breaks every AWS call on this profile.`);
    expect(found.stdout).to.include(`PROBLEM  profile older   credential_process = ${process.execPath} ${AWSL_BIN} credential-process --profile older was written by an older awsl, without awsl_credential_process: awsl logs this profile in to ~/.aws/credentials, where the line does not look.`);
    expect(found.stdout.trimEnd().split('\n').at(-1)).to.equal('6 problems: each comes with its fix above; to repair those it can: awsl doctor --fix.');

    const fixed = await doctorJson(['--fix']);
    expect(fixed.json.fixed).to.deep.equal([
      `profile prod: credential_process = ${AWSL_BIN} credential-process --profile prod`,
      `profile pinned: credential_process = ${AWSL_BIN} credential-process --profile pinned`,
      `profile older: credential_process = ${AWSL_BIN} credential-process --profile older`,
      `removed [plugins] login = awscli_login from ${sandbox.configFile}`,
    ]);
    // awscli-login's own line is left for `awsl import awscli-login`.
    expect(problems(fixed.json).map((finding) => finding.message)).to.deep.equal(['credential_process = aws-login --profile legacy is awscli-login\'s.']);
    expect(fixed.code).to.equal(ExitCode.ProblemsFound);
    expect(readFileSync(sandbox.configFile, 'utf8')).to.not.include('plugins');
    expect(readFileSync(sandbox.credentialsFile, 'utf8')).to.equal('[legacy]\ncredential_process = aws-login --profile legacy\n');

    const cache = join(sandbox.stateDirectory, 'cache', 'prod.json');
    const fresh = { Version: 1, AccessKeyId: 'ASIAFRESH', SecretAccessKey: 's', SessionToken: 't', Expiration: isoSeconds(new Date(Date.now() + 3_600_000)) };
    mkdirSync(dirname(cache), { recursive: true, mode: 0o700 });
    writeFileSync(cache, JSON.stringify(fresh), { mode: 0o600 });
    const exported = await awsCli(['configure', 'export-credentials', '--profile', 'prod'], { AWS_CONFIG_FILE: sandbox.configFile, AWS_SHARED_CREDENTIALS_FILE: sandbox.credentialsFile, AWSL_STATE_DIR: sandbox.stateDirectory, HOME: sandbox.home });
    expect(exported.code, exported.stderr).to.equal(0);
    expect(JSON.parse(exported.stdout)).to.deep.include({ AccessKeyId: 'ASIAFRESH' });
  });

  it('names bad settings, typos, someone else\'s line and keys, and a keyring that is not there, each with its fix; --fix touches none of them', async function () {
    await configure('prod', ['--credential-process', '--enable-keyring']);
    append(sandbox.configFile, '\n[profile typo]\nawsl_provider = ecp\nawsl_ecp_endpoint_url = http://idp.example.edu/ecp\nawsl_duo_facter = push\n\n[profile other]\nawsl_provider = ecp\nawsl_ecp_endpoint_url = https://idp.example.edu/ecp\ncredential_process = aws-vault exec other --json\n');
    writeFileSync(sandbox.credentialsFile, '[prod]\ncredential_process = aws-login --profile prod\naws_access_key_id = AKIAHANDMADE\naws_secret_access_key = x\n', { mode: 0o600 });
    const before = readFileSync(sandbox.credentialsFile, 'utf8');

    const { code, json } = await doctorJson(['--fix']);
    expect(code).to.equal(ExitCode.ProblemsFound);
    expect(json.fixed).to.deep.equal([]);
    const byCheck = (check: string) => problems(json).filter((finding) => finding.check === check).map(({ message, fix }) => ({ message, fix }));
    expect(byCheck('profile typo')).to.deep.equal([
      {
        message: 'Profile typo: awsl_ecp_endpoint_url: ECP endpoint URL "http://idp.example.edu/ecp" must use https (http is accepted only for loopback addresses such as 127.0.0.1).',
        fix: 'Use the https:// address of the service. Fix it with: awsl login configure --profile typo --ecp-endpoint-url VALUE',
      },
      { message: 'awsl_duo_facter is not an awsl setting (a typo?); awsl ignores it.', fix: `Remove it from ${sandbox.configFile}; awsl login configure --help lists the settings.` },
    ]);
    expect(byCheck('profile other')).to.deep.equal([{
      message: 'credential_process = aws-vault exec other --json is not awsl\'s: the AWS CLI runs that program, and this profile\'s awsl settings do nothing for it.',
      fix: 'awsl login configure --profile other --credential-process (or remove the awsl_ keys if the other tool is meant)',
    }]);
    expect(byCheck('profile prod')).to.deep.equal([{
      message: `[prod] in ${sandbox.credentialsFile} has credential_process = aws-login --profile prod, which the AWS CLI runs instead of awsl's line in ${sandbox.configFile}.`,
      fix: 'awsl import awscli-login --yes',
    }, {
      message: `[prod] in ${sandbox.credentialsFile} has static keys: the AWS CLI uses them instead of credential_process.`,
      fix: 'awsl login configure --profile prod --credential-process, and answer yes to removing them (they are not awsl\'s)',
    }]);
    const [keyring] = byCheck('keyring');
    expect(keyring?.message).to.match(/^The OS keyring is unavailable \(no D-Bus session bus\)\. Profiles prod keep secrets there\.$/);
    expect(keyring?.fix).to.include('D-Bus session and an unlocked keyring');
    expect(readFileSync(sandbox.credentialsFile, 'utf8')).to.equal(before);
  });

  it('names awsl folders left to another user (sudo) and tightens ones readable by others', async function () {
    requirePeer(this, process.getuid?.() === 0, 'root, to leave a file owned by another user');
    await configure('prod');
    const cacheFolder = join(sandbox.home, '.cache', 'awsl');
    mkdirSync(join(cacheFolder, 'compile-cache'), { recursive: true, mode: 0o700 });
    chownSync(join(cacheFolder, 'compile-cache'), 65534, 65534);
    const cookies = join(sandbox.stateDirectory, 'cookies');
    mkdirSync(sandbox.stateDirectory, { recursive: true, mode: 0o700 });
    mkdirSync(cookies);
    chmodSync(cookies, 0o755);
    writeFileSync(join(cookies, 'jar.json'), '{}', { mode: 0o644 });
    chmodSync(join(cookies, 'jar.json'), 0o644);

    const found = await doctor();
    expect(found.code, found.stdout).to.equal(ExitCode.ProblemsFound);
    expect(found.stdout).to.include(`Not yours (left by sudo or another user?): ${join(cacheFolder, 'compile-cache')}. awsl cannot update them, so it logs in or compiles anew every time.`);
    expect(found.stdout).to.include(`fix: sudo chown -R "$(id -u):$(id -g)" ${cacheFolder}`);
    expect(found.stdout).to.include(`Readable by others: ${cookies}, ${join(cookies, 'jar.json')}.`);

    const fixed = await doctor(['--fix']);
    expect(fixed.stdout).to.include('fixed    set 2 paths to 0700 (folders) / 0600 (files)');
    expect(statSync(cookies).mode & 0o777).to.equal(0o700);
    expect(statSync(join(cookies, 'jar.json')).mode & 0o777).to.equal(0o600);
    expect(fixed.stdout).to.include('Not yours');
    expect(fixed.code).to.equal(ExitCode.ProblemsFound);
  });
});
