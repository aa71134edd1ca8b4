/**
 * Debian's xmlsec1 (libxmlsec1, the XML-DSig implementation of many SAML stacks) as an independent
 * judge of whether the exact bytes awsl sends to STS still carry a valid IdP signature.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const XMLSEC1 = '/usr/bin/xmlsec1';

export function available(): boolean {
  return existsSync(XMLSEC1);
}

export interface Xmlsec1Result {
  verified: boolean;
  output: string;
}

/**
 * `xmlsec1 --verify` of the signature of the element of local name `signed` (its ID attribute
 * registered as an XML ID, as SAML's schema makes it) against the PEM certificate's key.
 */
export async function xmlsec1Verify(xml: string, certificatePem: string, signed: 'Response' | 'Assertion'): Promise<Xmlsec1Result> {
  const folder = await mkdtemp(join(tmpdir(), 'awsl-xmlsec1-'));
  try {
    await writeFile(join(folder, 'cert.pem'), certificatePem);
    await writeFile(join(folder, 'signed.xml'), xml);
    const namespace = signed === 'Response' ? 'urn:oasis:names:tc:SAML:2.0:protocol' : 'urn:oasis:names:tc:SAML:2.0:assertion';
    return await new Promise((resolve, reject) => {
      execFile(XMLSEC1, ['--verify', '--pubkey-cert-pem', join(folder, 'cert.pem'), '--id-attr:ID', `${namespace}:${signed}`, join(folder, 'signed.xml')],
        { timeout: 30_000 }, (error, stdout, stderr) => {
          if (error && typeof error.code !== 'number') reject(new Error(`${XMLSEC1} did not run: ${error.message}`));
          else resolve({ verified: !error, output: `${stdout}${stderr}` });
        });
    });
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
