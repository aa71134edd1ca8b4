/**
 * A OneLogin login end to end for the hardening tests, through the world builder
 * (test/support/world.ts): the OneLogin API stand-in with one user whose second factor is an
 * authenticator app (OTP), and the STS stand-in trusting the stand-in's signing key for that
 * user's role. The tests bring their own HOME (a sandbox), which may hold other profiles too.
 */
import type { OneLoginStandIn } from '../peers/onelogin/index.js';
import type { StsStandIn } from '../peers/sts/index.js';
import type { RunResult, Sandbox } from '../support/cli.js';
import { expectSuccess, oneLogin, ONELOGIN_USER, startWorld } from '../support/world.js';

export const ONELOGIN = ONELOGIN_USER;

export interface OneLoginWorld {
  api: OneLoginStandIn;
  sts: StsStandIn;
  /** `awsl login configure` of a OneLogin profile in `sandbox` (the client secret from AWSL_ONELOGIN_CLIENT_SECRET); must succeed. */
  configure(sandbox: Sandbox, profile: string, extraEnv?: NodeJS.ProcessEnv, extraArgs?: string[]): Promise<RunResult>;
  /** `awsl login --password-stdin --passcode OTP`, with the user's password unless told another. */
  login(sandbox: Sandbox, profile: string, args?: string[], extraEnv?: NodeJS.ProcessEnv, password?: string): Promise<RunResult>;
  stop(): Promise<void>;
}

export async function startOneLoginWorld(): Promise<OneLoginWorld> {
  const world = await startWorld(await oneLogin());
  return {
    api: world.idp.peer,
    sts: world.sts,
    configure: async (sandbox, profile, extraEnv, extraArgs = []) =>
      expectSuccess(await world.home(extraEnv, sandbox).configure(profile, { extra: ['--role-arn', ONELOGIN.roleArn, ...extraArgs] })),
    login: (sandbox, profile, args = [], extraEnv, password = ONELOGIN.password) =>
      world.home(extraEnv, sandbox).login(profile, { extra: ['--passcode', ONELOGIN.otp, ...args], password }),
    stop: world.stop,
  };
}
