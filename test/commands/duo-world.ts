/**
 * Shared setup of the Duo and IdP-error CLI tests: the Shibboleth-style IdP with Duo, the STS
 * stand-in trusting it for both of its accounts, and a throwaway HOME per test (a saved IdP
 * session would otherwise skip the password and Duo).
 */
import { randomInt } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { expect } from 'chai';
import { startShibbolethDuoIdp, type ShibbolethDuoIdp, type ShibbolethDuoOptions } from '../peers/shibboleth-duo/index.js';
import { startStsStandIn, type StsStandIn } from '../peers/sts/index.js';
import { createSandbox, runAwsl, runAwslInTerminal, type RunResult, type Sandbox, type TerminalResult, type TerminalStep } from '../support/cli.js';

export const PROFILE = 'duo';
export const DUO_USER = 'duo-user';
export const DUO_PASSWORD = 'duo-password';
export const ADMIN_ROLE = 'arn:aws:iam::444444444444:role/Admin';

export interface UserOptions {
  username?: string;
  /** --duo-factor; none configured when undefined. */
  factor?: string;
  endpointUrl?: string;
  /** More `login configure` flags. */
  configure?: string[];
  env?: NodeJS.ProcessEnv;
}

/** One person at one machine: a HOME with profile PROFILE set up for the world's IdP. */
export interface AwslUser {
  sandbox: Sandbox;
  /** `awsl <args> --profile PROFILE`, no terminal. */
  run(args: string[], input?: string): Promise<RunResult>;
  /** `awsl login --password-stdin <args>` with the password on stdin, no terminal. */
  login(args?: string[], password?: string): Promise<RunResult>;
  /** `awsl login <args>` on a terminal. */
  loginInTerminal(args: string[], steps: TerminalStep[], timeoutMs?: number, columns?: number): Promise<TerminalResult>;
  /** The profile's section of ~/.aws/credentials; undefined when there is none. */
  credentials(): Record<string, string> | undefined;
}

export interface DuoWorld {
  idp: ShibbolethDuoIdp;
  sts: StsStandIn;
  user(options?: UserOptions): Promise<AwslUser>;
  /** A new one-use Duo passcode for duo-user (the stand-in's own two are used up quickly). */
  freshPasscode(): string;
  /** The profile holds credentials STS issued for the Admin role. */
  expectLoggedIn(user: AwslUser): void;
  stop(): Promise<void>;
}

export async function startDuoWorld(options: ShibbolethDuoOptions = {}): Promise<DuoWorld> {
  const idp = await startShibbolethDuoIdp(options);
  const sts = await startStsStandIn({
    trustedProviders: {
      [idp.providerArn('444444444444')]: idp.certificatePem,
      [idp.providerArn('555555555555')]: idp.certificatePem,
    },
  });
  const sandboxes: Sandbox[] = [];

  const user = async (userOptions: UserOptions = {}): Promise<AwslUser> => {
    const sandbox = createSandbox({ AWS_ENDPOINT_URL_STS: sts.url, ...userOptions.env });
    sandboxes.push(sandbox);
    const run = (args: string[], input?: string) => runAwsl([...args, '--profile', PROFILE], { env: sandbox.env, input });
    const configured = await run([
      'login', 'configure', '--provider', 'ecp', '--ecp-endpoint-url', userOptions.endpointUrl ?? idp.url,
      '--username', userOptions.username ?? DUO_USER, '--role-arn', ADMIN_ROLE,
      ...(userOptions.factor === undefined ? [] : ['--duo-factor', userOptions.factor]),
      ...(userOptions.configure ?? []), '--no-prompt',
    ]);
    expect(configured.code, configured.stderr).to.equal(0);
    return {
      sandbox,
      run,
      login: (args = [], password = DUO_PASSWORD) => run(['login', '--password-stdin', ...args], `${password}\n`),
      loginInTerminal: (args, steps, timeoutMs, columns) => runAwslInTerminal(['login', ...args, '--profile', PROFILE], { env: sandbox.env, steps, timeoutMs, columns }),
      credentials: () => credentialsSection(sandbox.credentialsFile, PROFILE),
    };
  };

  return {
    idp,
    sts,
    user,
    freshPasscode() {
      const code = String(randomInt(100_000_000, 1_000_000_000));
      idp.users.get(DUO_USER)?.passcodes.push(code);
      return code;
    },
    expectLoggedIn(awslUser) {
      const section = awslUser.credentials();
      expect(section, 'credentials section').to.not.equal(undefined);
      expect(sts.issued.has(section?.aws_access_key_id ?? ''), 'key issued by STS').to.equal(true);
      expect(section?.awsl_role_arn).to.equal(ADMIN_ROLE);
    },
    async stop() {
      await idp.stop();
      await sts.stop();
      for (const sandbox of sandboxes) sandbox.remove();
    },
  };
}

function credentialsSection(file: string, profile: string): Record<string, string> | undefined {
  if (!existsSync(file)) return undefined;
  let current: Record<string, string> | undefined;
  let section: Record<string, string> | undefined;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const header = /^\s*\[([^\]]+)\]/.exec(line);
    if (header) {
      current = header[1]?.trim() === profile ? (section ??= {}) : undefined;
      continue;
    }
    const [, key, value] = /^\s*([\w.-]+)\s*=\s*(.*?)\s*$/.exec(line) ?? [];
    if (current && key !== undefined) current[key] = value ?? '';
  }
  return section;
}

/** The stdout of a successful login: its two result lines and nothing else. */
export function expectOnlyResultLines(stdout: string): void {
  const lines = stdout.trimEnd().split('\n');
  expect(lines, stdout).to.have.length(2);
  expect(lines[0]).to.match(/^Logged in as Admin in account 444444444444/);
  expect(lines[1]).to.match(/^Credentials for profile duo expire at /);
}
