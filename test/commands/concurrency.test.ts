/**
 * Concurrency and crashes, end to end with the real CLI: twenty `awsl login` at once into twenty
 * profiles, and `awsl login` killed with SIGKILL at random moments. The AWS files hold years of
 * hand edits; awsl must lose nothing, leave nothing half written and no lock that blocks the next
 * run. (test/state/ covers the same at the level of the INI editor and the lock, with thousands of
 * edits; this is the CLI, IdP and STS included.)
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { IniDocument } from '../../src/state/ini-document.js';
import { listenOnLoopback } from '../peers/process.js';
import { SIMPLESAMLPHP_USERS, type SimpleSamlPhp } from '../peers/simplesamlphp/index.js';
import type { StsStandIn } from '../peers/sts/index.js';
import { AWSL_BIN, runAwsl, type RunResult, type Sandbox } from '../support/cli.js';
import { simpleSamlPhp, startWorld, type World, type WorldHome } from '../support/world.js';

const alice = SIMPLESAMLPHP_USERS.alice;
const ADMIN = alice.roles[0]!.roleArn;
const PROFILES = Array.from({ length: 20 }, (_, index) => `team-${String(index + 1).padStart(2, '0')}`);
const AWSL_KEYS = ['aws_access_key_id', 'aws_secret_access_key', 'aws_session_token', 'awsl_expiration', 'awsl_role_arn'];

/** A TCP forwarder: each profile reaches the IdP through its own host:port, so each gets its own cookie jar. */
async function startForwarder(targetPort: number): Promise<{ url: string; stop(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.once('close', () => sockets.delete(socket));
    }
    client.pipe(upstream).pipe(client);
  });
  const port = await listenOnLoopback(server);
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}

/** The hand-written parts of the files, which must survive everything byte for byte. */
const CURATED_CONFIG = `# Managed by hand since 2016. Do not reorder.
[default]
region = eu-west-1   ; Ireland
output = json

[profile legacy]
role_arn = arn:aws:iam::999999999999:role/Legacy
source_profile = static
s3 =
  max_concurrent_requests = 20
`;
const CURATED_CREDENTIALS = `# static keys for the legacy account
[static]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
`;

describe('concurrency and crashes (CLI)', function () {
  this.timeout(240_000);
  let world: World<SimpleSamlPhp> | undefined;
  let sts: StsStandIn;
  let home: WorldHome;
  let sandbox: Sandbox;
  let config: string;

  before(async function () {
    world = await startWorld(await simpleSamlPhp(this, { workers: 4 }));
    const idp = world.idp.peer;
    sts = world.sts;
    const port = Number(new URL(idp.baseUrl).port);
    const forwarders: { url: string; stop(): Promise<void> }[] = [];
    for (const _ of PROFILES) forwarders.push(world.adopt(await startForwarder(port)));
    home = world.home();
    sandbox = home.sandbox;
    const path = new URL(idp.url).pathname;
    config = CURATED_CONFIG + PROFILES.map((profile, index) =>
      `\n[profile ${profile}]\nawsl_provider = ecp\nawsl_ecp_endpoint_url = ${forwarders[index]!.url}${path}\nawsl_username = alice\nawsl_role_arn = ${ADMIN}\n`).join('');
    home.writeConfig(config);
    writeFileSync(sandbox.credentialsFile, CURATED_CREDENTIALS, { mode: 0o600 });
  });

  after(async function () {
    await world?.stop();
  });

  const login = (profile: string): Promise<RunResult> =>
    home.run(['login', '--profile', profile, '--password-stdin'], { input: `${alice.password}\n`, timeoutMs: 60_000 });

  /** Everything that must hold after any run, finished or killed. */
  function expectIntactFiles(context: string): IniDocument {
    expect(readFileSync(sandbox.configFile, 'utf8'), `${context}: config`).to.equal(config);
    const text = readFileSync(sandbox.credentialsFile, 'utf8');
    expect(text.startsWith(CURATED_CREDENTIALS), `${context}: the hand-written credentials`).to.equal(true);
    const credentials = IniDocument.parse(text, sandbox.credentialsFile);
    for (const profile of PROFILES) {
      const section = credentials.section(profile);
      if (section === undefined) continue;
      // Complete or absent, never half written.
      expect(Object.keys(section).sort(), `${context}: [${profile}]`).to.deep.equal([...AWSL_KEYS].sort());
      expect(sts.issued.get(section.aws_access_key_id!)?.secretAccessKey, `${context}: [${profile}] is a key pair STS issued`).to.equal(section.aws_secret_access_key);
      expect(sts.issued.get(section.aws_access_key_id!)?.sessionToken).to.equal(section.aws_session_token);
    }
    const jars = join(sandbox.stateDirectory, 'cookies');
    for (const name of existsSync(jars) ? readdirSync(jars).filter((file) => file.endsWith('.json') && !file.startsWith('.')) : []) {
      const jar = JSON.parse(readFileSync(join(jars, name), 'utf8')) as { cookies?: unknown[] };
      expect(jar.cookies, `${context}: cookie jar ${name}`).to.be.an('array');
    }
    return credentials;
  }

  it('20 simultaneous logins into 20 profiles: 20 complete credentials sections, 20 cookie jars, the config unchanged', async function () {
    const results = await Promise.all(PROFILES.map((profile) => login(profile)));
    results.forEach((result, index) => expect(result.code, `${PROFILES[index]}: ${result.stderr}`).to.equal(0));
    const credentials = expectIntactFiles('after 20 logins');
    expect(PROFILES.filter((profile) => credentials.section(profile) !== undefined)).to.deep.equal(PROFILES);
    const keys = new Set(PROFILES.map((profile) => credentials.get(profile, 'aws_access_key_id')));
    expect(keys.size, 'every profile has its own credentials').to.equal(20);
    const jars = readdirSync(join(sandbox.stateDirectory, 'cookies')).filter((file) => file.endsWith('.json') && !file.startsWith('.'));
    expect(jars).to.have.length(20);
    // Nothing left behind: no lock, no temporary file next to the AWS files.
    expect(readdirSync(join(sandbox.home, '.aws')).filter((name) => /\.lock|\.tmp$/.test(name))).to.deep.equal([]);
  });

  it('SIGKILL at random moments never leaves a broken file or a lock that blocks the next run', async function () {
    // How long a login takes here, so that the kills spread over all of it (start, IdP, STS, writing).
    const started = Date.now();
    expect((await login(PROFILES[0]!)).code).to.equal(0);
    const span = Math.max(500, Date.now() - started);
    const timeline: string[] = [];
    for (let iteration = 0; iteration < 15; iteration++) {
      const victim = PROFILES[(iteration * 2) % PROFILES.length]!;
      const bystander = PROFILES[(iteration * 2 + 1) % PROFILES.length]!;
      // A saved IdP session makes a login short; forgetting it makes the victim send the password again.
      if (iteration % 3 === 0) await runAwsl(['logout', '--profile', victim, '--forget'], { env: sandbox.env });
      const child = spawn(process.execPath, [AWSL_BIN, 'login', '--profile', victim, '--password-stdin'], { env: sandbox.env, stdio: ['pipe', 'ignore', 'ignore'] });
      child.stdin.end(`${alice.password}\n`);
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      // The bystander writes the same credentials file at the same time.
      const other = login(bystander);
      const delay = Math.floor(Math.random() * span * 1.2);
      await sleep(delay);
      child.kill('SIGKILL');
      await exited;
      timeline.push(`${victim} killed after ${delay} ms`);
      const otherResult = await other;
      expect(otherResult.code, `the concurrent login of ${bystander} (${timeline.join(', ')}): ${otherResult.stderr}`).to.equal(0);
      expectIntactFiles(`iteration ${iteration} (${timeline.at(-1)})`);
      // The next run is not blocked by anything the killed one held.
      const next = Date.now();
      const again = await login(victim);
      expect(again.code, `the login after the kill (${timeline.at(-1)}): ${again.stderr}`).to.equal(0);
      expect(Date.now() - next, 'the next login is prompt').to.be.below(15_000);
      expectIntactFiles(`iteration ${iteration}, after the next login`);
    }
  });
});
