/**
 * The Duo and IdP-error CLI tests' use of the world builder (test/support/world.ts): the
 * Shibboleth-style IdP with Duo, the STS stand-in trusting it for both of its accounts, and a HOME
 * per test (a saved IdP session would otherwise skip the password and Duo).
 */
import { randomInt } from 'node:crypto';
import { expect } from 'chai';
import type { ShibbolethDuoIdp, ShibbolethDuoOptions } from '../peers/shibboleth-duo/index.js';
import type { StsStandIn } from '../peers/sts/index.js';
import type { RunResult, Sandbox, TerminalResult, TerminalStep } from '../support/cli.js';
import { DUO_IDP_USER, expectSuccess, shibbolethDuo, startWorld } from '../support/world.js';

export const PROFILE = 'duo';
export const DUO_USER = DUO_IDP_USER.username;
export const DUO_PASSWORD = DUO_IDP_USER.password;
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
  const world = await startWorld(await shibbolethDuo(options));
  const idp = world.idp.peer;
  const { sts } = world;

  const user = async (userOptions: UserOptions = {}): Promise<AwslUser> => {
    const home = world.home(userOptions.env);
    const run = (args: string[], input?: string) => home.run([...args, '--profile', PROFILE], { input });
    expectSuccess(await run([
      'login', 'configure', '--provider', 'ecp', '--ecp-endpoint-url', userOptions.endpointUrl ?? idp.url,
      '--username', userOptions.username ?? DUO_USER, '--role-arn', ADMIN_ROLE,
      ...(userOptions.factor === undefined ? [] : ['--duo-factor', userOptions.factor]),
      ...(userOptions.configure ?? []), '--no-prompt',
    ]));
    return {
      sandbox: home.sandbox,
      run,
      login: (args = [], password = DUO_PASSWORD) => run(['login', '--password-stdin', ...args], `${password}\n`),
      loginInTerminal: (args, steps, timeoutMs, columns) => home.inTerminal(['login', ...args, '--profile', PROFILE], steps, { timeoutMs, columns }),
      credentials: () => home.credentials(PROFILE),
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
    stop: world.stop,
  };
}

/** The stdout of a successful login: its two result lines and nothing else. */
export function expectOnlyResultLines(stdout: string): void {
  const lines = stdout.trimEnd().split('\n');
  expect(lines, stdout).to.have.length(2);
  expect(lines[0]).to.match(/^Logged in as Admin in account 444444444444/);
  expect(lines[1]).to.match(/^Credentials for profile duo expire at /);
}
