/**
 * AWS sign-in's SAML endpoints: where an IdP may address a Response for AWS (Destination,
 * Recipient) and the ACS an AuthnRequest may ask for. The IAM guide ("Configure SAML assertions
 * for the authentication response") lists, per partition: the global `https://signin…/saml`, the
 * regional `https://<region>.signin…/saml`, both under `/static/saml`, and, when the SAML provider
 * requires encrypted assertions, `https://<region>.signin…/saml/acs/<IdP-ID>` with the id IAM shows
 * for the provider. Nothing else is AWS. No XML code here: settings validation imports it.
 */
import type { Partition } from './response.js';

const SIGN_IN_HOSTS: Record<Partition, string> = {
  aws: 'signin.aws.amazon.com',
  'aws-cn': 'signin.amazonaws.cn',
  'aws-us-gov': 'signin.amazonaws-us-gov.com',
};

/** Region names of each partition, as in the AWS Sign-In endpoints table. */
const REGION_OF: Record<Partition, RegExp> = {
  aws: /^(?!cn-|us-gov-)[a-z]{2}-[a-z]+-\d{1,2}$/,
  'aws-cn': /^cn-[a-z]+-\d{1,2}$/,
  'aws-us-gov': /^us-gov-[a-z]+-\d{1,2}$/,
};

/** The unique id IAM gives a SAML provider for its encrypted-assertion endpoint. */
const IDP_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** The partition's global AWS sign-in SAML endpoint: awsl's ACS URL unless awsl_acs_url says otherwise. */
export function signInSamlUrl(partition: Partition): string {
  return `https://${SIGN_IN_HOSTS[partition]}/saml`;
}

/** The partition of an AWS sign-in SAML endpoint, or undefined when `url` is not one (exactly, no query, no fragment). */
export function signInEndpointPartition(url: string): Partition | undefined {
  const match = /^https:\/\/(?:([a-z0-9-]+)\.)?(signin\.[a-z.-]+)(\/[^?#]*)$/.exec(url);
  if (!match) return undefined;
  const [, region, host, path = ''] = match;
  const partition = (Object.keys(SIGN_IN_HOSTS) as Partition[]).find((candidate) => SIGN_IN_HOSTS[candidate] === host);
  if (!partition || (region !== undefined && !REGION_OF[partition].test(region))) return undefined;
  if (path === '/saml' || path === '/static/saml') return partition;
  const idpId = /^\/saml\/acs\/([^/]+)$/.exec(path)?.[1];
  return region !== undefined && idpId !== undefined && IDP_ID.test(idpId) ? partition : undefined;
}
