/**
 * STS AssumeRoleWithSAML through the AWS SDK, unsigned. The endpoint is resolved the SDK's own way
 * (AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, the profile's endpoint_url or services section).
 */
import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { NetworkError, StsError } from '../errors.js';
import type { AwsRole } from '../saml/response.js';

export interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
  /** arn:…:sts::ACCOUNT:assumed-role/ROLE/SESSION */
  assumedRoleArn: string | undefined;
}

export interface AssumeRoleWithSamlRequest {
  role: AwsRole;
  samlResponse: string;
  durationSeconds: number | undefined;
  region: string;
  /** The AWS profile, so the SDK reads its endpoint settings. */
  profile: string;
  signal?: AbortSignal;
}

const DEFAULT_REGION: Record<AwsRole['partition'], string> = { aws: 'us-east-1', 'aws-cn': 'cn-north-1', 'aws-us-gov': 'us-gov-west-1' };

export function defaultRegion(partition: AwsRole['partition']): string {
  return DEFAULT_REGION[partition];
}

export async function assumeRoleWithSaml(request: AssumeRoleWithSamlRequest): Promise<TemporaryCredentials> {
  const { STSClient, AssumeRoleWithSAMLCommand } = await import('@aws-sdk/client-sts');
  const caBundle = process.env.AWS_CA_BUNDLE;
  // awsl pins an SDK release that supports Node 20; its upgrade nag is not the user's business.
  const nag = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';
  const previous = process.env[nag];
  process.env[nag] = 'true';
  const client = new STSClient({
    region: request.region,
    profile: request.profile,
    maxAttempts: 2,
    ...(caBundle ? { requestHandler: { httpsAgent: new Agent({ ca: readFileSync(caBundle, 'utf8') }) } } : {}),
  });
  if (previous === undefined) delete process.env[nag];
  else process.env[nag] = previous;
  try {
    const reply = await client.send(new AssumeRoleWithSAMLCommand({
      RoleArn: request.role.roleArn,
      PrincipalArn: request.role.principalArn,
      SAMLAssertion: request.samlResponse,
      DurationSeconds: request.durationSeconds,
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
      assumedRoleArn: reply.AssumedRoleUser?.Arn,
    };
  } catch (error) {
    throw toStsError(error);
  } finally {
    client.destroy();
  }
}

const HINTS: Record<string, string> = {
  InvalidIdentityToken: 'AWS does not trust this assertion: check that the SAML provider in IAM has your IdP\'s current metadata.',
  AccessDenied: 'The role\'s trust policy does not allow this SAML provider or this user; ask your AWS administrator.',
  ExpiredToken: 'The assertion expired before it reached AWS: check this machine\'s clock, then log in again.',
  ValidationError: 'Lower the duration: awsl login --duration SECONDS, or awsl login configure --duration SECONDS.',
  Throttling: 'AWS is throttling requests: wait a minute and log in again.',
};

export function isMaxSessionDurationError(error: unknown): boolean {
  return error instanceof StsError && error.code === 'ValidationError' && /DurationSeconds exceeds the MaxSessionDuration/i.test(error.message);
}

function toStsError(error: unknown): Error {
  if (error instanceof StsError || (error instanceof Error && error.name === 'AbortError')) return error as Error;
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
