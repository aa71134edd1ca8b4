/**
 * Shared setup of the ECP login, logout and keyring CLI tests: the real SimpleSAMLphp ECP IdP, an
 * STS stand-in trusting it for every test user's accounts (more stand-ins on demand), and machines:
 * a throwaway HOME each, where profiles for one or several IdP users live side by side.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { awsCli, type AwsCliResult } from '../peers/aws-cli.js';
import { available as simpleSamlPhpAvailable, SIMPLESAMLPHP_USERS, startSimpleSamlPhp, type SimpleSamlPhp } from '../peers/simplesamlphp/index.js';
import { startStsStandIn, type IssuedCredentials, type StsStandIn, type StsStandInOptions } from '../peers/sts/index.js';
import { createSandbox, runAwsl, runAwslInTerminal, type RunResult, type Sandbox, type TerminalResult, type TerminalStep } from '../support/cli.js';
import { requirePeer } from '../support/peers.js';
import { readSection } from './saml-world.js';

export const USERS = SIMPLESAMLPHP_USERS;
export type UserName = keyof typeof USERS;
export const ALICE_ADMIN = USERS.alice.roles[0]!.roleArn;
export const ALICE_READ_ONLY = USERS.alice.roles[1]!.roleArn;
export const BOB_DEVELOPER = USERS.bob.roles[0]!.roleArn;
export const GUS_GOV_ADMIN = USERS.gus.roles[0]!.roleArn;

/** One HOME: its own ~/.aws files, IdP sessions and keyring account. */
export interface Machine {
  sandbox: Sandbox;
  /** `awsl <args>`, no terminal; stdin is `input` (empty when not given). */
  run(args: string[], options?: { input?: string; env?: NodeJS.ProcessEnv }): Promise<RunResult>;
  /** `awsl <args>` on a terminal, answering `steps`. */
  inTerminal(args: string[], steps: TerminalStep[]): Promise<TerminalResult>;
  /** `awsl login configure --profile P` for `username` at the world's IdP, unattended; must succeed. */
  configure(profile: string, username: UserName, extra?: string[]): Promise<void>;
  /** `awsl login --profile P --password-stdin`, with the profile's user's password unless one is given. */
  login(profile: string, extra?: string[], password?: string): Promise<RunResult>;
  /** A profile's section of ~/.aws/credentials; undefined when there is none. */
  credentials(profile: string): Record<string, string> | undefined;
  /** /usr/bin/aws with this machine's AWS files. */
  aws(args: string[]): Promise<AwsCliResult>;
  /** Deletes the saved IdP sessions (cookie jars), as their expiry would. */
  expireIdpSessions(): void;
}

export interface EcpWorld {
  idp: SimpleSamlPhp;
  /** Trusts the IdP for every test user's accounts; every machine reaches it unless told otherwise. */
  sts: StsStandIn;
  /** provider ARN → the IdP's certificate, for every test user's accounts. */
  trustedProviders: Record<string, string>;
  /** Another STS stand-in (trusting the IdP unless the options say otherwise), stopped with the world. */
  startSts(options?: Partial<StsStandInOptions>): Promise<StsStandIn>;
  /** A fresh HOME; `env` goes over the sandbox's (AWS_ENDPOINT_URL_STS is the world's STS unless given). */
  machine(env?: NodeJS.ProcessEnv): Machine;
  /** What STS issued for a profile's section of ~/.aws/credentials (fails the test when nothing). */
  issuedFor(section: Record<string, string> | undefined): IssuedCredentials;
  stop(): Promise<void>;
}

/** Starts the world in a before() hook; skips (or fails in CI) without SimpleSAMLphp. */
export async function startEcpWorld(context: Mocha.Context): Promise<EcpWorld> {
  requirePeer(context, simpleSamlPhpAvailable(), 'SimpleSAMLphp (php, simplesamlphp)');
  const idp = await startSimpleSamlPhp();
  const trustedProviders: Record<string, string> = {};
  for (const user of Object.values(USERS)) for (const role of user.roles) trustedProviders[role.principalArn] = idp.certificatePem;
  const stsStandIns: StsStandIn[] = [];
  const sandboxes: Sandbox[] = [];
  const startSts = async (options: Partial<StsStandInOptions> = {}) => {
    const sts = await startStsStandIn({ trustedProviders, ...options });
    stsStandIns.push(sts);
    return sts;
  };
  const sts = await startSts();

  const machine = (env: NodeJS.ProcessEnv = {}): Machine => {
    const sandbox = createSandbox({ AWS_ENDPOINT_URL_STS: sts.url, ...env });
    sandboxes.push(sandbox);
    const users = new Map<string, UserName>();
    const run = (args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}) =>
      runAwsl(args, { env: { ...sandbox.env, ...options.env }, input: options.input });
    return {
      sandbox,
      run,
      inTerminal: (args, steps) => runAwslInTerminal(args, { env: sandbox.env, steps }),
      async configure(profile, username, extra = []) {
        const result = await run(['login', 'configure', '--profile', profile, '--provider', 'ecp', '--ecp-endpoint-url', idp.url,
          '--username', username, ...extra, '--no-prompt']);
        expect(result.code, result.stderr).to.equal(0);
        users.set(profile, username);
      },
      login(profile, extra = [], password) {
        const username = users.get(profile);
        if (password === undefined && username === undefined) throw new Error(`Profile ${profile} was not configured through this machine`);
        return run(['login', '--profile', profile, '--password-stdin', ...extra], { input: `${password ?? USERS[username!].password}\n` });
      },
      credentials: (profile) => readSection(sandbox.credentialsFile, profile),
      aws: (args) => awsCli(args, { AWS_CONFIG_FILE: sandbox.configFile, AWS_SHARED_CREDENTIALS_FILE: sandbox.credentialsFile }),
      expireIdpSessions() {
        const folder = join(sandbox.stateDirectory, 'cookies');
        const jars = existsSync(folder) ? readdirSync(folder) : [];
        expect(jars, 'saved IdP sessions').to.not.have.length(0);
        for (const jar of jars) rmSync(join(folder, jar));
      },
    };
  };

  return {
    idp, sts, trustedProviders, startSts, machine,
    issuedFor(section) {
      const issued = stsStandIns.map((standIn) => standIn.issued.get(section?.aws_access_key_id ?? '')).find(Boolean);
      expect(issued, `credentials issued by an STS stand-in for ${JSON.stringify(section)}`).to.not.equal(undefined);
      return issued!;
    },
    async stop() {
      for (const standIn of stsStandIns) await standIn.stop();
      await idp.stop();
      for (const sandbox of sandboxes) sandbox.remove();
    },
  };
}

/** AssumeRoleWithSAML requests an STS stand-in received after the first `from` requests. */
export function assumeRoleRequests(sts: StsStandIn, from: number): StsStandIn['requests'] {
  return sts.requests.slice(from).filter((request) => request.action === 'AssumeRoleWithSAML');
}
