/**
 * XML Encryption 1.1 decryption of a SAML EncryptedAssertion, as STS does it with the private key
 * of a SAML provider whose AssertionEncryptionMode is Allowed or Required (IAM guide "SAML 2.0
 * federation": "IAM SAML identity federation supports encrypted SAML responses"). The content key
 * is RSA-OAEP wrapped (xmlenc#rsa-oaep-mgf1p, or xmlenc11#rsa-oaep with SHA-1 MGF); the data is
 * AES-CBC (IV first, XML Encryption padding) or AES-GCM (12-byte IV first, 16-byte tag last).
 * RSA PKCS#1 v1.5 key transport is refused: it is the padding-oracle one.
 */
import { constants, createDecipheriv, privateDecrypt } from 'node:crypto';
import { NS, childElement, childElements } from '../saml-fixtures.js';
import { StsError } from './assertion.js';

const XENC = 'http://www.w3.org/2001/04/xmlenc#';
const RSA_OAEP = new Set([`${XENC}rsa-oaep-mgf1p`, 'http://www.w3.org/2009/xmlenc11#rsa-oaep']);
const DATA_CIPHERS: Record<string, { name: string; gcm: boolean }> = {
  [`${XENC}aes128-cbc`]: { name: 'aes-128-cbc', gcm: false },
  [`${XENC}aes192-cbc`]: { name: 'aes-192-cbc', gcm: false },
  [`${XENC}aes256-cbc`]: { name: 'aes-256-cbc', gcm: false },
  'http://www.w3.org/2009/xmlenc11#aes128-gcm': { name: 'aes-128-gcm', gcm: true },
  'http://www.w3.org/2009/xmlenc11#aes192-gcm': { name: 'aes-192-gcm', gcm: true },
  'http://www.w3.org/2009/xmlenc11#aes256-gcm': { name: 'aes-256-gcm', gcm: true },
};

const invalid = (message: string): StsError => new StsError('InvalidIdentityToken', message);

function cipherValue(parent: Element): Buffer {
  const value = childElement(childElement(parent, XENC, 'CipherData') ?? parent, XENC, 'CipherValue');
  if (!value) throw invalid('Unable to decrypt the SAML assertion: no CipherValue');
  return Buffer.from((value.textContent ?? '').replace(/\s+/g, ''), 'base64');
}

function algorithm(parent: Element): string {
  return childElement(parent, XENC, 'EncryptionMethod')?.getAttribute('Algorithm') ?? '';
}

/** The plaintext Assertion XML inside `encryptedAssertion`. */
export function decryptAssertion(encryptedAssertion: Element, privateKeyPem: string): string {
  const data = childElement(encryptedAssertion, XENC, 'EncryptedData');
  if (!data) throw invalid('Unable to decrypt the SAML assertion: no EncryptedData');
  // The EncryptedKey sits in the EncryptedData's KeyInfo (SimpleSAMLphp) or beside it (Shibboleth).
  const keyInfo = childElement(data, NS.ds, 'KeyInfo');
  const encryptedKey = (keyInfo && childElement(keyInfo, XENC, 'EncryptedKey')) ?? childElements(encryptedAssertion, XENC, 'EncryptedKey')[0];
  if (!encryptedKey) throw invalid('Unable to decrypt the SAML assertion: no EncryptedKey');
  const keyTransport = algorithm(encryptedKey);
  if (!RSA_OAEP.has(keyTransport)) throw invalid(`Unable to decrypt the SAML assertion: unsupported key transport ${keyTransport || '(none)'}`);
  const digest = childElement(encryptedKey, XENC, 'EncryptionMethod');
  const oaepHash = childElement(digest ?? encryptedKey, NS.ds, 'DigestMethod')?.getAttribute('Algorithm')?.replace(/^.*#/, '') ?? 'sha1';
  let contentKey: Buffer;
  try {
    contentKey = privateDecrypt({ key: privateKeyPem, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, cipherValue(encryptedKey));
  } catch {
    throw invalid('Unable to decrypt the SAML assertion with the private key of the SAML provider');
  }
  const cipher = DATA_CIPHERS[algorithm(data)];
  if (!cipher) throw invalid(`Unable to decrypt the SAML assertion: unsupported data encryption ${algorithm(data) || '(none)'}`);
  const bytes = cipherValue(data);
  try {
    if (cipher.gcm) {
      const decipher = createDecipheriv(cipher.name, contentKey, bytes.subarray(0, 12)) as ReturnType<typeof createDecipheriv> & { setAuthTag(tag: Buffer): void };
      decipher.setAuthTag(bytes.subarray(bytes.length - 16));
      return Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]).toString('utf8');
    }
    const decipher = createDecipheriv(cipher.name, contentKey, bytes.subarray(0, 16)).setAutoPadding(false);
    const plain = Buffer.concat([decipher.update(bytes.subarray(16)), decipher.final()]);
    const padding = plain[plain.length - 1] ?? 0;
    if (padding < 1 || padding > 16) throw new Error('bad padding');
    return plain.subarray(0, plain.length - padding).toString('utf8');
  } catch {
    throw invalid('Unable to decrypt the SAML assertion with the private key of the SAML provider');
  }
}
