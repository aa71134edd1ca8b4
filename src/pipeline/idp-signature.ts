/**
 * The login pipeline's optional signature check. With neither awsl_idp_certificate nor
 * awsl_idp_metadata_url set, the Response is read as the IdP sent it (STS verifies the signature
 * in any case). With either set, the roles are read only from what a valid IdP signature covers.
 *
 * Metadata is fetched through the profile's HTTP client (its CA bundle, proxies, size limit) and
 * cached in the state folder (0600) for a day; when the cached certificates do not verify a
 * Response, the metadata is fetched again once, for key rollovers.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FileUnreadableError, IdpResponseError, NetworkError } from '../errors.js';
import type { HttpClient } from '../http.js';
import type * as SignatureModule from '../saml/signature.js';
import type { XmlElement } from '../saml/xml.js';
import type { ProfileSettings } from '../settings.js';
import { writeFileAtomic } from '../state/atomic-file.js';
import type { Logger } from '../ui/logger.js';

export const METADATA_CACHE_TTL_MS = 24 * 3600 * 1000;

export interface SignatureContext {
  settings: Pick<ProfileSettings, 'idpCertificate' | 'idpMetadataUrl' | 'provider'>;
  http: HttpClient;
  stateDirectory: string;
  logger: Logger;
  signal?: AbortSignal;
  now?: () => number;
}

/** The Response to read roles from: `response` itself, or (verification on) what the signature covers. */
export async function responseToRead(response: XmlElement, samlResponse: string, context: SignatureContext): Promise<XmlElement> {
  const { idpCertificate, idpMetadataUrl } = context.settings;
  if (!idpCertificate && !idpMetadataUrl) return response;
  // xml-crypto, xmldom and xpath are ~400 KB: loaded only by profiles that verify signatures.
  const { SamlSignatureError, verifySamlSignature } = await loadSignatureModule();
  const xml = Buffer.from(samlResponse, 'base64').toString('utf8');
  const what = `the SAML Response from the ${context.settings.provider} IdP`;
  const fromFile = idpCertificate ? await certificatesFromFile(idpCertificate) : [];
  const metadata = idpMetadataUrl ? await metadataCertificates(idpMetadataUrl, context, false) : undefined;
  try {
    return verifySamlSignature(xml, [...fromFile, ...(metadata?.certificates ?? [])], what).response;
  } catch (error) {
    if (!(error instanceof SamlSignatureError) || !idpMetadataUrl || !metadata?.fromCache) throw error;
    context.logger.info(`The IdP signature does not verify against the cached metadata of ${idpMetadataUrl}; fetching it again.`);
    const fresh = await metadataCertificates(idpMetadataUrl, context, true);
    return verifySamlSignature(xml, [...fromFile, ...fresh.certificates], what).response;
  }
}

function loadSignatureModule(): Promise<typeof SignatureModule> {
  return import('../saml/signature.js');
}

async function certificatesFromFile(path: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new FileUnreadableError(path, undefined, `cannot read the IdP certificate (${(error as Error).message})`,
      'Point awsl_idp_certificate (awsl login configure --idp-certificate PATH) at the PEM file of the IdP\'s signing certificate.');
  }
  const { pemCertificates } = await loadSignatureModule();
  const certificates = pemCertificates(text).filter((pem) => {
    try {
      new X509Certificate(pem);
      return true;
    } catch {
      return false;
    }
  });
  if (certificates.length === 0) {
    throw new FileUnreadableError(path, undefined, 'holds no PEM certificate (-----BEGIN CERTIFICATE-----)',
      'Point awsl_idp_certificate at the PEM file of the IdP\'s signing certificate.');
  }
  return certificates;
}

interface CachedMetadata {
  url: string;
  fetchedAt: number;
  certificates: string[];
}

export function metadataCachePath(stateDirectory: string, url: string): string {
  return join(stateDirectory, 'idp-metadata', `${createHash('sha256').update(url).digest('hex').slice(0, 24)}.json`);
}

async function metadataCertificates(url: string, context: SignatureContext, forceFetch: boolean): Promise<{ certificates: string[]; fromCache: boolean }> {
  const now = context.now?.() ?? Date.now();
  const path = metadataCachePath(context.stateDirectory, url);
  const cached = await readCache(path, url);
  if (cached && !forceFetch && now - cached.fetchedAt < METADATA_CACHE_TTL_MS) return { certificates: cached.certificates, fromCache: true };
  let certificates: string[];
  try {
    const reply = await context.http.send({ method: 'GET', url, headers: { accept: 'application/samlmetadata+xml, application/xml, text/xml' }, signal: context.signal, readTimeoutMs: 30_000 });
    if (reply.status !== 200) throw new IdpResponseError(`The IdP metadata URL ${url} answered HTTP ${reply.status}.`, 'Check awsl_idp_metadata_url.');
    const { readIdpMetadata } = await import('../saml/metadata.js');
    certificates = readIdpMetadata(reply.body, url).signingCertificates;
  } catch (error) {
    if (cached && !forceFetch && (error instanceof NetworkError || error instanceof IdpResponseError)) {
      context.logger.warn(`Could not refresh the IdP metadata (${(error as Error).message}); using the copy fetched ${new Date(cached.fetchedAt).toISOString()}.`);
      return { certificates: cached.certificates, fromCache: true };
    }
    throw error;
  }
  try {
    await writeFileAtomic(path, JSON.stringify({ url, fetchedAt: now, certificates } satisfies CachedMetadata), { mode: 0o600 });
  } catch (error) {
    context.logger.warn(`Could not cache the IdP metadata in ${path}: ${(error as Error).message}.`);
  }
  return { certificates, fromCache: false };
}

async function readCache(path: string, url: string): Promise<CachedMetadata | undefined> {
  try {
    const value = JSON.parse(await readFile(path, 'utf8')) as Partial<CachedMetadata>;
    if (value.url !== url || typeof value.fetchedAt !== 'number' || !Array.isArray(value.certificates) || value.certificates.length === 0) return undefined;
    return { url, fetchedAt: value.fetchedAt, certificates: value.certificates.filter((pem): pem is string => typeof pem === 'string') };
  } catch {
    return undefined;
  }
}
