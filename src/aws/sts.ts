/**
 * STS AssumeRoleWithSAML through the AWS SDK, unsigned. Everything the SDK would otherwise read
 * from process.env and the AWS files is given to it from the run's environment: the endpoint,
 * resolved in the SDK's documented order (AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, the profile's
 * services section, its endpoint_url), FIPS and dual-stack, the app id.
 */
import { AwslError, NetworkError, StsError } from '../errors.js';
import type { HttpClient } from '../http.js';
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
  /** The AWS profile whose endpoint settings apply. */
  profile: string;
  /** The run's environment: endpoint variables and the AWS files' paths. */
  env: NodeJS.ProcessEnv;
  /** awsl's HTTP client, not the SDK's (see sts-http.ts); its read timeout should be STS_READ_TIMEOUT_MS. */
  http: HttpClient;
  signal?: AbortSignal;
}

const DEFAULT_REGION: Record<AwsRole['partition'], string> = { aws: 'us-east-1', 'aws-cn': 'cn-north-1', 'aws-us-gov': 'us-gov-west-1' };

export function defaultRegion(partition: AwsRole['partition']): string {
  return DEFAULT_REGION[partition];
}

export async function assumeRoleWithSaml(request: AssumeRoleWithSamlRequest): Promise<AssumedRoleCredentials> {
  const { STSClient, AssumeRoleWithSAMLCommand } = await import('@aws-sdk/client-sts');
  const { endpoint, source, section } = await stsEndpoint(request.profile, request.env);
  // awsl pins an SDK release that supports Node 20; its upgrade nag is not the user's business.
  const nag = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';
  const previous = process.env[nag];
  process.env[nag] = 'true';
  const client = new STSClient({
    region: request.region,
    ...(endpoint ? { endpoint } : {}),
    // awsl has resolved the endpoint; the SDK would read it again from process.env and AWS_PROFILE's section.
    ignoreConfiguredEndpointUrls: true,
    useFipsEndpoint: flag(request.env.AWS_USE_FIPS_ENDPOINT ?? section.use_fips_endpoint),
    useDualstackEndpoint: flag(request.env.AWS_USE_DUALSTACK_ENDPOINT ?? section.use_dualstack_endpoint),
    userAgentAppId: request.env.AWS_SDK_UA_APP_ID ?? section.sdk_ua_app_id ?? '',
    maxAttempts: 2,
    retryMode: 'standard',
    defaultsMode: 'legacy',
    // AssumeRoleWithSAML is unsigned: no signing preferences to look up.
    authSchemePreference: [],
    requestHandler: sdkRequestHandler(request.http, source),
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

interface StsEndpoint {
  /** undefined: AWS's own endpoint for the region, which the SDK knows. */
  endpoint: string | undefined;
  /** Where it came from, for messages: " (from AWS_ENDPOINT_URL_STS)", or '' for AWS's own. */
  source: string;
  /** The login profile's section of ~/.aws/config. */
  section: Record<string, string | undefined>;
}

/**
 * The STS endpoint in the SDK's documented order. Unlike the SDK, which reads the files' endpoint
 * settings from the AWS_PROFILE (or default) section only, whatever profile the client is given
 * (@smithy/core getEndpointFromConfig), awsl reads them from the login profile's section.
 */
async function stsEndpoint(profile: string, env: NodeJS.ProcessEnv): Promise<StsEndpoint> {
  const { config } = await loadAwsFiles(env);
  const section = config[profile] ?? {};
  if (flag(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? section.ignore_configured_endpoint_urls)) return { endpoint: undefined, source: '', section };
  if (env.AWS_ENDPOINT_URL_STS) return { endpoint: env.AWS_ENDPOINT_URL_STS, source: ' (from AWS_ENDPOINT_URL_STS)', section };
  if (env.AWS_ENDPOINT_URL) return { endpoint: env.AWS_ENDPOINT_URL, source: ' (from AWS_ENDPOINT_URL)', section };
  const services = section.services ? config[`services.${section.services}`] : undefined;
  const configured = services?.['sts.endpoint_url'] || section.endpoint_url || undefined;
  return { endpoint: configured, source: configured ? ' (from the profile\'s endpoint settings)' : '', section };
}

/** A boolean setting as the SDK reads one: "true" in any case. */
function flag(value: string | undefined): boolean {
  return value?.trim().toLowerCase() === 'true';
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
