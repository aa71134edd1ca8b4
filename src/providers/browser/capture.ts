/**
 * Which requests are AWS's sign-in endpoint, and the SAMLResponse a form POST to it carries.
 * Every form AWS documents: global and regional, /saml, /static/saml and /saml/acs/<IdP-ID>, in
 * each partition.
 */

/** Sign-in hosts of the aws, aws-cn and aws-us-gov partitions, with or without a region label. */
const SIGN_IN_HOST = /^(?:[a-z0-9-]+\.)?signin\.(?:aws\.amazon\.com|amazonaws\.cn|amazonaws-us-gov\.com)$/i;
const SAML_PATH = /^\/(?:saml|static\/saml|saml\/acs\/[A-Za-z0-9_-]+)\/?$/;

/** DevTools Fetch patterns that pause every request to an AWS sign-in host (checked exactly below). */
export const SIGN_IN_URL_PATTERNS = ['signin.aws.amazon.com', 'signin.amazonaws.cn', 'signin.amazonaws-us-gov.com']
  .flatMap((host) => [`*://${host}/*`, `*://*.${host}/*`]);

export function isAwsSignInHost(url: string): boolean {
  try {
    return SIGN_IN_HOST.test(new URL(url).hostname);
  } catch {
    return false;
  }
}

/** True for a URL that AWS accepts SAML assertions at (the ACS). */
export function isAwsSamlEndpoint(url: string): boolean {
  if (!isAwsSignInHost(url)) return false;
  const parsed = new URL(url);
  return parsed.protocol === 'https:' && SAML_PATH.test(parsed.pathname);
}

/** The SAMLResponse field of a urlencoded form body, or undefined when it has none. */
export function samlResponseOfForm(body: string): string | undefined {
  const value = new URLSearchParams(body).get('SAMLResponse')?.replace(/\s+/g, '');
  return value ? value : undefined;
}
