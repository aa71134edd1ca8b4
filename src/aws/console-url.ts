/**
 * The AWS console federation sign-in, as pure functions: the partition's hosts, the console
 * destination for a region and a service or path, the getSigninToken request and the login URL.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_enable-console-custom-url.html
 */
import { InvalidInputError } from '../errors.js';
import type { Partition } from '../saml/response.js';
import { partitionOfRegionName } from './arn.js';

export interface PartitionHosts {
  /** Sign-in host: its /federation endpoint issues sign-in tokens and redeems them. */
  signin: string;
  /** Console host. */
  console: string;
}

const HOSTS: Record<Partition, PartitionHosts> = {
  aws: { signin: 'signin.aws.amazon.com', console: 'console.aws.amazon.com' },
  'aws-us-gov': { signin: 'signin.amazonaws-us-gov.com', console: 'console.amazonaws-us-gov.com' },
  'aws-cn': { signin: 'signin.amazonaws.cn', console: 'console.amazonaws.cn' },
};

export function partitionHosts(partition: Partition): PartitionHosts {
  return HOSTS[partition];
}

/** https://signin.aws.amazon.com/federation and its equivalents. */
export function federationEndpoint(partition: Partition): string {
  return `https://${HOSTS[partition].signin}/federation`;
}

/** The issuer awsl names in the login URL; AWS shows it when the console session ends. */
export const ISSUER = 'awsl';

export const MIN_CONSOLE_SESSION_SECONDS = 900;
export const MAX_CONSOLE_SESSION_SECONDS = 43_200;

const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const SERVICE = /^[a-z0-9][a-z0-9-]{0,62}$/;

export interface DestinationRequest {
  partition: Partition;
  /** Opens the console in this region. */
  region?: string;
  /** A console service, e.g. `s3`, `ec2`, `cloudwatch`: opens /SERVICE/home. */
  service?: string;
  /** A console path, e.g. `/ec2/home#Instances` (alternative to service). */
  path?: string;
}

export function normaliseRegion(value: string): string {
  const region = value.trim().toLowerCase();
  if (REGION.test(region)) return region;
  throw new InvalidInputError(`"${value.trim()}" is not an AWS region name.`, 'Give a region such as us-east-1, eu-west-2, us-gov-west-1 or cn-north-1.');
}

/**
 * The console URL to land on. In the aws partition a region gets its regional console host
 * (https://REGION.console.aws.amazon.com/); in every partition the region is also the
 * `region` query parameter, which is what the console itself reads.
 */
export function consoleDestination(request: DestinationRequest): string {
  const { partition } = request;
  if (request.service !== undefined && request.path !== undefined) {
    throw new InvalidInputError('--service and --path cannot be used together.', 'Give one: --service s3, or --path /s3/buckets.');
  }
  let path = '/';
  if (request.service !== undefined) {
    const service = request.service.trim().toLowerCase();
    if (!SERVICE.test(service)) {
      throw new InvalidInputError(`"${request.service}" is not a console service name.`, 'Give the name as it appears in console URLs, such as s3, ec2, iam or cloudwatch, or use --path.');
    }
    path = `/${service}/home`;
  } else if (request.path !== undefined) {
    path = request.path.trim();
    if (!path.startsWith('/') || path.startsWith('//') || /[\s\\]/.test(path)) {
      throw new InvalidInputError(`"${request.path}" is not a console path.`, 'Give a path that starts with a single /, such as /ec2/home#Instances.');
    }
  }
  const region = request.region === undefined ? undefined : normaliseRegion(request.region);
  if (region !== undefined && partitionOfRegionName(region) !== partition) {
    throw new InvalidInputError(`Region ${region} is not in the ${partition} partition of these credentials.`,
      `Give a region of the ${partition} partition, or log in with a role of the region's partition.`);
  }
  const host = region !== undefined && partition === 'aws' ? `${region}.${HOSTS.aws.console}` : HOSTS[partition].console;
  const url = new URL(path, `https://${host}`);
  // Appended by hand: rewriting searchParams would re-encode the rest of the user's query.
  if (region !== undefined && !url.searchParams.has('region')) url.search = url.search ? `${url.search}&region=${region}` : `?region=${region}`;
  return url.toString();
}

/** The three keys AWS expects in the Session parameter, in its documented order. */
export interface FederationSession {
  sessionId: string;
  sessionKey: string;
  sessionToken: string;
}

export function sessionJson(credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string }): string {
  const session: FederationSession = { sessionId: credentials.accessKeyId, sessionKey: credentials.secretAccessKey, sessionToken: credentials.sessionToken };
  return JSON.stringify(session);
}

export function normaliseConsoleSessionDuration(value: number): number {
  if (Number.isInteger(value) && value >= MIN_CONSOLE_SESSION_SECONDS && value <= MAX_CONSOLE_SESSION_SECONDS) return value;
  throw new InvalidInputError(`Console session duration ${value} is not accepted.`,
    `Give a whole number of seconds from ${MIN_CONSOLE_SESSION_SECONDS} (15 minutes) to ${MAX_CONSOLE_SESSION_SECONDS} (12 hours).`);
}

/** GET this to have AWS exchange the credentials for a sign-in token. It carries the secret key. */
export function signinTokenRequestUrl(endpoint: string, credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string }, sessionDurationSeconds?: number): string {
  const url = new URL(endpoint);
  url.searchParams.set('Action', 'getSigninToken');
  if (sessionDurationSeconds !== undefined) url.searchParams.set('SessionDuration', String(normaliseConsoleSessionDuration(sessionDurationSeconds)));
  url.searchParams.set('Session', sessionJson(credentials));
  return url.toString();
}

/** The URL that signs the browser in and lands on `destination`. It carries the sign-in token: a secret. */
export function loginUrl(endpoint: string, destination: string, signinToken: string): string {
  const url = new URL(endpoint);
  url.searchParams.set('Action', 'login');
  url.searchParams.set('Issuer', ISSUER);
  url.searchParams.set('Destination', destination);
  url.searchParams.set('SigninToken', signinToken);
  return url.toString();
}
