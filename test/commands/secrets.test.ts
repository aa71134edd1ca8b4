/**
 * No secret leaks. Every command awsl has (read from its oclif manifest, so a new command is
 * scanned too) runs with the most verbose logging (--verbose where it takes flags, AWSL_LOG=debug
 * always) against the peers: password logins (ECP on SimpleSAMLphp, a typed one on a terminal),
 * a Duo passcode login (Shibboleth stand-in), a OneLogin login with an OTP, logout, configure with
 * the client secret in AWSL_ONELOGIN_CLIENT_SECRET, and the rest. Then stdout, stderr, every file
 * under HOME and the argv and environment of the child processes awsl starts are searched for the
 * password, OTP, Duo passcode, client secret, SAMLResponse, IdP cookie values, OneLogin access
 * token, AWS secret key and session token. Each may appear only where it belongs: AWS keys in
 * ~/.aws/credentials, the credential_process cache, the output of env / credential-process and
 * the environment of exec's child; cookies in the cookie jars; the access token in its cache; a
 * OneLogin assertion, while valid, in the shared-session folder.
 */
import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { startFederationStandIn, type FederationStandIn } from '../peers/federation.js';
import type { OneLoginStandIn } from '../peers/onelogin/index.js';
import { startLoopbackServer, type LoopbackServer } from '../peers/saml-fixtures.js';
import type { ShibbolethDuoIdp } from '../peers/shibboleth-duo/index.js';
import { SIMPLESAMLPHP_USERS, type SimpleSamlPhp } from '../peers/simplesamlphp/index.js';
import type { StsStandIn } from '../peers/sts/index.js';
import { AWSL_BIN, runAwsl, runAwslInTerminal, type RunResult, type Sandbox } from '../support/cli.js';
import { oneLogin, shibbolethDuo, simpleSamlPhp, startWorld, type World } from '../support/world.js';

const alice = SIMPLESAMLPHP_USERS.alice;
const ECP_ROLE = alice.roles[0]!.roleArn;
const DUO_ROLE = 'arn:aws:iam::444444444444:role/Admin';
const OL = {
  username: 'olivia@acme.example', password: 'olivia-Pa55-7f3e1c', otp: '73920461', clientId: 'scan-client-id',
  clientSecret: 'scan-client-secret-2b9d41', roleArn: 'arn:aws:iam::123456789012:role/Developer', providerArn: 'arn:aws:iam::123456789012:saml-provider/OneLogin',
};

type SecretKind = 'password' | 'otp' | 'passcode' | 'client-secret' | 'saml-response' | 'cookie' | 'access-token' | 'aws-secret-key' | 'aws-session-token';

interface Secret {
  kind: SecretKind;
  value: string;
}

/** The shortest encoded form worth searching for: shorter ones match by chance. */
const MIN_FORM_LENGTH = 6;

/**
 * Every way a secret may be written down: as is, base64 at any alignment inside a longer encoded
 * text (HTTP Basic's `user:password` included) and its URL-safe variant, URL-encoded (both
 * encodeURIComponent and form encoding) and JSON-escaped.
 */
function writtenForms(value: string): string[] {
  const forms = new Set([value, encodeURIComponent(value), new URLSearchParams({ v: value }).toString().slice(2), JSON.stringify(value).slice(1, -1)]);
  const bytes = Buffer.from(value, 'utf8');
  for (let shift = 0; shift < 3; shift += 1) {
    // Only the characters every encoding of the secret at this offset shares: whole groups of its own bytes.
    const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
    const firstWhole = shift === 0 ? 0 : 4;
    const lastWhole = Math.floor((shift + bytes.length) / 3) * 4;
    const stable = encoded.slice(firstWhole, lastWhole);
    forms.add(stable);
    forms.add(stable.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return [...forms].filter((form) => form.length >= MIN_FORM_LENGTH);
}

/** Where each kind of secret may appear; everywhere else is a leak. */
interface Place {
  what: string;
  text: string;
  allowed: SecretKind[];
}

const AWS_KEYS: SecretKind[] = ['aws-secret-key', 'aws-session-token'];

/** A recording front for the STS stand-in: keeps the SAMLAssertion of each request (the base64 SAMLResponse). */
async function startRecordingFront(target: string): Promise<LoopbackServer & { assertions: string[] }> {
  const assertions: string[] = [];
  const upstream = new URL(target);
  const server = await startLoopbackServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const assertion = new URLSearchParams(body.toString('utf8')).get('SAMLAssertion');
    if (assertion) assertions.push(assertion);
    await new Promise<void>((resolve, reject) => {
      const forward = http.request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (reply) => {
        res.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(res).on('finish', resolve);
      });
      forward.on('error', reject);
      forward.end(body);
    });
  });
  return { ...server, assertions };
}

/** Every regular file under `root` (symlinks not followed). */
async function filesUnder(root: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(root, { withFileTypes: true })) {
    const path = join(root, entry.name);
    if (entry.isDirectory()) found.push(...await filesUnder(path));
    else if (entry.isFile()) found.push(path);
  }
  return found;
}

/**
 * The pids of running shell scripts whose command line mentions `marker`. Only once the kernel has
 * run the script (argv[0] is the interpreter): a child caught between fork and exec still has
 * awsl's own command line and environment.
 */
function processesMentioning(marker: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.startsWith('/bin/sh\0') && cmdline.includes(marker)) pids.push(Number(entry));
    } catch {
      // gone
    }
  }
  return pids;
}

interface ChildSnapshot {
  argv: string;
  environ: string;
}

/**
 * Starts awsl, waits until a process running `script` (awsl's child, or its grandchild through
 * a shell) appears, and reads that process's argv and environment while it sleeps.
 */
async function runCatchingChild(args: string[], env: NodeJS.ProcessEnv, script: string): Promise<{ result: RunResult; child: ChildSnapshot | undefined }> {
  const child = spawn(process.execPath, [AWSL_BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 128)));
  let snapshot: ChildSnapshot | undefined;
  const deadline = Date.now() + 20_000;
  while (!snapshot && Date.now() < deadline) {
    const pid = processesMentioning(script).find((candidate) => candidate !== child.pid);
    if (pid !== undefined) {
      try {
        snapshot = { argv: readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' '), environ: readFileSync(`/proc/${pid}/environ`, 'utf8').replace(/\0/g, '\n') };
      } catch {
        // it ended between the two reads
      }
    }
    if (!snapshot) await sleep(25);
  }
  const code = await Promise.race([exited, sleep(30_000).then(() => { child.kill('SIGKILL'); return 137; })]);
  return { result: { code, stdout, stderr }, child: snapshot };
}

describe('secrets never leak (every command, most verbose logging)', function () {
  this.timeout(240_000);
  let world: World<SimpleSamlPhp> | undefined;
  let ecpIdp: SimpleSamlPhp;
  let duoIdp: ShibbolethDuoIdp;
  let oneLoginApi: OneLoginStandIn;
  let sts: StsStandIn;
  let front: LoopbackServer & { assertions: string[] };
  let federation: FederationStandIn;
  let sandbox: Sandbox;
  const places: Place[] = [];
  const passcode = String(randomInt(100_000_000, 1_000_000_000));
  const ran: string[] = [];
  let debugOutput = '';
  const childSnapshots: { what: string; snapshot: ChildSnapshot; allowed: SecretKind[] }[] = [];

  /** Runs awsl with debug logging; records its output as places to scan. */
  async function awsl(what: string, args: string[], options: { input?: string; env?: NodeJS.ProcessEnv; stdoutAllows?: SecretKind[]; verboseFlag?: boolean } = {}): Promise<RunResult> {
    const result = await runAwsl(options.verboseFlag === false ? args : [...args, '--verbose'], { env: { ...sandbox.env, ...options.env }, input: options.input });
    places.push({ what: `stdout of ${what}`, text: result.stdout, allowed: options.stdoutAllows ?? [] });
    places.push({ what: `stderr of ${what}`, text: result.stderr, allowed: [] });
    debugOutput += result.stderr;
    ran.push(args.find((arg) => !arg.startsWith('-')) === 'login' && args[1] === 'configure' ? 'login:configure' : args[0]!);
    return result;
  }

  before(async function () {
    const ecp = await simpleSamlPhp(this);
    const duo = await shibbolethDuo();
    const ol = await oneLogin(OL);
    world = await startWorld(ecp, { sts: { trustedProviders: { ...duo.trustedProviders, ...ol.trustedProviders } } });
    world.adopt(duo);
    world.adopt(ol);
    ({ sts } = world);
    [ecpIdp, duoIdp, oneLoginApi] = [ecp.peer, duo.peer, ol.peer];
    duoIdp.duo.pushDelayMs = 20;
    duoIdp.users.get('duo-user')!.passcodes.push(passcode);
    front = world.adopt(await startRecordingFront(sts.url));
    federation = world.adopt(await startFederationStandIn({ issued: sts.issued }));
    sandbox = world.home({ AWS_ENDPOINT_URL_STS: front.url, AWSL_FEDERATION_URL: federation.url, AWSL_LOG: 'debug', AWS_REGION: 'us-east-1' }).sandbox;
    const bin = join(sandbox.home, 'bin');
    mkdirSync(bin, { mode: 0o700 });
    for (const script of ['exec-child', 'fake-aws', 'fake-browser']) writeFileSync(join(bin, script), '#!/bin/sh\nsleep 3\n', { mode: 0o700 });
  });

  after(async function () {
    await world?.stop();
  });

  it('runs every command, then finds each secret only where it belongs', async function () {
    const secretEnv = { AWSL_ONELOGIN_CLIENT_SECRET: OL.clientSecret };
    const ok = (result: RunResult, what: string) => expect(result.code, `${what}: ${result.stderr}`).to.equal(0);

    // configure: ECP (SimpleSAMLphp), ECP with Duo (Shibboleth stand-in), OneLogin with the client secret in the environment.
    ok(await awsl('configure ecp', ['login', 'configure', '--profile', 'ecp', '--provider', 'ecp', '--ecp-endpoint-url', ecpIdp.url, '--username', 'alice', '--role-arn', ECP_ROLE, '--no-prompt']), 'configure ecp');
    ok(await awsl('configure duo', ['login', 'configure', '--profile', 'duo', '--provider', 'ecp', '--ecp-endpoint-url', duoIdp.url, '--username', 'duo-user', '--role-arn', DUO_ROLE, '--duo-factor', 'passcode', '--no-prompt']), 'configure duo');
    ok(await awsl('configure onelogin', ['login', 'configure', '--profile', 'ol', '--provider', 'onelogin', '--onelogin-subdomain', 'acme', '--onelogin-app-id', '123456',
      '--onelogin-client-id', OL.clientId, '--onelogin-api-url', oneLoginApi.url, '--username', OL.username, '--role-arn', OL.roleArn, '--no-prompt'], { env: secretEnv }), 'configure onelogin');

    // login: a password typed on a terminal (first, while there is no IdP session), then forgotten;
    // the password on stdin; a Duo passcode; OneLogin password and OTP.
    const terminal = await runAwslInTerminal(['login', '--profile', 'ecp', '--verbose'], {
      env: sandbox.env,
      steps: [{ expect: 'Password for alice', send: `${alice.password}\r` }],
    });
    expect(terminal.code, terminal.screen).to.equal(0);
    places.push({ what: 'the terminal of a typed-password login', text: terminal.screen, allowed: [] });
    debugOutput += terminal.screen;
    ran.push('login');
    ok(await awsl('logout --forget', ['logout', '--profile', 'ecp', '--forget']), 'logout --forget');
    ok(await awsl('login ecp', ['login', '--profile', 'ecp', '--password-stdin'], { input: `${alice.password}\n` }), 'login ecp');
    ok(await awsl('login duo', ['login', '--profile', 'duo', '--password-stdin', '--passcode', passcode], { input: 'duo-password\n' }), 'login duo');
    ok(await awsl('login onelogin', ['login', '--profile', 'ol', '--password-stdin', '--passcode', OL.otp], { input: `${OL.password}\n`, env: secretEnv }), 'login onelogin');

    // Saved IdP session (Cookie header), role listing, status, the credential helpers.
    ok(await awsl('logout ecp', ['logout', '--profile', 'ecp']), 'logout ecp');
    ok(await awsl('login ecp (saved session)', ['login', '--profile', 'ecp']), 'login ecp again');

    const manifest = JSON.parse(readFileSync('oclif.manifest.json', 'utf8')) as { commands: Record<string, unknown> };
    const commands = Object.keys(manifest.commands).sort();
    for (const id of commands) {
      switch (id) {
        case 'login':
        case 'login:configure':
        case 'logout':
          break; // run above and below
        case 'roles':
          ok(await awsl('roles', ['roles', '--profile', 'ecp']), 'roles');
          ok(await awsl('roles onelogin', ['roles', '--profile', 'ol', '--password-stdin', '--passcode', OL.otp], { input: `${OL.password}\n`, env: secretEnv }), 'roles onelogin');
          break;
        case 'status':
          ok(await awsl('status', ['status', '--all']), 'status');
          break;
        case 'env':
          ok(await awsl('env', ['env', '--profile', 'ecp'], { stdoutAllows: AWS_KEYS }), 'env');
          ok(await awsl('env json', ['env', '--profile', 'duo', '--format', 'json'], { stdoutAllows: AWS_KEYS }), 'env json');
          break;
        case 'credential-process':
          ok(await awsl('credential-process', ['credential-process', '--profile', 'ecp'], { stdoutAllows: AWS_KEYS }), 'credential-process');
          break;
        case 'console': {
          ok(await awsl('console --print', ['console', '--profile', 'ecp', '--print']), 'console --print');
          const browser = join(sandbox.home, 'bin', 'fake-browser');
          const { result, child } = await runCatchingChild(['console', '--profile', 'ecp', '--verbose'], { ...sandbox.env, BROWSER: browser }, browser);
          places.push({ what: 'stderr of console', text: result.stderr, allowed: [] }, { what: 'stdout of console', text: result.stdout, allowed: [] });
          ok(result, 'console');
          expect(child, 'the browser process').to.not.equal(undefined);
          childSnapshots.push({ what: 'the browser started by console', snapshot: child!, allowed: [] });
          ran.push('console');
          break;
        }
        case 'exec': {
          const script = join(sandbox.home, 'bin', 'exec-child');
          const { result, child } = await runCatchingChild(['exec', '--profile', 'ecp', '--', script], sandbox.env, script);
          places.push({ what: 'stderr of exec', text: result.stderr, allowed: [] }, { what: 'stdout of exec', text: result.stdout, allowed: [] });
          ok(result, 'exec');
          expect(child, 'exec\'s child').to.not.equal(undefined);
          // Its environment is where exec puts the credentials; nothing else may be there.
          childSnapshots.push({ what: 'the command run by exec', snapshot: child!, allowed: AWS_KEYS });
          ran.push('exec');
          break;
        }
        case 'aws': {
          const script = join(sandbox.home, 'bin', 'fake-aws');
          const { result, child } = await runCatchingChild(['--profile', 'ecp', 'aws', 's3', 'ls'], { ...sandbox.env, AWSL_AWS_CLI: script }, script);
          places.push({ what: 'stderr of aws', text: result.stderr, allowed: [] }, { what: 'stdout of aws', text: result.stdout, allowed: [] });
          ok(result, 'aws');
          expect(child, 'the AWS CLI run by aws').to.not.equal(undefined);
          childSnapshots.push({ what: 'the AWS CLI started by aws', snapshot: child!, allowed: [] });
          ran.push('aws');
          break;
        }
        default: {
          // A command this test does not know yet: run it plainly for the profile, and scan what it does.
          const result = await awsl(id, [...id.split(':'), '--profile', 'ecp']);
          expect(result.code, `${id}: ${result.stderr}`).to.not.equal(1);
        }
      }
    }

    // A failed login leaks nothing either (a wrong OTP), and then logout of everything, forgetting the sessions.
    const wrongOtp = await awsl('login onelogin, wrong OTP', ['login', '--profile', 'ol', '--password-stdin', '--passcode', '00000000'], { input: `${OL.password}\n`, env: secretEnv });
    expect(wrongOtp.code, wrongOtp.stderr).to.be.oneOf([6, 8]);

    // The secrets, now that they all exist.
    const secrets: Secret[] = [
      { kind: 'password', value: alice.password },
      { kind: 'password', value: 'duo-password' },
      { kind: 'password', value: OL.password },
      { kind: 'otp', value: OL.otp },
      { kind: 'passcode', value: passcode },
      { kind: 'client-secret', value: OL.clientSecret },
    ];
    expect(front.assertions.length, 'SAMLResponses seen by STS').to.be.at.least(5);
    for (const assertion of front.assertions) {
      secrets.push({ kind: 'saml-response', value: assertion }, { kind: 'saml-response', value: assertion.slice(assertion.length / 2, assertion.length / 2 + 64) });
    }
    for (const issued of sts.issued.values()) {
      secrets.push({ kind: 'aws-secret-key', value: issued.secretAccessKey }, { kind: 'aws-session-token', value: issued.sessionToken });
    }
    const cookieFolder = join(sandbox.stateDirectory, 'cookies');
    const cookieNames = new Set<string>();
    for (const file of readdirSync(cookieFolder)) {
      const jar = JSON.parse(readFileSync(join(cookieFolder, file), 'utf8')) as { cookies: { key: string; value: string }[] };
      for (const cookie of jar.cookies) {
        cookieNames.add(cookie.key);
        if (cookie.value.length >= 8) secrets.push({ kind: 'cookie', value: cookie.value });
      }
    }
    expect([...cookieNames]).to.include.members(['SimpleSAML', 'SimpleSAMLAuthToken', 'shib_idp_session']);
    const tokenFolder = join(sandbox.stateDirectory, 'onelogin');
    for (const file of readdirSync(tokenFolder).filter((name) => name.startsWith('token-'))) {
      secrets.push({ kind: 'access-token', value: (JSON.parse(readFileSync(join(tokenFolder, file), 'utf8')) as { accessToken: string }).accessToken });
    }

    // Every file under HOME.
    const awsDir = join(sandbox.home, '.aws');
    for (const file of await filesUnder(sandbox.home)) {
      if (lstatSync(file).size > 4 * 1024 * 1024) continue;
      const relative = file.slice(sandbox.home.length + 1);
      let allowed: SecretKind[] = [];
      if (file === sandbox.credentialsFile) allowed = AWS_KEYS;
      else if (file.startsWith(join(sandbox.stateDirectory, 'cache') + '/')) allowed = AWS_KEYS;
      else if (file.startsWith(cookieFolder + '/')) allowed = ['cookie'];
      else if (file.startsWith(join(tokenFolder, 'token-'))) allowed = ['access-token'];
      // A OneLogin assertion, kept while valid for parallel logins of the same app and user (src/pipeline/shared-authentication.ts).
      else if (/^sessions\/[0-9a-f]{32}\.assertion\.json$/.test(relative.slice(relative.indexOf('awsl/') + 'awsl/'.length))) allowed = ['saml-response'];
      places.push({ what: `the file ~/${relative}`, text: await readFile(file, 'utf8'), allowed });
      // Besides ~/.aws: its compiled code cache and doctor's note of the AWS CLI's version (scanned above like every file), and the test's own files.
      if (!file.startsWith(awsDir)) expect(relative, 'awsl writes only under ~/.aws and its caches').to.match(/^(\.cache\/awsl\/compile-cache\/[0-9a-f]{32}-v[\d.]+-\w+\.bin$|\.cache\/awsl\/aws-cli-version\.json$|bin\/|no-bus)/);
    }
    // The scan is not vacuous: the credentials are where they belong.
    const credentials = readFileSync(sandbox.credentialsFile, 'utf8');
    expect(secrets.some((secret) => secret.kind === 'aws-secret-key' && credentials.includes(secret.value)), 'credentials in ~/.aws/credentials').to.equal(true);
    // The last command: its output is scanned too.
    ok(await awsl('logout --all --forget', ['logout', '--all', '--forget']), 'logout --all --forget');
    for (const { what, snapshot, allowed } of childSnapshots) {
      places.push({ what: `the argv of ${what}`, text: snapshot.argv, allowed: [] }, { what: `the environment of ${what}`, text: snapshot.environ, allowed });
    }

    const leaks: string[] = [];
    for (const secret of secrets) {
      const forms = writtenForms(secret.value);
      for (const place of places) {
        const form = place.allowed.includes(secret.kind) ? undefined : forms.find((written) => place.text.includes(written));
        if (form !== undefined) leaks.push(`${secret.kind} (${secret.value.slice(0, 6)}…) in ${place.what}${form === secret.value ? '' : `, encoded as ${form.slice(0, 12)}…`}`);
      }
    }
    expect(leaks, 'secrets found where they do not belong').to.deep.equal([]);

    // Every command ran.
    expect(ran).to.include.members(commands.filter((id) => !['login', 'login:configure', 'logout'].includes(id)).map((id) => id.split(':')[0]!));
    const exec = childSnapshots.find((entry) => entry.what.includes('exec'));
    if (exec) expect(secrets.some((secret) => secret.kind === 'aws-secret-key' && exec.snapshot.environ.includes(secret.value)), 'exec passes the credentials').to.equal(true);

    // Debug output shows that secret headers were there, redacted, each time.
    for (const header of ['authorization', 'cookie', 'set-cookie', 'x-shibboleth-duo-passcode']) {
      const shown = debugOutput.toLowerCase().split('\n').filter((line) => line.includes(`${header}:`) && !line.includes(`-${header}:`));
      expect(shown, `${header} in the debug output`).to.not.deep.equal([]);
      for (const line of shown) expect(line, `${header} in the debug output`).to.match(new RegExp(`(^|[^-])${header}: \\[redacted\\]`));
    }
  });

  it('debug output redacts secret query parameters of a URL (the console sign-in request carries the secret key)', async function () {
    const { redactUrl } = await import('../../src/http.js');
    const url = 'https://signin.aws.amazon.com/federation?Action=getSigninToken&SessionDuration=3600&Session=%7B%22sessionKey%22%3A%22SECRET%22%7D&SAMLResponse=abc&password=pw&client_secret=cs';
    const shown = redactUrl(url);
    expect(shown).to.not.match(/SECRET|=abc|=pw|=cs/);
    expect(shown).to.include('Action=getSigninToken').and.to.include('SessionDuration=3600').and.to.include('Session=[redacted]');
    expect(redactUrl('https://user:hunter2@idp.example.org/ecp')).to.not.include('hunter2');
    expect(existsSync(AWSL_BIN)).to.equal(true);
  });
});
