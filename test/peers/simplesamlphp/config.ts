/** The private SimpleSAMLphp 1.19 configuration of the test IdP, rendered as PHP source files. */
import { AWS_SAML_ATTRIBUTE, SIMPLESAMLPHP_USERS } from './users.js';

export const AWS_SP_ENTITY_ID = 'urn:amazon:webservices';
/** ACS URLs of the three AWS partitions (aws, aws-us-gov, aws-cn). */
export const AWS_ACS_URLS = [
  'https://signin.aws.amazon.com/saml',
  'https://signin.amazonaws-us-gov.com/saml',
  'https://signin.amazonaws.cn/saml',
] as const;

const BINDING_HTTP_POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';
const BINDING_PAOS = 'urn:oasis:names:tc:SAML:2.0:bindings:PAOS';
const NAMEFORMAT_URI = 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri';
const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
const AUTH_SOURCE = 'awsl-users';

type PhpValue = string | number | boolean | null | readonly PhpValue[] | { readonly [key: string]: PhpValue };

/** A PHP literal for value (strings single-quoted, so only \ and ' need escaping). */
function php(value: PhpValue): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `'${value.replace(/[\\']/g, '\\$&')}'`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map((item: PhpValue) => php(item)).join(', ')}]`;
  return `[${Object.entries(value).map(([key, item]) => `${php(key)} => ${php(item)}`).join(', ')}]`;
}

export interface ConfigInput {
  baseUrl: string;
  entityId: string;
  dir: string;
  secret: string;
  /** The AWS SP's ACS URLs; default AWS_ACS_URLS. */
  acsUrls?: readonly string[];
  /** PEM certificate of the AWS SAML provider's key: the IdP encrypts assertions to it (saml20 'assertion.encryption'). */
  encryptionCertificatePem?: string;
}

/** The base64 DER of a PEM certificate, as SimpleSAMLphp's 'X509Certificate' key wants it. */
function certificateData(pem: string): string {
  return pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
}

/** File name (relative to the config dir) → contents. */
export function configFiles({ baseUrl, entityId, dir, secret, acsUrls = AWS_ACS_URLS, encryptionCertificatePem }: ConfigInput): Record<string, string> {
  const config = {
    baseurlpath: `${baseUrl}/`,
    certdir: `${dir}/cert/`,
    loggingdir: `${dir}/log/`,
    datadir: `${dir}/data/`,
    tempdir: `${dir}/tmp/`,
    metadatadir: `${dir}/metadata/`,
    secretsalt: secret,
    'auth.adminpassword': secret,
    'technicalcontact_email': 'na@example.org',
    timezone: 'UTC',
    'admin.checkforupdates': false,
    'enable.saml20-idp': true,
    'module.enable': { core: true, saml: true, exampleauth: true },
    'logging.handler': 'stderr',
    'logging.level': 4, // LOG_WARNING: errors reach PeerProcess.output(), requests do not.
    'store.type': 'phpsession',
    'session.phpsession.cookiename': 'SimpleSAML',
    'session.phpsession.savepath': `${dir}/sessions`,
    'session.authtoken.cookiename': 'SimpleSAMLAuthToken',
    // Plain http on loopback: a Secure cookie would never come back.
    'session.cookie.secure': false,
    'language.cookie.secure': false,
  };

  const users: Record<string, PhpValue> = {};
  for (const user of Object.values(SIMPLESAMLPHP_USERS)) {
    users[`${user.username}:${user.password}`] = { uid: [user.username], ...user.attributes };
  }
  // PHP's mixed array: the source's class at index 0, then "user:password" => attributes.
  const authsources = { [AUTH_SOURCE]: { 0: 'exampleauth:UserPass', ...users } };

  const idp = {
    host: '__DEFAULT__',
    privatekey: 'idp.key',
    certificate: 'idp.crt',
    auth: AUTH_SOURCE,
    // Release only what the SP's metadata lists under 'attributes', like a production IdP.
    authproc: { 50: { class: 'core:AttributeLimit' } },
    'saml20.ecp': true,
    'saml20.sign.response': true,
    'saml20.sign.assertion': true,
    'signature.algorithm': RSA_SHA256,
  };

  const acs = acsUrls.flatMap((location) => [BINDING_HTTP_POST, BINDING_PAOS].map((binding) => ({ Binding: binding, Location: location })));
  const sp = {
    entityid: AWS_SP_ENTITY_ID,
    AssertionConsumerService: acs.map((endpoint, index) => ({ ...endpoint, index })),
    attributes: Object.values(AWS_SAML_ATTRIBUTE),
    'attributes.NameFormat': NAMEFORMAT_URI,
    'saml20.sign.response': true,
    'saml20.sign.assertion': true,
    'signature.algorithm': RSA_SHA256,
    ...(encryptionCertificatePem ? {
      'assertion.encryption': true,
      // SimpleSAMLphp 1.19 signs the Response over a DOM whose prefixes it then re-serialises
      // differently (ds: for dsig: inside EncryptedData): nobody, xmlsec1 included, can verify it.
      // Only the assertion is signed, inside the encryption, as Shibboleth does for AWS.
      'saml20.sign.response': false,
      keys: [{ encryption: true, signing: false, type: 'X509Certificate', X509Certificate: certificateData(encryptionCertificatePem) }],
    } : {}),
  };

  return {
    'config.php': `<?php\n$config = ${php(config)};\n`,
    'authsources.php': `<?php\n$config = ${php(authsources)};\n`,
    'metadata/saml20-idp-hosted.php': `<?php\n$metadata[${php(entityId)}] = ${php(idp)};\n`,
    'metadata/saml20-sp-remote.php': `<?php\n$metadata[${php(AWS_SP_ENTITY_ID)}] = ${php(sp)};\n`,
  };
}
