/**
 * STS AssumeRoleWithSAML through the AWS SDK, unsigned. The endpoint is resolved the SDK's own way
 * (AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, the profile's endpoint_url or services section).
 */
import { AwslError, NetworkError, StsError } from '../errors.js';
import { createHttpClient } from '../http.js';
import { loadAwsFiles } from './profiles.js';
import type { AwsRole } from '../saml/response.js';
import type { AwsCredentials } from './credential-store.js';
import { sdkRequestHandler } from './sts-http.js';

/** STS answers in well under a second; a read that takes longer than this will not end well. */
export const STS_READ_TIMEOUT_MS = 30_000;

/** What AssumeRoleWithSAML gives: the credentials, and the SourceIdentity STS took from the assertion. */
export type AssumedRoleCredentials = AwsCredentials & { sourceIdentity?: string };

export interface AssumeRoleWithSamlRequest {
  role: AwsRole;
  samlResponse: string;
  durationSeconds: number | undefined;
  /** Session policies that narrow the role: inline JSON and managed policy ARNs. */
  policy?: string;
  policyArns?: readonly string[];
  region: string;
  /** The AWS profile, so the SDK reads its endpoint settings. */
  profile: string;
  signal?: AbortSignal;
}

const DEFAULT_REGION: Record<AwsRole['partition'], string> = { aws: 'us-east-1', 'aws-cn': 'cn-north-1', 'aws-us-gov': 'us-gov-west-1' };

export function defaultRegion(partition: AwsRole['partition']): string {
  return DEFAULT_REGION[partition];
}

export async function assumeRoleWithSaml(request: AssumeRoleWithSamlRequest): Promise<AssumedRoleCredentials> {
  const { STSClient, AssumeRoleWithSAMLCommand } = await import('@aws-sdk/client-sts');
  const endpoint = await configuredStsEndpoint(request.profile);
  // awsl pins an SDK release that supports Node 20; its upgrade nag is not the user's business.
  const nag = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';
  const previous = process.env[nag];
  process.env[nag] = 'true';
  const client = new STSClient({
    region: request.region,
    profile: request.profile,
    ...(endpoint ? { endpoint } : {}),
    maxAttempts: 2,
    // awsl's HTTP client, not the SDK's: proxies, AWS_CA_BUNDLE, timeouts and a size limit (see sts-http.ts).
    requestHandler: sdkRequestHandler(createHttpClient({ caBundlePath: process.env.AWS_CA_BUNDLE, readTimeoutMs: STS_READ_TIMEOUT_MS })),
  });
  if (previous === undefined) Reflect.deleteProperty(process.env, nag);
  else process.env[nag] = previous;
  try {
    const reply = await client.send(new AssumeRoleWithSAMLCommand({
      RoleArn: request.role.roleArn,
      PrincipalArn: request.role.principalArn,
      SAMLAssertion: request.samlResponse,
      DurationSeconds: request.durationSeconds,
      Policy: request.policy,
      PolicyArns: request.policyArns?.length ? request.policyArns.map((arn) => ({ arn })) : undefined,
    }), { abortSignal: request.signal });
    const credentials = reply.Credentials;
    if (!credentials?.AccessKeyId || !credentials.SecretAccessKey || !credentials.SessionToken || !credentials.Expiration) {
      throw new StsError('IncompleteResponse', 'STS answered without complete credentials.', 'Try again; if it repeats, check the STS endpoint.');
    }
    return {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      sessionToken: credentials.SessionToken,
      expiration: credentials.Expiration,
      roleArn: request.role.roleArn,
      sourceIdentity: reply.SourceIdentity,
    };
  } catch (error) {
    throw toStsError(error);
  } finally {
    client.destroy();
  }
}

/**
 * The login profile's own STS endpoint (its services section, then its endpoint_url). The SDK reads
 * these from the AWS_PROFILE (or default) section only, whatever profile the client is given
 * (@smithy/core getEndpointFromConfig), so awsl passes it explicitly; the environment variables,
 * which the SDK does honour, keep their precedence.
 */
async function configuredStsEndpoint(profile: string, env = process.env): Promise<string | undefined> {
  if (env.AWS_ENDPOINT_URL_STS || env.AWS_ENDPOINT_URL) return undefined;
  const { config } = await loadAwsFiles(env);
  const section = config[profile] ?? {};
  if ((env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? section.ignore_configured_endpoint_urls)?.trim().toLowerCase() === 'true') return undefined;
  const services = section.services ? config[`services.${section.services}`] : undefined;
  return services?.['sts.endpoint_url'] || section.endpoint_url || undefined;
}

const HINTS: Record<string, string> = {
  InvalidIdentityToken: 'AWS does not trust this assertion: check that the SAML provider in IAM has your IdP\'s current metadata.',
  AccessDenied: 'The role\'s trust policy does not allow this SAML provider or this user; ask your AWS administrator.',
  ExpiredToken: 'The assertion expired before it reached AWS: check this machine\'s clock, then log in again.',
  ValidationError: 'Lower the duration: awsl login --duration SECONDS, or awsl login configure --duration SECONDS.',
  MalformedPolicyDocument: 'Fix the session policy (--policy-file, awsl_policy_file): STS could not read it.',
  PackedPolicyTooLarge: 'The session policies and tags are too large once packed: shorten the policy, name fewer policy ARNs, or ask for fewer session tags.',
  Throttling: 'AWS is throttling requests: wait a minute and log in again.',
};

export function isMaxSessionDurationError(error: unknown): boolean {
  return error instanceof StsError && error.code === 'ValidationError' && /DurationSeconds exceeds the MaxSessionDuration/i.test(error.message);
}

function toStsError(error: unknown): Error {
  // awsl's own errors pass through: the HTTP client's NetworkError, Ctrl-C's CancelledError.
  if (error instanceof AwslError || (error instanceof Error && error.name === 'AbortError')) return error as Error;
  const sdkError = error as { name?: string; Code?: string; message?: string; $metadata?: { httpStatusCode?: number }; code?: string };
  if (!sdkError.$metadata?.httpStatusCode) {
    const code = sdkError.code ?? (error as { cause?: { code?: string } }).cause?.code ?? '';
    return new NetworkError(`Cannot reach STS: ${sdkError.message ?? String(error)}${code ? ` (${code})` : ''}.`,
      'Check your network, proxy and any STS endpoint settings (AWS_ENDPOINT_URL_STS, endpoint_url).', { cause: error });
  }
  const code = (sdkError.Code ?? sdkError.name ?? 'Unknown').replace(/Exception$/, '');
  return new StsError(code, `STS refused AssumeRoleWithSAML (${code}): ${sdkError.message ?? 'no message'}`,
    HINTS[code] ?? 'Run with AWSL_LOG=debug for details.', { cause: error });
}
