/**
 * A OneLogin login end to end for the hardening tests: the OneLogin API stand-in with one user
 * whose second factor is an authenticator app (OTP), and the STS stand-in trusting the stand-in's
 * signing key for that user's role.
 */
import { expect } from 'chai';
import { DEVICE, startOneLoginStandIn, type OneLoginStandIn } from '../peers/onelogin/index.js';
import { throwawayKeyPair } from '../peers/saml-fixtures.js';
import { startStsStandIn, type StsStandIn } from '../peers/sts/index.js';
import { runAwsl, type RunResult, type Sandbox } from '../support/cli.js';

export const ONELOGIN = {
  username: 'olivia@acme.example',
  password: 'olivia-password-5b1e',
  otp: '493817',
  clientId: 'hardening-client-id',
  clientSecret: 'hardening-client-secret-9c2f',
  roleArn: 'arn:aws:iam::123456789012:role/Developer',
  providerArn: 'arn:aws:iam::123456789012:saml-provider/OneLogin',
} as const;

export interface OneLoginWorld {
  api: OneLoginStandIn;
  sts: StsStandIn;
  /** `awsl login configure` of a OneLogin profile in `sandbox` (the client secret from AWSL_ONELOGIN_CLIENT_SECRET). */
  configure(sandbox: Sandbox, profile: string, extraEnv?: NodeJS.ProcessEnv, extraArgs?: string[]): Promise<RunResult>;
  /** `awsl login --password-stdin --passcode OTP`, with the user's password unless told another. */
  login(sandbox: Sandbox, profile: string, args?: string[], extraEnv?: NodeJS.ProcessEnv, password?: string): Promise<RunResult>;
  stop(): Promise<void>;
}

export async function startOneLoginWorld(): Promise<OneLoginWorld> {
  const api = await startOneLoginStandIn({
    clientId: ONELOGIN.clientId,
    clientSecret: ONELOGIN.clientSecret,
    users: [{ username: ONELOGIN.username, password: ONELOGIN.password, devices: [{ id: 7001, type: DEVICE.googleAuthenticator, code: ONELOGIN.otp }] }],
  });
  // The stand-in signs with the default throwaway key of this process.
  const sts = await startStsStandIn({ trustedProviders: { [ONELOGIN.providerArn]: throwawayKeyPair().cert } });
  const secretEnv = (sandbox: Sandbox, extra: NodeJS.ProcessEnv = {}) => ({ ...sandbox.env, AWSL_ONELOGIN_CLIENT_SECRET: ONELOGIN.clientSecret, AWS_ENDPOINT_URL_STS: sts.url, ...extra });
  return {
    api,
    sts,
    async configure(sandbox, profile, extraEnv, extraArgs = []) {
      const result = await runAwsl(['login', 'configure', '--profile', profile, '--provider', 'onelogin', '--onelogin-subdomain', 'acme', '--onelogin-app-id', '123456',
        '--onelogin-client-id', ONELOGIN.clientId, '--onelogin-api-url', api.url, '--username', ONELOGIN.username, '--role-arn', ONELOGIN.roleArn, ...extraArgs, '--no-prompt'],
      { env: secretEnv(sandbox, extraEnv) });
      expect(result.code, result.stderr).to.equal(0);
      return result;
    },
    login: (sandbox, profile, args = [], extraEnv, password = ONELOGIN.password) => runAwsl(['login', '--profile', profile, '--password-stdin', '--passcode', ONELOGIN.otp, ...args],
      { env: secretEnv(sandbox, extraEnv), input: `${password}\n` }),
    async stop() {
      await api.stop();
      await sts.stop();
    },
  };
}
