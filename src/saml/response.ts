/** Reading and checking a SAML Response: status, addressing, validity window, AWS attributes. */
import { signInEndpointPartition } from './signin-endpoints.js';
import { AuthenticationFailedError, IdpResponseError, RoleUnavailableError } from '../errors.js';
import { NS, attribute, childrenNamed, describeElement, onlyChild, parseXml, readable, sentenceStart, type XmlElement } from './xml.js';

export { signInSamlUrl } from './signin-endpoints.js';

export const ROLE_ATTRIBUTE = 'https://aws.amazon.com/SAML/Attributes/Role';
export const ROLE_SESSION_NAME_ATTRIBUTE = 'https://aws.amazon.com/SAML/Attributes/RoleSessionName';
export const SESSION_DURATION_ATTRIBUTE = 'https://aws.amazon.com/SAML/Attributes/SessionDuration';
export const SOURCE_IDENTITY_ATTRIBUTE = 'https://aws.amazon.com/SAML/Attributes/SourceIdentity';
/** Followed by the tag key: each such attribute becomes a session tag. */
export const PRINCIPAL_TAG_ATTRIBUTE_PREFIX = 'https://aws.amazon.com/SAML/Attributes/PrincipalTag:';
export const TRANSITIVE_TAG_KEYS_ATTRIBUTE = 'https://aws.amazon.com/SAML/Attributes/TransitiveTagKeys';
/** STS refuses an assertion redeemed later than this after its IssueInstant ("Token must be redeemed within 5 minutes of issuance"). */
const REDEEM_WITHIN_SECONDS = 300;
const STATUS_SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
/** Clock difference tolerated between this machine and the IdP. */
export const CLOCK_SKEW_SECONDS = 180;

export type Partition = 'aws' | 'aws-cn' | 'aws-us-gov';

export interface AwsRole {
  roleArn: string;
  principalArn: string;
  accountId: string;
  /** The role's name with its path, e.g. `team/Admin`. */
  roleName: string;
  partition: Partition;
}

export interface SamlAssertionInfo {
  roles: AwsRole[];
  roleSessionName: string | undefined;
  sessionDurationSeconds: number | undefined;
  /** The request the Assertion answers (SubjectConfirmationData/@InResponseTo, signed with the Assertion). */
  inResponseTo: string | undefined;
  /** The Response's own InResponseTo, unsigned when only the Assertion is signed. */
  responseInResponseTo: string | undefined;
  destination: string | undefined;
  recipient: string | undefined;
  notBefore: Date | undefined;
  notOnOrAfter: Date | undefined;
  subject: string | undefined;
  /**
   * The assertion is an EncryptedAssertion for AWS: only the Response around it was read (status,
   * InResponseTo, Destination, IssueInstant); roles, session name and duration are unknown, and
   * the validity window is the IssueInstant plus STS's redemption limit.
   */
  encrypted: boolean;
  /** What becomes the session's SourceIdentity. */
  sourceIdentity: string | undefined;
  /** Session tags (PrincipalTag:KEY attributes), key → value, as the IdP wrote them. */
  sessionTags: Record<string, string>;
  transitiveTagKeys: string[];
}

/** An IAM role ARN of any partition: partition, account id, role name with its path. The one copy. */
export const ROLE_ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):role\/(.+)$/;
const PROVIDER_PART = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):saml-provider\/(.+)$/;

/** One Role attribute value: a role ARN and a SAML provider ARN, in either order. */
export function parseRoleValue(value: string): AwsRole {
  const parts = value.split(',').map((part) => part.trim());
  const role = parts.map((part) => ROLE_ARN.exec(part)).find(Boolean);
  const provider = parts.map((part) => PROVIDER_PART.exec(part)).find(Boolean);
  if (parts.length !== 2 || !role || !provider) {
    throw new IdpResponseError(`The IdP sent a Role value awsl cannot read: "${readable(value)}".`,
      'Each value must be "role ARN,SAML provider ARN"; ask your IdP administrator to fix the Role attribute.');
  }
  return { roleArn: role[0], principalArn: provider[0], accountId: role[2]!, roleName: role[3]!, partition: role[1] as Partition };
}

/**
 * Throws the error that fits a non-success status: a rejected password (SimpleSAMLphp's
 * Responder/WRONGUSERPASS, Shibboleth's AuthnFailed) is an AuthenticationFailedError.
 */
export function checkStatus(response: XmlElement): void {
  const status = onlyChild(response, NS.samlp, 'Status', 'The SAML Response');
  const code = status && onlyChild(status, NS.samlp, 'StatusCode', 'The SAML Status');
  const value = code && attribute(code, 'Value');
  if (value === STATUS_SUCCESS) return;
  const subCode = code && childrenNamed(code, NS.samlp, 'StatusCode')[0];
  const subValue = subCode ? attribute(subCode, 'Value') : undefined;
  const message = status ? childrenNamed(status, NS.samlp, 'StatusMessage')[0]?.text.trim() : undefined;
  const detail = readable([value, subValue, message].filter(Boolean).join(' / ') || 'no status', 240);
  if (/WRONGUSERPASS|AuthnFailed|Authentication ?failed|InvalidCredentials/i.test(`${subValue ?? ''} ${message ?? ''}`)) {
    throw new AuthenticationFailedError(`The IdP rejected the username or password (${detail}).`,
      'Check the username, and type the password again.');
  }
  throw new IdpResponseError(`The IdP did not log you in: ${detail}.`, 'Run with AWSL_LOG=debug, or ask your IdP administrator.');
}

export function readAssertion(response: XmlElement): SamlAssertionInfo {
  const encrypted = childrenNamed(response, NS.saml, 'EncryptedAssertion');
  if (encrypted.length > 0) {
    if (encrypted.length > 1 || childrenNamed(response, NS.saml, 'Assertion').length > 0) {
      throw new IdpResponseError('The SAML Response carries an encrypted assertion and another assertion; awsl refuses it.', 'Ask your IdP administrator.');
    }
    return encryptedAssertionInfo(response);
  }
  const assertion = onlyChild(response, NS.saml, 'Assertion', 'The SAML Response');
  if (!assertion) throw new IdpResponseError('The SAML Response carries no Assertion.', 'Ask your IdP administrator.');
  const subject = onlyChild(assertion, NS.saml, 'Subject', 'The Assertion');
  const confirmationData = subject
    ?.children.filter((child) => child.namespace === NS.saml && child.localName === 'SubjectConfirmation')
    .flatMap((confirmation) => childrenNamed(confirmation, NS.saml, 'SubjectConfirmationData'))[0];
  const conditions = onlyChild(assertion, NS.saml, 'Conditions', 'The Assertion');
  const attributes = childrenNamed(assertion, NS.saml, 'AttributeStatement').flatMap((statement) => childrenNamed(statement, NS.saml, 'Attribute'));
  const values = (name: string): string[] | undefined => {
    const matching = attributes.filter((element) => attribute(element, 'Name') === name);
    if (matching.length > 1) throw new IdpResponseError(`The Assertion repeats the attribute ${readable(name)}; awsl refuses it.`);
    return matching[0] && childrenNamed(matching[0], NS.saml, 'AttributeValue').map((value) => value.text.trim());
  };
  const roleValues = values(ROLE_ATTRIBUTE);
  const duration = values(SESSION_DURATION_ATTRIBUTE)?.[0];
  const notOnOrAfter = [confirmationData && attribute(confirmationData, 'NotOnOrAfter'), conditions && attribute(conditions, 'NotOnOrAfter')]
    .filter((value): value is string => Boolean(value)).map(parseTime).sort((a, b) => a.getTime() - b.getTime())[0];
  const notBefore = [confirmationData && attribute(confirmationData, 'NotBefore'), conditions && attribute(conditions, 'NotBefore')]
    .filter((value): value is string => Boolean(value)).map(parseTime).sort((a, b) => b.getTime() - a.getTime())[0];
  const nameId = subject && childrenNamed(subject, NS.saml, 'NameID')[0]?.text.trim();
  const sessionTags: Record<string, string> = {};
  for (const name of attributes.map((element) => attribute(element, 'Name') ?? '').filter((name) => name.startsWith(PRINCIPAL_TAG_ATTRIBUTE_PREFIX))) {
    sessionTags[name.slice(PRINCIPAL_TAG_ATTRIBUTE_PREFIX.length)] = values(name)?.[0] ?? '';
  }
  return {
    roles: (roleValues ?? []).map(parseRoleValue),
    roleSessionName: values(ROLE_SESSION_NAME_ATTRIBUTE)?.[0],
    sessionDurationSeconds: duration && /^\d+$/.test(duration) ? Number(duration) : undefined,
    inResponseTo: confirmationData && attribute(confirmationData, 'InResponseTo'),
    responseInResponseTo: attribute(response, 'InResponseTo'),
    destination: attribute(response, 'Destination'),
    recipient: confirmationData && attribute(confirmationData, 'Recipient'),
    notBefore,
    notOnOrAfter,
    subject: nameId || undefined,
    encrypted: false,
    sourceIdentity: values(SOURCE_IDENTITY_ATTRIBUTE)?.[0],
    sessionTags,
    transitiveTagKeys: values(TRANSITIVE_TAG_KEYS_ATTRIBUTE) ?? [],
  };
}

function encryptedAssertionInfo(response: XmlElement): SamlAssertionInfo {
  const issueInstant = attribute(response, 'IssueInstant');
  if (!issueInstant) throw new IdpResponseError('The SAML Response has no IssueInstant.', 'Ask your IdP administrator.');
  const issued = parseTime(issueInstant);
  return {
    roles: [],
    roleSessionName: undefined,
    sessionDurationSeconds: undefined,
    // The SubjectConfirmationData is inside the encryption, AWS's to check; the Response names the request.
    inResponseTo: attribute(response, 'InResponseTo'),
    responseInResponseTo: attribute(response, 'InResponseTo'),
    destination: attribute(response, 'Destination'),
    recipient: undefined,
    notBefore: issued,
    notOnOrAfter: new Date(issued.getTime() + REDEEM_WITHIN_SECONDS * 1000),
    subject: undefined,
    encrypted: true,
    sourceIdentity: undefined,
    sessionTags: {},
    transitiveTagKeys: [],
  };
}

function parseTime(value: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new IdpResponseError(`The Assertion has an unreadable time "${readable(value, 40)}".`);
  return date;
}

export interface AssertionExpectations {
  /** Our AuthnRequest ID; undefined for IdP-initiated responses (from an IdP's API). */
  inResponseTo: string | undefined;
  /** The ACS awsl asked for: awsl_acs_url, or the partition's global sign-in endpoint. */
  acsUrl: string;
  /**
   * Without awsl_acs_url, any AWS sign-in SAML endpoint of acsUrl's partition is as good as acsUrl
   * (an IdP may be set up with a regional one, and an IdP-initiated Response answers no ACS awsl asked for).
   */
  anySignInEndpoint?: boolean;
  now: Date;
}

/** Checks that the assertion answers our request, is addressed to AWS and is valid now. */
export function checkAssertion(info: SamlAssertionInfo, expected: AssertionExpectations): void {
  const replayHint = 'Something between awsl and the IdP replayed or altered the reply; try again, and report it if it repeats.';
  if (info.responseInResponseTo !== undefined && info.inResponseTo !== undefined && info.responseInResponseTo !== info.inResponseTo) {
    throw new IdpResponseError(`The SAML Response says it answers request ${readable(info.responseInResponseTo, 80)}, but its Assertion answers request ${readable(info.inResponseTo, 80)}.`, replayHint);
  }
  // SAML profiles 4.1.4.2: in reply to a request, the bearer SubjectConfirmationData must name it.
  // It is the one read, because it is signed whenever the Assertion is.
  if (expected.inResponseTo !== undefined) {
    if (info.inResponseTo === undefined) {
      throw new IdpResponseError(`The SAML assertion does not say which request it answers (no InResponseTo in its SubjectConfirmationData); awsl sent request ${expected.inResponseTo}.`, replayHint);
    }
    if (info.inResponseTo !== expected.inResponseTo) {
      throw new IdpResponseError(`The SAML Response answers request ${readable(info.inResponseTo, 80)}, not awsl's request ${expected.inResponseTo}.`, replayHint);
    }
  }
  const partition = signInEndpointPartition(expected.acsUrl);
  const accepted = (value: string): boolean => value === expected.acsUrl
    || (expected.anySignInEndpoint === true && partition !== undefined && signInEndpointPartition(value) === partition);
  for (const [what, value] of [['Destination', info.destination], ['Recipient', info.recipient]] as const) {
    if (value !== undefined && !accepted(value)) {
      throw new IdpResponseError(`The SAML Response is addressed to ${readable(value)} (${what}), not to ${expected.anySignInEndpoint ? `an AWS sign-in SAML endpoint such as ${expected.acsUrl}` : expected.acsUrl}.`,
        expected.anySignInEndpoint
          ? 'Ask your IdP administrator to configure an AWS sign-in SAML endpoint of your partition as the assertion consumer.'
          : 'awsl asks for the awsl_acs_url of the profile: set it to the AWS sign-in endpoint your IdP is configured with (awsl login configure --acs-url URL), or ask your IdP administrator.');
    }
  }
  const skewMs = CLOCK_SKEW_SECONDS * 1000;
  const now = expected.now.getTime();
  if (info.notOnOrAfter && now >= info.notOnOrAfter.getTime() + skewMs) {
    const late = Math.round((now - info.notOnOrAfter.getTime()) / 1000);
    throw new IdpResponseError(`The assertion expired at ${info.notOnOrAfter.toISOString()}; this machine's clock reads ${expected.now.toISOString()}, ${late} s later.`,
      `If this machine's clock is wrong by more than ${CLOCK_SKEW_SECONDS} s, correct it (for example with NTP) and log in again.`);
  }
  if (info.notBefore && now < info.notBefore.getTime() - skewMs) {
    const early = Math.round((info.notBefore.getTime() - now) / 1000);
    throw new IdpResponseError(`The assertion is valid only from ${info.notBefore.toISOString()}; this machine's clock reads ${expected.now.toISOString()}, ${early} s earlier.`,
      `This machine's clock or the IdP's is off by more than ${CLOCK_SKEW_SECONDS} s; correct it and log in again.`);
  }
  if (info.roles.length === 0) {
    throw new RoleUnavailableError('The IdP granted no AWS roles: the assertion has no https://aws.amazon.com/SAML/Attributes/Role values.',
      'Ask your IdP administrator to grant you an AWS role.');
  }
}

/** For IdP-initiated responses (from an IdP's API) that arrive as base64. */
export function parseSamlResponse(samlResponse: string, source: string): XmlElement {
  const xml = Buffer.from(samlResponse, 'base64').toString('utf8');
  const response = parseXml(xml, `The SAML Response from ${source}`);
  if (response.namespace !== NS.samlp || response.localName !== 'Response') {
    throw new IdpResponseError(`${sentenceStart(source)} sent ${describeElement(response)}, not a SAML 2.0 Response.`);
  }
  return response;
}
