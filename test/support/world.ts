/**
 * The one world builder of the tests: an IdP peer, an STS stand-in that trusts it (more on demand),
 * and HOMEs — a throwaway HOME each, with its AWS files and state folder — where profiles are
 * configured for the IdP. A HOME runs the built CLI as a user would, or gives a RunContext over
 * the same files for in-process tests. Everything started is stopped, and every HOME removed, by
 * stop(). The IdP peers stay in test/peers/; the adapters below only say how a profile uses one.
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { createRunContext, type RunContext } from '../../src/pipeline/context.js';
import type { SecretStore } from '../../src/state/secret-store.js';
import { createLogger } from '../../src/ui/logger.js';
import { DEVICE, startOneLoginStandIn, type OneLoginStandIn } from '../peers/onelogin/index.js';
import { throwawayKeyPair } from '../peers/saml-fixtures.js';
import { startShibbolethDuoIdp, type ShibbolethDuoIdp, type ShibbolethDuoOptions } from '../peers/shibboleth-duo/index.js';
import { available as simpleSamlPhpAvailable, SIMPLESAMLPHP_USERS, startSimpleSamlPhp, type SimpleSamlPhp, type SimpleSamlPhpOptions } from '../peers/simplesamlphp/index.js';
import { startStsStandIn, type IssuedCredentials, type StsStandIn, type StsStandInOptions } from '../peers/sts/index.js';
import { createSandbox, runAwsl, runAwslInTerminal, type RunResult, type Sandbox, type TerminalResult, type TerminalStep } from './cli.js';
import { MemorySecretStore } from './memory-secret-store.js';
import { requirePeer } from './peers.js';
import { scriptedPrompter, type ScriptedAnswer, type ScriptedPrompter } from './scripted-prompter.js';

/** An IdP peer as the world uses it. */
export interface WorldIdp<Peer> {
  peer: Peer;
  /** What the STS stand-in trusts: SAML provider ARN → the IdP's signing certificate. */
  trustedProviders: Record<string, string>;
  /** The user a profile is for when a test names none. */
  defaultUser: string;
  /** The `awsl login configure` flags of a profile for `username` at this IdP. */
  configureArgs(username: string): string[];
  /** The same profile as ~/.aws/config keys, for tests that write the file instead. */
  settings(username: string): Record<string, string>;
  password(username: string): string;
  /** What every HOME's environment needs for this IdP. */
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

/** An ECP IdP whose endpoint is `endpointUrl`: the adapter of any peer speaking ECP (a test's own scripted one too). */
export function ecpIdp<Peer extends { stop(): Promise<void> }>(peer: Peer, endpointUrl: string, options: {
  trustedProviders: Record<string, string>;
  defaultUser: string;
  password(username: string): string;
  /** ~/.aws/config keys every profile gets (a written profile has no configure defaults). */
  settings?: Record<string, string>;
}): WorldIdp<Peer> {
  return {
    peer, trustedProviders: options.trustedProviders, defaultUser: options.defaultUser, password: options.password, env: {},
    configureArgs: (username) => ['--provider', 'ecp', '--ecp-endpoint-url', endpointUrl, '--username', username],
    settings: (username) => ({ awsl_provider: 'ecp', awsl_ecp_endpoint_url: endpointUrl, awsl_username: username, ...options.settings }),
    stop: () => peer.stop(),
  };
}

/** The SimpleSAMLphp ECP IdP (real), with the users of test/peers/simplesamlphp/users.ts. Skips (or fails in CI) without it. */
export async function simpleSamlPhp(context: Mocha.Context, options: SimpleSamlPhpOptions = {}): Promise<WorldIdp<SimpleSamlPhp>> {
  requirePeer(context, simpleSamlPhpAvailable(), 'SimpleSAMLphp (php, simplesamlphp)');
  const peer = await startSimpleSamlPhp(options);
  const trustedProviders: Record<string, string> = {};
  for (const user of Object.values(SIMPLESAMLPHP_USERS)) for (const role of user.roles) trustedProviders[role.principalArn] = peer.certificatePem;
  return ecpIdp(peer, peer.url, {
    trustedProviders, defaultUser: SIMPLESAMLPHP_USERS.alice.username,
    password: (username) => SIMPLESAMLPHP_USERS[username as keyof typeof SIMPLESAMLPHP_USERS].password,
    // SimpleSAMLphp has no Duo: no wait for a push that never comes.
    settings: { awsl_duo_factor: 'none' },
  });
}

export const DUO_IDP_USER = { username: 'duo-user', password: 'duo-password' } as const;

/** The project's Shibboleth-with-Duo stand-in, its two accounts trusted. */
export async function shibbolethDuo(options: ShibbolethDuoOptions = {}): Promise<WorldIdp<ShibbolethDuoIdp>> {
  const peer = await startShibbolethDuoIdp(options);
  return ecpIdp(peer, peer.url, {
    trustedProviders: { [peer.providerArn('444444444444')]: peer.certificatePem, [peer.providerArn('555555555555')]: peer.certificatePem },
    defaultUser: DUO_IDP_USER.username,
    password: (username) => peer.users.get(username)?.password ?? DUO_IDP_USER.password,
  });
}

export const ONELOGIN_USER = {
  username: 'olivia@acme.example',
  password: 'olivia-password-5b1e',
  otp: '493817',
  clientId: 'hardening-client-id',
  clientSecret: 'hardening-client-secret-9c2f',
  roleArn: 'arn:aws:iam::123456789012:role/Developer',
  providerArn: 'arn:aws:iam::123456789012:saml-provider/OneLogin',
} as const;

export type OneLoginUser = { readonly [Key in keyof typeof ONELOGIN_USER]: string };

/** The OneLogin API stand-in with one user whose second factor is an authenticator app (OTP). */
export async function oneLogin(user: OneLoginUser = ONELOGIN_USER): Promise<WorldIdp<OneLoginStandIn>> {
  const { username, password, otp, clientId, clientSecret } = user;
  const peer = await startOneLoginStandIn({ clientId, clientSecret, users: [{ username, password, devices: [{ id: 7001, type: DEVICE.googleAuthenticator, code: otp }] }] });
  const settings = {
    awsl_provider: 'onelogin', awsl_onelogin_subdomain: 'acme', awsl_onelogin_app_id: '123456', awsl_onelogin_client_id: clientId, awsl_onelogin_api_url: peer.url,
  };
  return {
    peer,
    // The stand-in signs with the default throwaway key of this process.
    trustedProviders: { [user.providerArn]: throwawayKeyPair().cert },
    defaultUser: username,
    configureArgs: (name) => ['--provider', 'onelogin', '--onelogin-subdomain', 'acme', '--onelogin-app-id', '123456',
      '--onelogin-client-id', clientId, '--onelogin-api-url', peer.url, '--username', name],
    settings: (name) => ({ ...settings, awsl_username: name }),
    password: () => password,
    // The client secret comes from the environment, as configure --no-prompt takes it.
    env: { AWSL_ONELOGIN_CLIENT_SECRET: clientSecret },
    stop: () => peer.stop(),
  };
}

export interface WorldOptions {
  /** The world's STS stand-in, which trusts the IdP (and any providers given here). */
  sts?: Partial<StsStandInOptions>;
  /** Over every HOME's environment (AWS_ENDPOINT_URL_STS is the world's STS unless given). */
  env?: NodeJS.ProcessEnv;
}

export interface InProcessRun {
  context: RunContext;
  prompter: ScriptedPrompter;
  secrets: SecretStore;
  /** What the logger wrote (info and warnings), write by write. */
  logs: string[];
}

/** One HOME: its own ~/.aws files, state folder and keyring account; no peer needed. */
export interface Home {
  sandbox: Sandbox;
  env: NodeJS.ProcessEnv;
  /** `awsl <args>`, no terminal; stdin is `input` (empty when not given). */
  run(args: string[], options?: { input?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<RunResult>;
  /** `awsl <args>` on a terminal, answering `steps`. */
  inTerminal(args: string[], steps: TerminalStep[], options?: { timeoutMs?: number; columns?: number; env?: NodeJS.ProcessEnv }): Promise<TerminalResult>;
  writeConfig(text: string): void;
  appendConfig(text: string): void;
  readConfig(): string;
  /** ~/.aws/credentials, '' when there is none. */
  readCredentials(): string;
  /** A profile's section of ~/.aws/credentials; undefined when there is none. */
  credentials(profile: string): Record<string, string> | undefined;
  /** A RunContext over this HOME for an in-process run, answering from `answers`. */
  inProcess(answers?: readonly (string | ScriptedAnswer)[], options?: { interactive?: boolean; secrets?: SecretStore }): InProcessRun;
}

/**
 * A HOME outside any world (configure and import tests, which need no IdP): a fresh sandbox with
 * `env` over its environment, or the test's own sandbox. The test removes it (sandbox.remove()).
 */
export function createHome(env: NodeJS.ProcessEnv = {}, given?: Sandbox): Home {
  const sandbox = given ?? createSandbox(env);
  const homeEnv = given ? { ...given.env, ...env } : sandbox.env;
  return {
    sandbox,
    env: homeEnv,
    run: (args, options = {}) => runAwsl(args, { env: { ...homeEnv, ...options.env }, input: options.input, timeoutMs: options.timeoutMs }),
    inTerminal: (args, steps, options = {}) => runAwslInTerminal(args, { env: { ...homeEnv, ...options.env }, steps, timeoutMs: options.timeoutMs, columns: options.columns }),
    writeConfig: (text) => writeFileSync(sandbox.configFile, text, { mode: 0o600 }),
    appendConfig: (text) => appendFileSync(sandbox.configFile, text),
    readConfig: () => readFileSync(sandbox.configFile, 'utf8'),
    readCredentials: () => (existsSync(sandbox.credentialsFile) ? readFileSync(sandbox.credentialsFile, 'utf8') : ''),
    credentials: (profile) => readSection(sandbox.credentialsFile, profile),
    inProcess(answers = [], { interactive = true, secrets = new MemorySecretStore() } = {}) {
      const prompter = scriptedPrompter(answers, { interactive });
      const logs: string[] = [];
      const logger = createLogger('normal', (text) => { logs.push(text); });
      return { context: createRunContext({ env: homeEnv, logger, prompter, secrets: () => secrets }), prompter, secrets, logs };
    },
  };
}

/** A HOME in a world: it reaches the world's STS, and its profiles are for the world's IdP. */
export interface WorldHome extends Home {
  /** `awsl login configure --profile P` for `username` (the IdP's default user) at the world's IdP, unattended. */
  configure(profile: string, options?: { username?: string; extra?: string[]; env?: NodeJS.ProcessEnv }): Promise<RunResult>;
  /** `awsl login --profile P --password-stdin`, with the password of the profile's user unless one is given. */
  login(profile: string, options?: { extra?: string[]; password?: string; env?: NodeJS.ProcessEnv }): Promise<RunResult>;
  /** The text of a ~/.aws/config section for `profile` at the world's IdP, with `extra` keys. */
  profileSection(profile: string, username?: string, extra?: Record<string, string>): string;
  /** Deletes the saved IdP sessions (cookie jars), as their expiry would. */
  expireIdpSessions(): void;
}

export interface World<Peer> {
  idp: WorldIdp<Peer>;
  sts: StsStandIn;
  /** Another STS stand-in (trusting the IdP unless the options say otherwise), stopped with the world. */
  startSts(options?: Partial<StsStandInOptions>): Promise<StsStandIn>;
  /** A peer the test started, stopped with the world (first stopped, first of all). */
  adopt<T extends { stop(): Promise<void> }>(peer: T): T;
  /** A fresh HOME (or one the test made, which it removes); `env` goes over the world's. */
  home(env?: NodeJS.ProcessEnv, sandbox?: Sandbox): WorldHome;
  /** What an STS stand-in issued for a profile's section of ~/.aws/credentials (fails the test when nothing). */
  issuedFor(section: Record<string, string> | undefined): IssuedCredentials;
  /** Successful AssumeRoleWithSAML requests the world's STS stand-in has answered. */
  assumeRoleCount(): number;
  stop(): Promise<void>;
}

/** Starts a world around an IdP peer (started by one of the adapters above), in a before() hook. */
export async function startWorld<Peer>(idp: WorldIdp<Peer>, options: WorldOptions = {}): Promise<World<Peer>> {
  const stsStandIns: StsStandIn[] = [];
  const adopted: { stop(): Promise<void> }[] = [];
  const sandboxes: Sandbox[] = [];
  const startSts = async (stsOptions: Partial<StsStandInOptions> = {}) => {
    const standIn = await startStsStandIn({ ...options.sts, ...stsOptions, trustedProviders: stsOptions.trustedProviders ?? { ...idp.trustedProviders, ...options.sts?.trustedProviders } });
    stsStandIns.push(standIn);
    return standIn;
  };
  const sts = await startSts();

  const home = (extraEnv: NodeJS.ProcessEnv = {}, given?: Sandbox): WorldHome => {
    const base = createHome({ AWS_ENDPOINT_URL_STS: sts.url, ...idp.env, ...options.env, ...extraEnv }, given);
    if (!given) sandboxes.push(base.sandbox);
    const users = new Map<string, string>();
    return {
      ...base,
      configure(profile, { username = idp.defaultUser, extra = [], env } = {}) {
        users.set(profile, username);
        return base.run(['login', 'configure', '--profile', profile, ...idp.configureArgs(username), ...extra, '--no-prompt'], { env });
      },
      login(profile, { extra = [], password, env } = {}) {
        const username = users.get(profile);
        if (password === undefined && username === undefined) throw new Error(`Profile ${profile} was not configured through this HOME`);
        return base.run(['login', '--profile', profile, '--password-stdin', ...extra], { input: `${password ?? idp.password(username!)}\n`, env });
      },
      profileSection(profile, username = idp.defaultUser, extra = {}) {
        users.set(profile, username);
        const keys = { ...idp.settings(username), ...extra };
        return `${profile === 'default' ? '[default]' : `[profile ${profile}]`}\n${Object.entries(keys).map(([key, value]) => `${key} = ${value}\n`).join('')}`;
      },
      expireIdpSessions() {
        const folder = join(base.sandbox.stateDirectory, 'cookies');
        const jars = existsSync(folder) ? readdirSync(folder) : [];
        expect(jars, 'saved IdP sessions').to.not.have.length(0);
        for (const jar of jars) rmSync(join(folder, jar));
      },
    };
  };

  return {
    idp, sts, startSts, home,
    adopt(peer) {
      adopted.push(peer);
      return peer;
    },
    issuedFor(section) {
      const issued = stsStandIns.map((standIn) => standIn.issued.get(section?.aws_access_key_id ?? '')).find(Boolean);
      expect(issued, `credentials issued by an STS stand-in for ${JSON.stringify(section)}`).to.not.equal(undefined);
      return issued!;
    },
    assumeRoleCount: () => sts.requests.filter((request) => request.action === 'AssumeRoleWithSAML' && request.status === 200).length,
    async stop() {
      for (const peer of adopted) await peer.stop();
      for (const standIn of stsStandIns) await standIn.stop();
      await idp.stop();
      for (const sandbox of sandboxes) sandbox.remove();
    },
  };
}

/** A section of an INI file as key → value; undefined when the file or the section is missing. */
export function readSection(file: string, profile: string): Record<string, string> | undefined {
  if (!existsSync(file)) return undefined;
  let inside = false;
  let section: Record<string, string> | undefined;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const header = /^\s*\[([^\]]+)\]/.exec(line);
    if (header) {
      inside = header[1]?.trim() === profile;
      if (inside) section ??= {};
      continue;
    }
    const entry = /^\s*([\w.-]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (inside && section && entry?.[1] !== undefined) section[entry[1]] = entry[2] ?? '';
  }
  return section;
}

/** A run that must have succeeded: exit 0, or the test fails showing stderr. */
export function expectSuccess(result: RunResult): RunResult {
  expect(result.code, result.stderr).to.equal(0);
  return result;
}

/** AssumeRoleWithSAML requests an STS stand-in received after the first `from` requests. */
export function assumeRoleRequests(sts: StsStandIn, from: number): StsStandIn['requests'] {
  return sts.requests.slice(from).filter((request) => request.action === 'AssumeRoleWithSAML');
}
