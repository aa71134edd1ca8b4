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
import type { Logger } from '../ui/logger.js';
import type { WaitIndicator } from '../ui/wait-indicator.js';

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
  /** Shows that STS is slow to answer (on a terminal only). */
  waiting?: WaitIndicator;
  /** The debug log gets the STS request and reply lines, as for the IdP. */
  logger?: Logger;
}

const DEFAULT_REGION: Record<AwsRole['partition'], string> = { aws: 'us-east-1', 'aws-cn': 'cn-north-1', 'aws-us-gov': 'us-gov-west-1' };

export function defaultRegion(partition: AwsRole['partition']): string {
  return DEFAULT_REGION[partition];
}

export async function assumeRoleWithSaml(request: AssumeRoleWithSamlRequest): Promise<AssumedRoleCredentials> {
  const { STSClient, AssumeRoleWithSAMLCommand } = await import('@aws-sdk/client-sts');
  const endpoint = await configuredStsEndpoint(request.profile);
  const source = endpointSource(endpoint);
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
    requestHandler: sdkRequestHandler(createHttpClient({ caBundlePath: process.env.AWS_CA_BUNDLE, readTimeoutMs: STS_READ_TIMEOUT_MS, waiting: request.waiting, logger: request.logger }), source),
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
    throw toStsError(error, source);
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

/** Where the STS endpoint came from, for messages: " (from AWS_ENDPOINT_URL_STS)", or '' for AWS's own. */
function endpointSource(configured: string | undefined, env = process.env): string {
  if (env.AWS_ENDPOINT_URL_STS) return ' (from AWS_ENDPOINT_URL_STS)';
  if (env.AWS_ENDPOINT_URL) return ' (from AWS_ENDPOINT_URL)';
  return configured ? ' (from the profile\'s endpoint settings)' : '';
}

const HINTS: Record<string, string> = {
  InvalidIdentityToken: 'AWS does not trust this assertion: check that the SAML provider in IAM has your IdP\'s current metadata.',
  AccessDenied: 'The role\'s trust policy does not allow this SAML provider or this user; ask your AWS administrator.',
  ExpiredToken: 'The assertion expired before it reached AWS: check this machine\'s clock, then log in again.',
  ValidationError: 'Lower the duration: awsl login --duration SECONDS, or awsl login configure --duration SECONDS.',
  MalformedPolicyDocument: 'Fix the session policy (--policy-file, awsl_policy_file): STS could not read it.',
  PackedPolicyTooLarge: 'The session policies and tags are too large once packed: shorten the policy, name fewer policy ARNs, or ask for fewer session tags.',
  Throttling: 'AWS is throttling requests: wait a minute and log in again.',
  IDPRejectedClaim: 'AWS rejected a claim of the assertion: check that the IdP sends the Role attribute as "role ARN,provider ARN" and a valid RoleSessionName.',
  RegionDisabled: 'STS is not activated in this region: log in with AWS_REGION set to one where it is, or activate it in IAM (Account settings).',
  InvalidParameterValue: 'Check the role ARN and the duration (awsl login --role-arn ARN --duration SECONDS).',
};
/** For a code without a hint of its own. */
const GENERIC_HINT = 'AWS explains each code at https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithSAML.html; run again with --verbose to see the exchange.';

export function isMaxSessionDurationError(error: unknown): boolean {
  return error instanceof StsError && error.code === 'ValidationError' && /DurationSeconds exceeds the MaxSessionDuration/i.test(error.message);
}

function toStsError(error: unknown, source: string): Error {
  // The HTTP client's NetworkError names the host; it must also say that the host is STS's.
  if (error instanceof NetworkError) {
    return new NetworkError(`AWS STS${source}: ${error.message}`,
      source ? `Check the STS endpoint${source.replace(/^ \(from (.*)\)$/, ' set in $1')}, your network and any proxy (HTTPS_PROXY, NO_PROXY).` : error.hint, { cause: error });
  }
  // awsl's other errors pass through (a reply that is not STS's, Ctrl-C's CancelledError).
  if (error instanceof AwslError || (error instanceof Error && error.name === 'AbortError')) return error as Error;
  const sdkError = error as { name?: string; Code?: string; message?: string; $metadata?: { httpStatusCode?: number }; code?: string };
  if (!sdkError.$metadata?.httpStatusCode) {
    const code = sdkError.code ?? (error as { cause?: { code?: string } }).cause?.code ?? '';
    return new NetworkError(`Cannot reach AWS STS${source}: ${sdkError.message ?? String(error)}${code ? ` (${code})` : ''}.`,
      'Check your network, proxy and any STS endpoint settings (AWS_ENDPOINT_URL_STS, endpoint_url).', { cause: error });
  }
  const code = (sdkError.Code ?? sdkError.name ?? 'Unknown').replace(/Exception$/, '');
  return new StsError(code, `STS refused AssumeRoleWithSAML (${code}): ${sdkError.message ?? 'no message'}`,
    HINTS[code] ?? GENERIC_HINT, { cause: error });
}
