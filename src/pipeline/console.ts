/**
 * `awsl console`: the profile's current credentials → a sign-in token from AWS federation → the
 * login URL for the console page asked for. The URL is a secret (it opens the console without a
 * password): the caller prints it on stdout or hands it to the browser, and nothing logs it.
 */
import { parseRoleArn, partitionOfRegionName } from '../aws/arn.js';
import type { AwsCredentials } from '../aws/credential-store.js';
import { consoleDestination, federationEndpoint, loginUrl, normaliseConsoleSessionDuration, normaliseRegion } from '../aws/console-url.js';
import { FEDERATION_URL_VARIABLE, requestSigninToken, tokenEndpoint } from '../aws/federation.js';
import { loadProfileSettings } from '../aws/profiles.js';
import { createHttpClient, type HttpClient } from '../http.js';
import type { Partition } from '../saml/response.js';
import type { ProfileSettings } from '../settings.js';
import type { RunContext } from './context.js';
import { ensureCredentials } from './ensure-credentials.js';

/** Fresh credentials for the profile, logging in when needed. */
export type CredentialsSource = (settings: ProfileSettings) => Promise<AwsCredentials>;

export interface ConsoleRequest {
  profile: string;
  region?: string;
  service?: string;
  path?: string;
  /** Console session length; AWS's default (1 hour) when undefined. */
  sessionDurationSeconds?: number;
  /** Defaults to ensureCredentials: the current ones, else a login (saved IdP session first). */
  credentials?: CredentialsSource;
  /** Tests inject one; by default a client with no logger, so the secret URL is never logged. */
  http?: HttpClient;
}

export interface ConsoleOutcome {
  profile: string;
  partition: Partition;
  roleArn: string | null;
  region: string | null;
  /** Where the console opens (no secret in it). */
  destination: string;
  /** The sign-in URL: a secret. */
  url: string;
  /** When the credentials behind the console session expire. */
  credentialsExpiration: Date;
}

/** The region to open: --region ▸ AWS_REGION ▸ AWS_DEFAULT_REGION ▸ the profile's region. One of another partition than the credentials is an error only when given as --region. */
function chooseRegion(context: RunContext, request: ConsoleRequest, settings: ProfileSettings, partition: Partition): string | undefined {
  const { env, logger } = context;
  if (request.region !== undefined) return normaliseRegion(request.region);
  for (const [where, value] of [['AWS_REGION', env.AWS_REGION], ['AWS_DEFAULT_REGION', env.AWS_DEFAULT_REGION], [`the region of profile ${settings.profile}`, settings.region]] as const) {
    if (!value) continue;
    let region: string;
    try {
      region = normaliseRegion(value);
    } catch {
      logger.debug(`Ignoring ${where} = ${value}: not a region name.`);
      continue;
    }
    if (partitionOfRegionName(region) === partition) return region;
    logger.debug(`Ignoring ${where} = ${region}: it is not in the ${partition} partition of the credentials.`);
  }
  return undefined;
}

export async function buildConsoleUrl(context: RunContext, request: ConsoleRequest): Promise<ConsoleOutcome> {
  const { env } = context;
  const settings = await loadProfileSettings(request.profile, env);
  const sessionDurationSeconds = request.sessionDurationSeconds === undefined ? undefined : normaliseConsoleSessionDuration(request.sessionDurationSeconds);
  // Check what the user typed before any login or network request.
  consoleDestination({ partition: 'aws', service: request.service, path: request.path });
  if (request.region !== undefined) normaliseRegion(request.region);

  const credentials = await (request.credentials ?? (async () => (await ensureCredentials(context, { profile: settings.profile })).credentials))(settings);
  const roleArn = credentials.roleArn || settings.roleArn;
  const partition = parseRoleArn(roleArn)?.partition ?? partitionOfRegionName(settings.region);
  const region = chooseRegion(context, request, settings, partition);
  const destination = consoleDestination({ partition, region, service: request.service, path: request.path });

  const http = request.http ?? createHttpClient({ env, caBundlePath: env.AWS_CA_BUNDLE, builtInUrls: !env[FEDERATION_URL_VARIABLE] });
  const token = await requestSigninToken({
    http, endpoint: tokenEndpoint(partition, env), credentials, sessionDurationSeconds, logger: context.logger, signal: context.signal,
  });
  return {
    profile: settings.profile,
    partition,
    roleArn: roleArn || null,
    region: region ?? null,
    destination,
    // The browser redeems the token at the partition's own sign-in host, whatever answered the token request.
    url: loginUrl(federationEndpoint(partition), destination, token),
    credentialsExpiration: credentials.expiration,
  };
}
