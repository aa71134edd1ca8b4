/**
 * The ECP login, logout and keyring CLI tests' use of the world builder (test/support/world.ts):
 * the real SimpleSAMLphp ECP IdP, an STS stand-in trusting it for every test user's accounts, and
 * machines, a HOME each, where profiles for one or several IdP users live side by side.
 */
import { awsCli, type AwsCliResult } from '../peers/aws-cli.js';
import { SIMPLESAMLPHP_USERS, type SimpleSamlPhp } from '../peers/simplesamlphp/index.js';
import type { RunResult } from '../support/cli.js';
import { expectSuccess, simpleSamlPhp, startWorld, type World, type WorldHome } from '../support/world.js';

export { assumeRoleRequests } from '../support/world.js';

export const USERS = SIMPLESAMLPHP_USERS;
export type UserName = keyof typeof USERS;
export const ALICE_ADMIN = USERS.alice.roles[0]!.roleArn;
export const ALICE_READ_ONLY = USERS.alice.roles[1]!.roleArn;
export const BOB_DEVELOPER = USERS.bob.roles[0]!.roleArn;
export const GUS_GOV_ADMIN = USERS.gus.roles[0]!.roleArn;

/** A HOME whose profiles are each for one IdP user. */
export interface Machine extends Omit<WorldHome, 'configure' | 'login'> {
  /** `awsl login configure --profile P` for `username` at the world's IdP, unattended; must succeed. */
  configure(profile: string, username: UserName, extra?: string[]): Promise<void>;
  /** `awsl login --profile P --password-stdin`, with the profile's user's password unless one is given. */
  login(profile: string, extra?: string[], password?: string): Promise<RunResult>;
  /** /usr/bin/aws with this machine's AWS files. */
  aws(args: string[]): Promise<AwsCliResult>;
}

export interface EcpWorld extends Pick<World<SimpleSamlPhp>, 'sts' | 'startSts' | 'issuedFor' | 'stop'> {
  idp: SimpleSamlPhp;
  /** provider ARN → the IdP's certificate, for every test user's accounts. */
  trustedProviders: Record<string, string>;
  /** A fresh HOME; `env` goes over the sandbox's (AWS_ENDPOINT_URL_STS is the world's STS unless given). */
  machine(env?: NodeJS.ProcessEnv): Machine;
}

/** Starts the world in a before() hook; skips (or fails in CI) without SimpleSAMLphp. */
export async function startEcpWorld(context: Mocha.Context): Promise<EcpWorld> {
  const world = await startWorld(await simpleSamlPhp(context));
  return {
    idp: world.idp.peer, trustedProviders: world.idp.trustedProviders, sts: world.sts, startSts: world.startSts, issuedFor: world.issuedFor, stop: world.stop,
    machine(env) {
      const home = world.home(env);
      return {
        ...home,
        async configure(profile, username, extra = []) {
          expectSuccess(await home.configure(profile, { username, extra }));
        },
        login: (profile, extra = [], password) => home.login(profile, { extra, password }),
        aws: (args) => awsCli(args, { AWS_CONFIG_FILE: home.sandbox.configFile, AWS_SHARED_CREDENTIALS_FILE: home.sandbox.credentialsFile }),
      };
    },
  };
}
