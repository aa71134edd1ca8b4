/**
 * The IdP's signing certificates from its SAML metadata (awsl_idp_metadata_url): the
 * ds:X509Certificate of each KeyDescriptor of the IDPSSODescriptor whose use is signing or unset.
 * Pure; parsed with the same limits as every other XML awsl reads (no DOCTYPE, 1 MiB, depth 64).
 */
import { IdpResponseError } from '../errors.js';
import { certificateFromBase64 } from './signature.js';
import { attribute, childrenNamed, describeElement, NS, parseXml, type XmlElement } from './xml.js';

export const MD_NS = 'urn:oasis:names:tc:SAML:2.0:metadata';

export interface IdpMetadata {
  entityId: string | undefined;
  /** PEM certificates, in document order, without duplicates. */
  signingCertificates: string[];
}

export function readIdpMetadata(xml: string, source: string): IdpMetadata {
  const what = `The IdP metadata from ${source}`;
  const hint = 'Check awsl_idp_metadata_url: it must be the metadata of this one IdP (an EntityDescriptor with an IDPSSODescriptor).';
  const root = parseXml(xml, what);
  let entities: XmlElement[];
  if (root.namespace === MD_NS && root.localName === 'EntityDescriptor') entities = [root];
  else if (root.namespace === MD_NS && root.localName === 'EntitiesDescriptor') entities = childrenNamed(root, MD_NS, 'EntityDescriptor');
  else throw new IdpResponseError(`${what} is ${describeElement(root)}, not SAML metadata.`, hint);
  const idps = entities.filter((entity) => childrenNamed(entity, MD_NS, 'IDPSSODescriptor').length > 0);
  if (idps.length !== 1) {
    throw new IdpResponseError(`${what} describes ${idps.length} identity providers; awsl needs exactly one.`, hint);
  }
  const entity = idps[0]!;
  const certificates: string[] = [];
  for (const descriptor of childrenNamed(entity, MD_NS, 'IDPSSODescriptor')) {
    for (const key of childrenNamed(descriptor, MD_NS, 'KeyDescriptor')) {
      const use = attribute(key, 'use');
      if (use !== undefined && use !== 'signing') continue;
      for (const keyInfo of childrenNamed(key, NS.ds, 'KeyInfo')) {
        for (const data of childrenNamed(keyInfo, NS.ds, 'X509Data')) {
          for (const element of childrenNamed(data, NS.ds, 'X509Certificate')) {
            const pem = certificateFromBase64(element.text);
            if (!pem) throw new IdpResponseError(`${what} has an X509Certificate that is not a certificate.`, hint);
            if (!certificates.includes(pem)) certificates.push(pem);
          }
        }
      }
    }
  }
  if (certificates.length === 0) throw new IdpResponseError(`${what} has no signing certificate.`, hint);
  return { entityId: attribute(entity, 'entityID'), signingCertificates: certificates };
}
