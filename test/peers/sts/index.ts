/**
 * Stand-in for AWS STS (Query protocol, version 2011-06-15): AssumeRoleWithSAML with the checks
 * AWS makes, and GetCallerIdentity for the credentials it issued (SigV4 verified).
 * Written from the STS API reference; moto does not check signatures, audience or roles.
 *
 * Recipient and Destination: every AWS sign-in SAML endpoint of the role's partition, as the IAM
 * guide "Configure SAML assertions for the authentication response" lists them — global and
 * regional `/saml`, both `/static/saml`, and the regional `/saml/acs/<IdP-ID>` with the SAML
 * provider's own id, which is the only form a provider that requires encryption accepts.
 * Session policies (`Policy`, `PolicyArns.member.N.arn`) are checked as the API reference gives
 * their constraints: Policy 1–2048 characters of valid JSON, at most 10 ARNs of 20–2048.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AWS_AUDIENCE, AWS_SIGNIN_URL, type AwsPartition, BodyTooLargeError, escapeXml, readBody, startLoopbackServer } from '../saml-fixtures.js';
import { readSamlAssertion, StsError, type AssertionEncryption, type SamlClaims } from './assertion.js';
import { parseAuthorization, signatureMatches } from './sigv4.js';

const XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const VERSION = '2011-06-15';

export interface StsStandInOptions {
  /** saml-provider ARN → PEM certificate of that IdP. */
  trustedProviders: Record<string, string>;
  /** saml-provider ARN → its private key and AssertionEncryptionMode; other providers refuse encrypted assertions. */
  assertionEncryption?: Record<string, AssertionEncryption>;
  /** role ARN → MaxSessionDuration in seconds (AWS's default is 3600). */
  maxSessionDuration?: Record<string, number>;
  /** The first N requests, of any action, answer Throttling. */
  throttle?: number;
  /** Tolerance for the assertion's NotBefore/NotOnOrAfter; default 60 s. */
  clockSkewSeconds?: number;
  /** The stand-in's clock, to test expiry without waiting. */
  now?: () => Date;
  /**
   * Credentials expire this long after issue, whatever DurationSeconds asked: short-lived ones let a
   * test watch SDKs refresh (and outlive credentials) in seconds. Checks of the request are unchanged.
   */
  credentialLifetimeSeconds?: number;
}

export interface RecordedRequest {
  action: string | undefined;
  /** Request parameters, SAMLAssertion shortened to its length. */
  params: Record<string, string>;
  /** Whether an Authorization header came with it (AssumeRoleWithSAML must be unsigned). */
  signed: boolean;
  at: Date;
  status: number;
  errorCode?: string;
}

export interface IssuedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
  arn: string;
  assumedRoleId: string;
  account: string;
  sourceIdentity?: string;
  /** The session tags, from the assertion's PrincipalTag attributes. */
  sessionTags: Record<string, string>;
  /** The session policies it was issued under. */
  policy?: string;
  policyArns: string[];
}

export interface StsStandIn {
  url: string;
  requests: RecordedRequest[];
  /** Every credential set issued, by AccessKeyId. */
  issued: Map<string, IssuedCredentials>;
  stop(): Promise<void>;
}

const ROLE_ARN = /^arn:(aws|aws-us-gov|aws-cn):iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
const PROVIDER_ARN = /^arn:(aws|aws-us-gov|aws-cn):iam::(\d{12}):saml-provider\/([\w.-]{1,128})$/;
const MAX_DURATION_MESSAGE = 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.';
const POLICY_ARN = /^arn:(aws|aws-us-gov|aws-cn):iam::(\d{12}|aws):policy\/.+$/;
const SOURCE_IDENTITY = /^[\w+=,.@-]{2,64}$/;

const SIGN_IN_HOST: Record<AwsPartition, string> = { aws: 'signin.aws.amazon.com', 'aws-us-gov': 'signin.amazonaws-us-gov.com', 'aws-cn': 'signin.amazonaws.cn' };
const REGION: Record<AwsPartition, RegExp> = { aws: /^(?!cn-|us-gov-)[a-z]{2}-[a-z]+-\d+$/, 'aws-us-gov': /^us-gov-[a-z]+-\d+$/, 'aws-cn': /^cn-[a-z]+-\d+$/ };

/** The unique id IAM shows for a SAML provider (GetSAMLProvider's SAMLProviderUUID), fixed per ARN here. */
export function samlProviderUuid(principalArn: string): string {
  const hex = createHash('sha256').update(principalArn).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Whether `url` is an AWS sign-in SAML endpoint of `partition` for this provider; `uniqueOnly` allows only its `/saml/acs/<IdP-ID>` form. */
function isSignInEndpoint(url: string, partition: AwsPartition, principalArn: string, uniqueOnly: boolean): boolean {
  const host = SIGN_IN_HOST[partition].replace(/\./g, '\\.');
  const match = new RegExp(`^https://(?:([a-z0-9-]+)\\.)?${host}(/saml|/static/saml|/saml/acs/([^/?#]+))$`).exec(url);
  if (!match) return false;
  const [, region, , idpId] = match;
  if (region !== undefined && !REGION[partition].test(region)) return false;
  if (idpId !== undefined) return region !== undefined && idpId === samlProviderUuid(principalArn);
  return !uniqueOnly;
}

/** Policy and PolicyArns.member.N.arn, checked as the API reference constrains them. */
function sessionPolicies(params: URLSearchParams): { policy?: string; policyArns: string[] } {
  const policy = params.get('Policy') ?? undefined;
  if (policy !== undefined) {
    if (policy.length < 1 || policy.length > 2048) throw validation([`Value at 'policy' failed to satisfy constraint: Member must have length less than or equal to 2048`]);
    if (!/^[\t\n\r\u0020-\u00ff]+$/.test(policy)) throw validation([`Value at 'policy' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+`]);
    try {
      JSON.parse(policy);
    } catch {
      throw new StsError('MalformedPolicyDocument', 'The policy is not in the valid JSON format.');
    }
  }
  const policyArns: string[] = [];
  for (let index = 1; params.has(`PolicyArns.member.${index}.arn`); index++) policyArns.push(params.get(`PolicyArns.member.${index}.arn`) ?? '');
  if (policyArns.length > 10) throw validation([`Value at 'policyArns' failed to satisfy constraint: Member must have length less than or equal to 10`]);
  const wrong = policyArns.find((arn) => arn.length < 20 || arn.length > 2048 || !POLICY_ARN.test(arn));
  if (wrong !== undefined) throw new StsError('ValidationError', `${wrong} is invalid`);
  return { policy, policyArns };
}

const validation = (messages: string[]): StsError =>
  new StsError('ValidationError', `${messages.length} validation error${messages.length > 1 ? 's' : ''} detected: ${messages.join('; ')}`);

function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function randomChars(alphabet: string, length: number): string {
  return [...randomBytes(length)].map((b) => alphabet[b % alphabet.length]).join('');
}

/** STS drops the SAML 2.0 name-format prefix and returns any other format as is. */
function subjectType(format: string | undefined): string {
  return (format ?? 'urn:oasis:names:tc:SAML:2.0:nameid-format:unspecified').replace(/^urn:oasis:names:tc:SAML:2\.0:nameid-format:/, '');
}

export async function startStsStandIn(options: StsStandInOptions): Promise<StsStandIn> {
  const requests: RecordedRequest[] = [];
  const issued = new Map<string, IssuedCredentials>();
  const now = options.now ?? (() => new Date());
  const skewMs = (options.clockSkewSeconds ?? 60) * 1000;
  let throttleLeft = options.throttle ?? 0;

  function assumeRoleWithSaml(params: URLSearchParams): string {
    const missing = [['RoleArn', 'roleArn'], ['PrincipalArn', 'principalArn'], ['SAMLAssertion', 'sAMLAssertion']]
      .filter(([param = '']) => !params.get(param))
      .map(([, member]) => `Value null at '${member}' failed to satisfy constraint: Member must not be null`);
    if (missing.length) throw validation(missing);
    const roleArn = params.get('RoleArn') ?? '';
    const principalArn = params.get('PrincipalArn') ?? '';
    const role = ROLE_ARN.exec(roleArn);
    if (!role || !PROVIDER_ARN.test(principalArn)) throw new StsError('ValidationError', 'Request ARN is invalid');
    const [, partition = 'aws', account = '', roleName = ''] = role;
    const durationParam = params.get('DurationSeconds');
    if (durationParam !== null) {
      if (!/^\d+$/.test(durationParam)) throw validation([`Value '${durationParam}' at 'durationSeconds' failed to satisfy constraint: Member must be a number`]);
      const value = Number(durationParam);
      if (value < 900) throw validation([`Value '${value}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900`]);
      if (value > 43200) throw validation([`Value '${value}' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200`]);
    }
    const policies = sessionPolicies(params);
    const cert = options.trustedProviders[principalArn];
    if (!cert) throw new StsError('InvalidIdentityToken', "Specified provider doesn't exist");

    const encryption = options.assertionEncryption?.[principalArn];
    const claims = readSamlAssertion(params.get('SAMLAssertion') ?? '', cert, encryption);
    checkClaims(claims, partition as AwsPartition, principalArn, encryption?.mode === 'Required');
    if (claims.sourceIdentity !== undefined && !SOURCE_IDENTITY.test(claims.sourceIdentity)) {
      throw new StsError('InvalidIdentityToken', `Invalid SourceIdentity in the SAML assertion: ${claims.sourceIdentity}`);
    }
    const sessionName = claims.roleSessionName;
    if (!sessionName) throw new StsError('InvalidIdentityToken', 'The SAML assertion does not contain the RoleSessionName attribute');
    if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) throw new StsError('InvalidIdentityToken', `Invalid RoleSessionName in the SAML assertion: ${sessionName}`);
    if (!claims.roles.some((r) => r.roleArn === roleArn && r.principalArn === principalArn)) {
      throw new StsError('AccessDenied', 'Not authorized to perform sts:AssumeRoleWithSAML', 403);
    }
    const duration = durationParam === null ? 3600 : Number(durationParam);
    // Only the role's maximum bounds DurationSeconds ("If you specify a value higher than this
    // setting, the operation fails"); the SessionDuration attribute is the console session's
    // length and refuses nothing here. AssumeRoleWithSAML API reference, DurationSeconds:
    // https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithSAML.html
    if (claims.sessionDuration !== undefined && !/^\d+$/.test(claims.sessionDuration)) {
      throw new StsError('InvalidIdentityToken', `Invalid SessionDuration in the SAML assertion: ${claims.sessionDuration}`);
    }
    if (duration > (options.maxSessionDuration?.[roleArn] ?? 3600)) throw new StsError('ValidationError', MAX_DURATION_MESSAGE);

    const roleId = `AROA${createHash('sha256').update(roleArn).digest('base64').replace(/[^A-Z2-7]/g, '').padEnd(17, 'Q').slice(0, 17)}`;
    const creds: IssuedCredentials = {
      accessKeyId: `ASIA${randomChars('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}`,
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: `IQoJb3JpZ2luX2Vj${randomBytes(300).toString('base64')}`,
      expiration: new Date(now().getTime() + (options.credentialLifetimeSeconds ?? duration) * 1000),
      arn: `arn:${partition}:sts::${account}:assumed-role/${roleName}/${sessionName}`,
      assumedRoleId: `${roleId}:${sessionName}`,
      account,
      sourceIdentity: claims.sourceIdentity,
      sessionTags: claims.sessionTags,
      ...policies,
    };
    issued.set(creds.accessKeyId, creds);
    const providerName = principalArn.slice(principalArn.indexOf('/') + 1);
    const nameQualifier = createHash('sha1').update(`${claims.issuer}${account}/${providerName}`).digest('base64');
    return `    <Issuer>${escapeXml(claims.issuer)}</Issuer>
    <AssumedRoleUser>
      <Arn>${escapeXml(creds.arn)}</Arn>
      <AssumedRoleId>${escapeXml(creds.assumedRoleId)}</AssumedRoleId>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>${creds.accessKeyId}</AccessKeyId>
      <SecretAccessKey>${creds.secretAccessKey}</SecretAccessKey>
      <SessionToken>${creds.sessionToken}</SessionToken>
      <Expiration>${isoSeconds(creds.expiration)}</Expiration>
    </Credentials>
    <Audience>${escapeXml(claims.recipients[0] ?? '')}</Audience>
    <SubjectType>${escapeXml(subjectType(claims.nameIdFormat))}</SubjectType>
    <NameQualifier>${nameQualifier}</NameQualifier>
    <Subject>${escapeXml(claims.nameId)}</Subject>${claims.sourceIdentity === undefined ? '' : `
    <SourceIdentity>${escapeXml(claims.sourceIdentity)}</SourceIdentity>`}`;
  }

  function checkClaims(claims: SamlClaims, partition: AwsPartition, principalArn: string, uniqueEndpointOnly: boolean): void {
    const t = now().getTime();
    if (claims.notOnOrAfter.some((d) => t >= d.getTime() + skewMs)) {
      throw new StsError('ExpiredTokenException', 'Token must be redeemed within 5 minutes of issuance');
    }
    if (claims.notBefore.some((d) => t + skewMs < d.getTime())) throw new StsError('InvalidIdentityToken', 'The SAML assertion is not yet valid (NotBefore is in the future)');
    if (!claims.audiences.includes(AWS_AUDIENCE)) throw new StsError('InvalidIdentityToken', `SAML assertion audience must include ${AWS_AUDIENCE}`);
    const signin = uniqueEndpointOnly ? `https://<region>.${SIGN_IN_HOST[partition]}/saml/acs/${samlProviderUuid(principalArn)}` : `such as ${AWS_SIGNIN_URL[partition]}`;
    const accepted = (url: string): boolean => isSignInEndpoint(url, partition, principalArn, uniqueEndpointOnly);
    if (!claims.recipients.every(accepted)) {
      throw new StsError('InvalidIdentityToken', `SAML assertion Recipient ${claims.recipients.join(', ')} is not a sign-in URL of partition ${partition} (${signin})`);
    }
    if (claims.destination !== undefined && !accepted(claims.destination)) {
      throw new StsError('InvalidIdentityToken', `SAML response Destination ${claims.destination} is not a sign-in URL of partition ${partition} (${signin})`);
    }
  }

  function getCallerIdentity(req: IncomingMessage, url: URL, body: Buffer): string {
    const auth = parseAuthorization(req.headers.authorization);
    if (!auth) throw new StsError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403);
    const creds = issued.get(auth.accessKeyId);
    if (!creds || req.headers['x-amz-security-token'] !== creds.sessionToken) {
      throw new StsError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403);
    }
    if (!signatureMatches({ method: req.method ?? 'POST', url, headers: req.headers, body }, auth, creds.secretAccessKey)) {
      throw new StsError('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.', 403);
    }
    if (now() >= creds.expiration) throw new StsError('ExpiredToken', 'The security token included in the request is expired', 403);
    return `    <Arn>${escapeXml(creds.arn)}</Arn>
    <UserId>${escapeXml(creds.assumedRoleId)}</UserId>
    <Account>${creds.account}</Account>`;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const url = new URL(req.url ?? '/', 'http://sts.invalid');
    const record: RecordedRequest = { action: undefined, params: {}, signed: Boolean(req.headers.authorization), at: new Date(), status: 200 };
    requests.push(record);
    const reply = (status: number, xml: string): void => {
      record.status = status;
      res.writeHead(status, { 'Content-Type': 'text/xml', 'x-amzn-RequestId': requestId });
      res.end(xml);
    };
    try {
      let body: Buffer;
      try {
        body = await readBody(req);
      } catch (err) {
        if (err instanceof BodyTooLargeError) throw new StsError('RequestEntityTooLarge', 'Request body too large', 413);
        throw err;
      }
      const params = new URLSearchParams(url.search);
      if (req.method === 'POST' && /^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? '')) {
        for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params.append(k, v);
      }
      for (const [k, v] of params) record.params[k] = k === 'SAMLAssertion' ? `<${v.length} base64 chars>` : v;
      record.action = params.get('Action') ?? undefined;
      if (throttleLeft > 0) {
        throttleLeft -= 1;
        throw new StsError('Throttling', 'Rate exceeded');
      }
      if (url.pathname !== '/') throw new StsError('InvalidAction', `Unknown path ${url.pathname}`, 404);
      if (!record.action) throw new StsError('MissingAction', 'Missing Action');
      if (params.get('Version') !== VERSION) throw new StsError('InvalidAction', `Could not find operation ${record.action} for version ${params.get('Version') ?? 'NO_VERSION_SPECIFIED'}`);
      let result: string;
      if (record.action === 'AssumeRoleWithSAML') result = assumeRoleWithSaml(params);
      else if (record.action === 'GetCallerIdentity') result = getCallerIdentity(req, url, body);
      else throw new StsError('InvalidAction', `Could not find operation ${record.action} for version ${VERSION}`);
      const action = record.action;
      reply(200, `<${action}Response xmlns="${XMLNS}">
  <${action}Result>
${result}
  </${action}Result>
  <ResponseMetadata>
    <RequestId>${requestId}</RequestId>
  </ResponseMetadata>
</${action}Response>
`);
    } catch (err) {
      if (!(err instanceof StsError)) throw err;
      record.errorCode = err.code;
      reply(err.status, `<ErrorResponse xmlns="${XMLNS}">
  <Error>
    <Type>Sender</Type>
    <Code>${err.code}</Code>
    <Message>${escapeXml(err.message)}</Message>
  </Error>
  <RequestId>${requestId}</RequestId>
</ErrorResponse>
`);
    }
  }

  const server = await startLoopbackServer(handle);
  return { url: server.url, requests, issued, stop: server.stop };
}
