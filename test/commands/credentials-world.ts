/**
 * Shared setup of the credential_process, exec, env, keep-alive and AWS CLI pass-through tests:
 * the real SimpleSAMLphp ECP IdP, the STS stand-in trusting it, and a throwaway HOME per test with
 * an ecp profile for alice (role Admin in 111111111111) and the region the AWS CLI needs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { expect } from 'chai';
import { available as simpleSamlPhpAvailable, SIMPLESAMLPHP_USERS, startSimpleSamlPhp, type SimpleSamlPhp } from '../peers/simplesamlphp/index.js';
import { startStsStandIn, type StsStandIn, type StsStandInOptions } from '../peers/sts/index.js';
import { AWSL_BIN, createSandbox, runAwsl, type RunResult, type Sandbox } from '../support/cli.js';
import { requirePeer } from '../support/peers.js';

export const ALICE = SIMPLESAMLPHP_USERS.alice;
export const ADMIN_ROLE = ALICE.roles[0]!.roleArn;
export const READ_ONLY_ROLE = ALICE.roles[1]!.roleArn;

export interface Home {
  sandbox: Sandbox;
  env: NodeJS.ProcessEnv;
  run(args: string[], options?: { input?: string; env?: NodeJS.ProcessEnv }): Promise<RunResult>;
  /** `awsl login configure --profile P` for alice, unattended, plus `extra` flags. */
  configure(profile: string, extra?: string[]): Promise<RunResult>;
  /** `awsl login --profile P --password-stdin`, which must succeed. */
  login(profile: string, extra?: string[]): Promise<RunResult>;
  readConfig(): string;
  readCredentials(): string;
}

export interface CredentialsWorld {
  idp: SimpleSamlPhp;
  sts: StsStandIn;
  home(env?: NodeJS.ProcessEnv): Home;
  /** AssumeRoleWithSAML requests the STS stand-in has seen. */
  assumeRoleCount(): number;
  stop(): Promise<void>;
}

export async function startCredentialsWorld(context: Mocha.Context, stsOptions: Omit<StsStandInOptions, 'trustedProviders'> = {}): Promise<CredentialsWorld> {
  requirePeer(context, simpleSamlPhpAvailable(), 'SimpleSAMLphp (php, simplesamlphp)');
  const idp = await startSimpleSamlPhp();
  const sts = await startStsStandIn({ ...stsOptions, trustedProviders: Object.fromEntries(ALICE.roles.map((role) => [role.principalArn, idp.certificatePem])) });
  const sandboxes: Sandbox[] = [];
  const home = (extraEnv: NodeJS.ProcessEnv = {}): Home => {
    const sandbox = createSandbox({ AWS_ENDPOINT_URL_STS: sts.url, ...extraEnv });
    sandboxes.push(sandbox);
    const run = (args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}) =>
      runAwsl(args, { env: { ...sandbox.env, ...options.env }, input: options.input });
    return {
      sandbox,
      env: sandbox.env,
      run,
      configure: (profile, extra = []) => run(['login', 'configure', '--profile', profile, '--provider', 'ecp', '--ecp-endpoint-url', idp.url,
        '--username', ALICE.username, '--role-arn', ADMIN_ROLE, ...extra, '--no-prompt']),
      async login(profile, extra = []) {
        const result = await run(['login', '--profile', profile, '--password-stdin', ...extra], { input: `${ALICE.password}\n` });
        expect(result.code, result.stderr).to.equal(0);
        return result;
      },
      readConfig: () => readFileSync(sandbox.configFile, 'utf8'),
      readCredentials: () => (existsSync(sandbox.credentialsFile) ? readFileSync(sandbox.credentialsFile, 'utf8') : ''),
    };
  };
  return {
    idp, sts, home,
    assumeRoleCount: () => sts.requests.filter((request) => request.action === 'AssumeRoleWithSAML' && request.status === 200).length,
    async stop() {
      await sts.stop();
      await idp.stop();
      for (const sandbox of sandboxes) sandbox.remove();
    },
  };
}

/** Adds `region = us-east-1` (what the AWS CLI needs to sign STS calls) to a profile's section of a config file. */
export function addRegion(configFile: string, profile: string, region = 'us-east-1'): void {
  const header = profile === 'default' ? '[default]' : `[profile ${profile}]`;
  const text = readFileSync(configFile, 'utf8');
  expect(text).to.include(header);
  writeFileSync(configFile, text.replace(header, `${header}\nregion = ${region}`));
}

/** A running awsl (no terminal: its own session), its output so far, and its exit. */
export interface RunningAwsl {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when `pattern` shows on stdout or stderr; rejects when awsl exits first or time runs out. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startAwsl(args: string[], env: NodeJS.ProcessEnv, input?: string): RunningAwsl {
  const child = spawn(process.execPath, [AWSL_BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout!.on('data', (chunk: Buffer) => { stdout += chunk.toString(); for (const listener of listeners) listener(); });
  child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString(); for (const listener of listeners) listener(); });
  child.stdin!.end(input ?? '');
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  let done = false;
  void exited.then(() => { done = true; for (const listener of listeners) listener(); });
  const waitFor = (pattern: RegExp, timeoutMs = 30_000) => new Promise<void>((resolve, reject) => {
    const check = () => {
      if (pattern.test(stdout) || pattern.test(stderr)) finish(resolve);
      else if (done) finish(() => reject(new Error(`awsl exited before showing ${pattern}.\nstdout:\n${stdout}\nstderr:\n${stderr}`)));
    };
    const timer = setTimeout(() => finish(() => reject(new Error(`awsl did not show ${pattern} within ${timeoutMs} ms.\nstdout:\n${stdout}\nstderr:\n${stderr}`))), timeoutMs);
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      listeners.delete(check);
      settle();
    };
    listeners.add(check);
    check();
  });
  return { child, stdout: () => stdout, stderr: () => stderr, waitFor, exited };
}

/**
 * Runs a shell command line on a pseudo-terminal (util-linux script), typing `send` once `expect`
 * shows: for the AWS CLI starting awsl, whose prompts must reach the terminal although the AWS CLI
 * captures awsl's stdout and stderr.
 */
export function runInTerminal(commandLine: string, env: NodeJS.ProcessEnv, steps: Array<{ expect: string; send: string }>, timeoutMs = 60_000): Promise<{ code: number; screen: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qefc', commandLine, '/dev/null'], { env: { ...env, TERM: 'dumb' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let screen = '';
    let consumed = 0;
    const pending = [...steps];
    const onData = (chunk: Buffer) => {
      screen += chunk.toString();
      for (let step = pending[0]; step; step = pending[0]) {
        const index = screen.indexOf(step.expect, consumed);
        if (index < 0) break;
        consumed = index + step.expect.length;
        pending.shift();
        child.stdin!.write(step.send);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`Terminal session timed out waiting for ${pending[0]?.expect ?? 'exit'}. Screen:\n${screen}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (pending.length > 0) reject(new Error(`Exited (${code}) before showing ${pending[0]?.expect}. Screen:\n${screen}`));
      else resolve({ code: code ?? 1, screen: screen.replace(/\r\n/g, '\n') });
    });
  });
}
