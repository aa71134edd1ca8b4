/**
 * The credential_process, exec, env, keep-alive and AWS CLI pass-through tests' use of the world
 * builder (test/support/world.ts): the real SimpleSAMLphp ECP IdP, the STS stand-in trusting it,
 * and a HOME per test with an ecp profile for alice (role Admin in 111111111111).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { expect } from 'chai';
import { SIMPLESAMLPHP_USERS, type SimpleSamlPhp } from '../peers/simplesamlphp/index.js';
import type { StsStandIn, StsStandInOptions } from '../peers/sts/index.js';
import type { RunResult } from '../support/cli.js';
import { expectSuccess, simpleSamlPhp, startWorld, type WorldHome } from '../support/world.js';

export const ALICE = SIMPLESAMLPHP_USERS.alice;
export const ADMIN_ROLE = ALICE.roles[0]!.roleArn;
export const READ_ONLY_ROLE = ALICE.roles[1]!.roleArn;

export interface Home extends Omit<WorldHome, 'configure' | 'login'> {
  /** `awsl login configure --profile P` for alice with role Admin, unattended, plus `extra` flags. */
  configure(profile: string, extra?: string[]): Promise<RunResult>;
  /** `awsl login --profile P --password-stdin`, which must succeed. */
  login(profile: string, extra?: string[]): Promise<RunResult>;
}

export interface CredentialsWorld {
  idp: SimpleSamlPhp;
  sts: StsStandIn;
  home(env?: NodeJS.ProcessEnv): Home;
  /** AssumeRoleWithSAML requests the STS stand-in has answered. */
  assumeRoleCount(): number;
  stop(): Promise<void>;
}

export async function startCredentialsWorld(context: Mocha.Context, stsOptions: Omit<StsStandInOptions, 'trustedProviders'> = {}): Promise<CredentialsWorld> {
  const world = await startWorld(await simpleSamlPhp(context), { sts: stsOptions });
  return {
    idp: world.idp.peer, sts: world.sts, assumeRoleCount: world.assumeRoleCount, stop: world.stop,
    home(env) {
      const home = world.home(env);
      return {
        ...home,
        configure: (profile, extra = []) => home.configure(profile, { username: ALICE.username, extra: ['--role-arn', ADMIN_ROLE, ...extra] }),
        login: async (profile, extra = []) => expectSuccess(await home.login(profile, { extra, password: ALICE.password })),
      };
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
