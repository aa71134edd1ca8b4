/**
 * The console, status and roles CLI tests' use of the world builder (test/support/world.ts): the
 * real SimpleSAMLphp ECP IdP, the STS stand-in trusting it for every test user's accounts, the
 * federation stand-in checking sessions against what STS issued, and a HOME per user (the IdP
 * session lives there).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { startFederationStandIn, type FederationStandIn } from '../peers/federation.js';
import { SIMPLESAMLPHP_USERS, type SimpleSamlPhp } from '../peers/simplesamlphp/index.js';
import type { StsStandIn } from '../peers/sts/index.js';
import type { RunResult } from '../support/cli.js';
import { expectSuccess, simpleSamlPhp, startWorld, type WorldHome } from '../support/world.js';

export { readSection } from '../support/world.js';

export type UserName = keyof typeof SIMPLESAMLPHP_USERS;

export interface SamlUser extends Omit<WorldHome, 'configure' | 'login'> {
  username: UserName;
  /** `awsl login configure --profile P …` for this user's IdP account; must succeed. */
  configure(profile: string, extra?: string[]): Promise<void>;
  /** `awsl login --profile P --password-stdin`, which must succeed. */
  login(profile: string, extra?: string[]): Promise<RunResult>;
  /** Rewrites one key of a profile's section of ~/.aws/credentials. */
  setCredential(profile: string, key: string, value: string): void;
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
  const idp = await simpleSamlPhp(context);
  const world = await startWorld(idp);
  const federation = world.adopt(await startFederationStandIn({ issued: world.sts.issued }));

  const user = (username: UserName, env: NodeJS.ProcessEnv = {}): SamlUser => {
    const home = world.home({ AWSL_FEDERATION_URL: federation.url, ...env });
    return {
      ...home,
      username,
      async configure(profile, extra = []) {
        expectSuccess(await home.configure(profile, { username, extra }));
      },
      login: async (profile, extra = []) => expectSuccess(await home.login(profile, { extra, password: SIMPLESAMLPHP_USERS[username].password })),
      setCredential(profile, key, value) {
        let inside = false;
        const lines = readFileSync(home.sandbox.credentialsFile, 'utf8').split('\n').map((line) => {
          const header = /^\s*\[([^\]]+)\]/.exec(line);
          if (header) inside = header[1]?.trim() === profile;
          return inside && new RegExp(`^\\s*${key}\\s*=`).test(line) ? `${key} = ${value}` : line;
        });
        writeFileSync(home.sandbox.credentialsFile, lines.join('\n'));
      },
    };
  };

  return { idp: idp.peer, sts: world.sts, federation, user, stop: world.stop };
}
