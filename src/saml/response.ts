/** Reading and checking a SAML Response: status, addressing, validity window, AWS attributes. */
import { AuthenticationFailedError, IdpResponseError, RoleUnavailableError } from '../errors.js';
import { NS, attribute, childrenNamed, onlyChild, parseXml, type XmlElement } from './xml.js';

export const ROLE_ATTRIBUTE = 'https://aws.amazon.com/SAML/Attributes/Role';
export const ROLE_SESSION_NAME_ATTRIBUTE = 'https://aws.amazon.com/SAML/Attributes/RoleSessionName';
export const SESSION_DURATION_ATTRIBUTE = 'https://aws.amazon.com/SAML/Attributes/SessionDuration';
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
  inResponseTo: string | undefined;
  destination: string | undefined;
  recipient: string | undefined;
  notBefore: Date | undefined;
  notOnOrAfter: Date | undefined;
  subject: string | undefined;
}

const SIGN_IN_HOSTS: Record<Partition, string> = {
  aws: 'https://signin.aws.amazon.com/saml',
  'aws-cn': 'https://signin.amazonaws.cn/saml',
  'aws-us-gov': 'https://signin.amazonaws-us-gov.com/saml',
};

/** The partition's AWS sign-in SAML endpoint: the ACS URL, Destination and Recipient. */
export function signInSamlUrl(partition: Partition): string {
  return SIGN_IN_HOSTS[partition];
}

export function partitionOfRegion(region: string | undefined): Partition {
  if (region?.startsWith('cn-')) return 'aws-cn';
  if (region?.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

const ROLE_PART = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):role\/(.+)$/;
const PROVIDER_PART = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):saml-provider\/(.+)$/;

/** One Role attribute value: a role ARN and a SAML provider ARN, in either order. */
export function parseRoleValue(value: string): AwsRole {
  const parts = value.split(',').map((part) => part.trim());
  const role = parts.map((part) => ROLE_PART.exec(part)).find(Boolean);
  const provider = parts.map((part) => PROVIDER_PART.exec(part)).find(Boolean);
  if (parts.length !== 2 || !role || !provider) {
    throw new IdpResponseError(`The IdP sent a Role value awsl cannot read: "${value}".`,
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
  const detail = [value, subValue, message].filter(Boolean).join(' / ') || 'no status';
  if (/WRONGUSERPASS|AuthnFailed|Authentication ?failed|InvalidCredentials/i.test(`${subValue ?? ''} ${message ?? ''}`)) {
    throw new AuthenticationFailedError(`The IdP rejected the username or password (${detail}).`,
      'Check the username, and type the password again.');
  }
  throw new IdpResponseError(`The IdP did not log you in: ${detail}.`, 'Run with AWSL_LOG=debug, or ask your IdP administrator.');
}

export function readAssertion(response: XmlElement): SamlAssertionInfo {
  if (childrenNamed(response, NS.saml, 'EncryptedAssertion').length > 0) {
    throw new IdpResponseError('The IdP sent an encrypted assertion, which awsl cannot read.',
      'Ask your IdP administrator to release unencrypted assertions to urn:amazon:webservices, as AWS requires.');
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
    if (matching.length > 1) throw new IdpResponseError(`The Assertion repeats the attribute ${name}; awsl refuses it.`);
    return matching[0] && childrenNamed(matching[0], NS.saml, 'AttributeValue').map((value) => value.text.trim());
  };
  const roleValues = values(ROLE_ATTRIBUTE);
  const duration = values(SESSION_DURATION_ATTRIBUTE)?.[0];
  const notOnOrAfter = [confirmationData && attribute(confirmationData, 'NotOnOrAfter'), conditions && attribute(conditions, 'NotOnOrAfter')]
    .filter((value): value is string => Boolean(value)).map(parseTime).sort((a, b) => a.getTime() - b.getTime())[0];
  const notBefore = conditions && attribute(conditions, 'NotBefore');
  const nameId = subject && childrenNamed(subject, NS.saml, 'NameID')[0]?.text.trim();
  return {
    roles: (roleValues ?? []).map(parseRoleValue),
    roleSessionName: values(ROLE_SESSION_NAME_ATTRIBUTE)?.[0],
    sessionDurationSeconds: duration && /^\d+$/.test(duration) ? Number(duration) : undefined,
    inResponseTo: attribute(response, 'InResponseTo'),
    destination: attribute(response, 'Destination'),
    recipient: confirmationData && attribute(confirmationData, 'Recipient'),
    notBefore: notBefore ? parseTime(notBefore) : undefined,
    notOnOrAfter,
    subject: nameId || undefined,
  };
}

function parseTime(value: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new IdpResponseError(`The Assertion has an unreadable time "${value}".`);
  return date;
}

export interface AssertionExpectations {
  /** Our AuthnRequest ID; undefined for IdP-initiated responses (from an IdP's API). */
  inResponseTo: string | undefined;
  acsUrl: string;
  now: Date;
}

/** Checks that the assertion answers our request, is addressed to AWS and is valid now. */
export function checkAssertion(info: SamlAssertionInfo, expected: AssertionExpectations): void {
  if (expected.inResponseTo !== undefined && info.inResponseTo !== expected.inResponseTo) {
    throw new IdpResponseError(`The SAML Response answers request ${info.inResponseTo ?? '(none)'}, not awsl's request ${expected.inResponseTo}.`,
      'Something between awsl and the IdP replayed or altered the reply; try again, and report it if it repeats.');
  }
  for (const [what, value] of [['Destination', info.destination], ['Recipient', info.recipient]] as const) {
    if (value !== undefined && value !== expected.acsUrl) {
      throw new IdpResponseError(`The SAML Response is addressed to ${value} (${what}), not to ${expected.acsUrl}.`,
        'Ask your IdP administrator to configure the AWS sign-in URL of your partition as the assertion consumer.');
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
    throw new IdpResponseError(`${source} sent ${response.qualifiedName}, not a SAML Response.`);
  }
  return response;
}
