/**
 * Shared setup of the console, status and roles CLI tests: the real SimpleSAMLphp ECP IdP, the
 * STS stand-in trusting it for every test user's accounts, the federation stand-in checking
 * sessions against what STS issued, and a throwaway HOME per user (the IdP session lives there).
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { expect } from 'chai';
import { startFederationStandIn, type FederationStandIn } from '../peers/federation.js';
import { available as simpleSamlPhpAvailable, SIMPLESAMLPHP_USERS, startSimpleSamlPhp, type SimpleSamlPhp } from '../peers/simplesamlphp/index.js';
import { startStsStandIn, type StsStandIn } from '../peers/sts/index.js';
import { createSandbox, runAwsl, type RunResult, type Sandbox } from '../support/cli.js';
import { requirePeer } from '../support/peers.js';

export type UserName = keyof typeof SIMPLESAMLPHP_USERS;

export interface SamlUser {
  sandbox: Sandbox;
  username: UserName;
  /** `awsl <args>`, no terminal. */
  run(args: string[], options?: { input?: string; env?: NodeJS.ProcessEnv }): Promise<RunResult>;
  /** `awsl login configure --profile P …` for this user's IdP account. */
  configure(profile: string, extra?: string[]): Promise<void>;
  /** `awsl login --profile P --password-stdin`, which must succeed. */
  login(profile: string, extra?: string[]): Promise<RunResult>;
  /** A profile's section of ~/.aws/credentials. */
  credentials(profile: string): Record<string, string> | undefined;
  /** Rewrites one key of a profile's section of ~/.aws/credentials. */
  setCredential(profile: string, key: string, value: string): void;
  /** Appends text to ~/.aws/config. */
  appendConfig(text: string): void;
}

export interface SamlWorld {
  idp: SimpleSamlPhp;
  sts: StsStandIn;
  federation: FederationStandIn;
  user(username: UserName, env?: NodeJS.ProcessEnv): SamlUser;
  stop(): Promise<void>;
}

/** Starts the world in a before() hook; skips (or fails in CI) without SimpleSAMLphp. */
export async function startSamlWorld(context: Mocha.Context): Promise<SamlWorld> {
  requirePeer(context, simpleSamlPhpAvailable(), 'SimpleSAMLphp (php, simplesamlphp)');
  const idp = await startSimpleSamlPhp();
  const trusted: Record<string, string> = {};
  for (const user of Object.values(SIMPLESAMLPHP_USERS)) for (const role of user.roles) trusted[role.principalArn] = idp.certificatePem;
  const sts = await startStsStandIn({ trustedProviders: trusted });
  const federation = await startFederationStandIn({ issued: sts.issued });
  const sandboxes: Sandbox[] = [];

  const user = (username: UserName, env: NodeJS.ProcessEnv = {}): SamlUser => {
    const sandbox = createSandbox({ AWS_ENDPOINT_URL_STS: sts.url, AWSL_FEDERATION_URL: federation.url, ...env });
    sandboxes.push(sandbox);
    const run = (args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}) =>
      runAwsl(args, { env: { ...sandbox.env, ...options.env }, input: options.input });
    return {
      sandbox,
      username,
      run,
      async configure(profile, extra = []) {
        const result = await run(['login', 'configure', '--profile', profile, '--provider', 'ecp', '--ecp-endpoint-url', idp.url, '--username', username, ...extra, '--no-prompt']);
        expect(result.code, result.stderr).to.equal(0);
      },
      async login(profile, extra = []) {
        const result = await run(['login', '--profile', profile, '--password-stdin', ...extra], { input: `${SIMPLESAMLPHP_USERS[username].password}\n` });
        expect(result.code, result.stderr).to.equal(0);
        return result;
      },
      credentials: (profile) => readSection(sandbox.credentialsFile, profile),
      setCredential(profile, key, value) {
        const text = readFileSync(sandbox.credentialsFile, 'utf8');
        let inside = false;
        const lines = text.split('\n').map((line) => {
          const header = /^\s*\[([^\]]+)\]/.exec(line);
          if (header) inside = header[1]?.trim() === profile;
          return inside && new RegExp(`^\\s*${key}\\s*=`).test(line) ? `${key} = ${value}` : line;
        });
        writeFileSync(sandbox.credentialsFile, lines.join('\n'));
      },
      appendConfig: (text) => appendFileSync(sandbox.configFile, text),
    };
  };

  return {
    idp, sts, federation, user,
    async stop() {
      await federation.stop();
      await sts.stop();
      await idp.stop();
      for (const sandbox of sandboxes) sandbox.remove();
    },
  };
}

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
