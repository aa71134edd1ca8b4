/**
 * The npm package as people install it: `npm pack` from a fresh copy of the sources (no dist/),
 * `npm install -g` of that tarball into an empty prefix, then a full login against the real
 * SimpleSAMLphp and the STS stand-in, as root and as an unprivileged user for whom the install is
 * read-only, with the AWS CLI running the credential_process line the install wrote.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'chai';
import { AWS_CLI, available as awsCliAvailable } from './peers/aws-cli.js';
import { ALICE_ADMIN, startEcpWorld, USERS, type EcpWorld } from './commands/ecp-world.js';
import { runProcess, type RunResult } from './support/cli.js';
import { requirePeer } from './support/peers.js';

const REPOSITORY = resolve('.');
const NOBODY = 65534;

describe('the npm package (npm pack from fresh sources, npm install -g into an empty prefix)', function () {
  this.timeout(240_000);
  let world: EcpWorld;
  let work: string;
  let sources: string;
  let tarball: string;
  let prefix: string;
  const awsl = () => join(prefix, 'bin', 'awsl');

  before(async function () {
    requirePeer(this, awsCliAvailable(), 'AWS CLI v2 at /usr/bin/aws (Debian awscli)');
    world = await startEcpWorld(this);
    work = mkdtempSync(join(tmpdir(), 'awsl-package-'));
    chmodSync(work, 0o755);
    sources = join(work, 'sources');
    // What a clone has: the tracked (and not ignored) files; dependencies as `npm ci` leaves them.
    const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REPOSITORY, encoding: 'utf8' }).split('\0').filter(Boolean);
    for (const file of files) if (existsSync(join(REPOSITORY, file))) cpSync(join(REPOSITORY, file), join(sources, file), { recursive: true });
    symlinkSync(join(REPOSITORY, 'node_modules'), join(sources, 'node_modules'));
    // Left-overs of `oclif pack` and other builds must not ship.
    mkdirSync(join(sources, 'dist'));
    writeFileSync(join(sources, 'dist', 'awsl-v0.1.0-linux-x64.tar.gz'), 'not a package file');
    mkdirSync(join(sources, 'tmp'));
    writeFileSync(join(sources, 'tmp', 'stray.js'), '');

    const packed = execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: sources, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const [{ filename }] = JSON.parse(packed.slice(packed.indexOf('['))) as [{ filename: string }];
    tarball = join(work, filename);
    prefix = join(work, 'prefix');
    execFileSync('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', '--prefer-offline', tarball], { stdio: ['ignore', 'pipe', 'pipe'] });
  });

  after(async function () {
    await world?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('a project\'s npm install from a git URL builds awsl (the prepare script) and runs it', async function () {
    const repository = join(work, 'repository');
    const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REPOSITORY, encoding: 'utf8' }).split('\0').filter(Boolean);
    for (const file of files) if (existsSync(join(REPOSITORY, file))) cpSync(join(REPOSITORY, file), join(repository, file), { recursive: true });
    const git = (args: string[]) => execFileSync('git', ['-c', 'user.name=awsl test', '-c', 'user.email=test@example.org', ...args], { cwd: repository, stdio: ['ignore', 'pipe', 'pipe'] });
    git(['init', '-q']);
    git(['add', '-A']);
    git(['commit', '-qm', 'snapshot']);
    const project = join(work, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), '{"name": "uses-awsl", "version": "1.0.0", "private": true}\n');
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', `git+file://${repository}`], { cwd: project, stdio: ['ignore', 'pipe', 'pipe'] });
    expect(existsSync(join(project, 'node_modules', 'awsl', 'dist', 'awsl.cjs')), 'dist/ built in the git dependency').to.equal(true);
    const help = await runProcess(join(project, 'node_modules', '.bin', 'awsl'), ['--help'], { env: process.env });
    expect(help.code, help.stderr).to.equal(0);
    expect(help.stdout).to.include('doctor');
  });

  it('ships the built files and the LICENSE, nothing else', function () {
    const entries = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n').sort();
    expect(entries).to.deep.equal([
      'package/LICENSE', 'package/README.md', 'package/bin/package.json', 'package/bin/run.js',
      'package/dist/awsl.cjs', 'package/dist/boot/bundle-loader.cjs', 'package/dist/boot/start.cjs', 'package/dist/chrome-remote-interface.cjs',
      'package/dist/undici.cjs', 'package/dist/xml-crypto.cjs', 'package/dist/xmldom.cjs',
      'package/oclif.manifest.json', 'package/package.json',
    ]);
  });

  it('installs only what runs from node_modules: the keyring binding and the completion plugin (with its oclif)', function () {
    const installed = join(prefix, 'lib', 'node_modules', 'awsl', 'node_modules');
    const top = readdirSync(installed).filter((name) => !name.startsWith('.'));
    expect(top).to.include.members(['@napi-rs', '@oclif']);
    for (const bundled of ['@aws-sdk', '@smithy', 'undici', 'xml-crypto', '@xmldom', 'fast-xml-parser', 'tough-cookie', 'chrome-remote-interface', 'ws']) expect(top).to.not.include(bundled);
  });

  type Exec = (program: string, args: string[], input?: string) => Promise<RunResult>;

  async function fullLogin(exec: Exec): Promise<void> {
    const run = (args: string[], input?: string) => exec(awsl(), args, input);
    const version = await run(['--version']);
    expect(version.stdout).to.match(/^awsl\/\d+\.\d+\.\d+ linux-x64 node-v/);
    const configured = await run(['login', 'configure', '--profile', 'demo', '--provider', 'ecp', '--ecp-endpoint-url', world.idp.url,
      '--username', 'alice', '--role-arn', ALICE_ADMIN, '--credential-process', '--no-prompt']);
    expect(configured.code, configured.stderr).to.equal(0);
    const login = await run(['--profile', 'demo', 'login', '--password-stdin'], `${USERS.alice.password}\n`);
    expect(login.code, login.stderr).to.equal(0);
    expect(login.stdout + login.stderr).to.include('Logged in as Admin in account 111111111111');
    // The AWS CLI runs the credential_process line the installed awsl wrote.
    const identity = await exec(AWS_CLI, ['sts', 'get-caller-identity', '--profile', 'demo', '--endpoint-url', world.sts.url, '--region', 'us-east-1', '--output', 'text', '--query', 'Arn']);
    expect(identity.code, identity.stderr).to.equal(0);
    expect(identity.stdout.trim()).to.equal('arn:aws:sts::111111111111:assumed-role/Admin/alice@example.org');
  }

  it('as root: configure, login, and the AWS CLI through credential_process', async function () {
    const machine = world.machine({ PATH: `/usr/bin:${process.env.PATH}` });
    await fullLogin((program, args, input) => runProcess(program, args, { env: machine.sandbox.env, input }));
    const { stdout } = await runProcess(awsl(), ['doctor'], { env: machine.sandbox.env });
    expect(stdout).to.match(/^ok +profile demo +ecp settings are valid; credential_process runs awsl\.$/m);
  });

  it('as an unprivileged user, for whom the root-owned install is read-only', async function () {
    requirePeer(this, process.getuid?.() === 0, 'root, to run awsl as another user');
    const machine = world.machine({ PATH: `/usr/bin:${process.env.PATH}` });
    chownTree(machine.sandbox.home, NOBODY);
    const asNobody: Exec = (program, args, input) => runProcess('setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '--', program, ...args], { env: machine.sandbox.env, input });
    const touch = await asNobody('touch', [join(prefix, 'lib', 'node_modules', 'awsl', 'probe')]);
    expect(touch.code, 'the install is not writable for this user').to.not.equal(0);
    await fullLogin(asNobody);
    expect(existsSync(join(machine.sandbox.home, '.cache', 'awsl', 'compile-cache')), 'the code cache lives in the user\'s home').to.equal(true);
  });
});

function chownTree(path: string, uid: number): void {
  chownSync(path, uid, uid);
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) chownTree(child, uid);
    else chownSync(child, uid, uid);
  }
}
