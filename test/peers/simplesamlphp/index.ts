/**
 * The real SimpleSAMLphp 1.19 (Debian package) as an ECP IdP on a loopback port, configured in a
 * private temp folder through SIMPLESAMLPHP_CONFIG_DIR; nothing under /etc is read or written.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, makeTempDir, startProcess, waitForHttp, type PeerProcess } from '../process.js';
import { AWS_SP_ENTITY_ID, configFiles } from './config.js';

export { SIMPLESAMLPHP_USERS, AWS_SAML_ATTRIBUTE, type SimpleSamlPhpUser, type SimpleSamlPhpRole } from './users.js';
export { AWS_SP_ENTITY_ID, AWS_ACS_URLS } from './config.js';

const PHP = '/usr/bin/php';
const OPENSSL = '/usr/bin/openssl';
/** The Debian package's document root; its endpoints are plain .php files, so php -S needs no router. */
const WWW = '/usr/share/simplesamlphp/www';

export interface SimpleSamlPhp {
  /** The ECP (PAOS) endpoint: http://127.0.0.1:PORT/saml2/idp/SSOService.php */
  url: string;
  /** http://127.0.0.1:PORT */
  baseUrl: string;
  /** The IdP's entity ID, the Issuer of its responses. */
  entityId: string;
  /** The self-signed certificate that signs responses and assertions. */
  certificatePem: string;
  process: PeerProcess;
  /**
   * The IdP-initiated web SSO start page for the AWS SP (its username/password form, then an
   * HTTP-POST of the Response to acsUrl, by default the SP's first one).
   */
  webLoginUrl(acsUrl?: string): string;
  /** Ends every IdP session, as their expiry would: the next web login shows the form again. */
  endSessions(): Promise<void>;
  stop(): Promise<void>;
}

export interface SimpleSamlPhpOptions {
  /** php -S workers (PHP_CLI_SERVER_WORKERS); more than one lets requests run concurrently. */
  workers?: number;
  /** The ACS URLs the AWS SP is registered with; default the three partitions' global ones. */
  acsUrls?: readonly string[];
  /** Encrypt assertions for the AWS SP to this certificate (the IAM SAML provider's). */
  encryptionCertificatePem?: string;
}

export function available(): boolean {
  return existsSync(PHP) && existsSync(OPENSSL) && existsSync(join(WWW, 'saml2/idp/SSOService.php'));
}

let signingKey: Promise<{ keyPem: string; certificatePem: string }> | undefined;

/** One throwaway RSA key and self-signed certificate per test run: key generation is the slow part. */
function cachedSigningKey(): Promise<{ keyPem: string; certificatePem: string }> {
  signingKey ??= (async () => {
    const temp = await makeTempDir('idp-key');
    try {
      const key = join(temp.path, 'idp.key');
      const cert = join(temp.path, 'idp.crt');
      await promisify(execFile)(OPENSSL, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '3650',
        '-subj', '/CN=awsl test SimpleSAMLphp IdP', '-keyout', key, '-out', cert]);
      return { keyPem: await readFile(key, 'utf8'), certificatePem: await readFile(cert, 'utf8') };
    } finally {
      await temp.remove();
    }
  })();
  signingKey.catch(() => { signingKey = undefined; });
  return signingKey;
}

export async function startSimpleSamlPhp(options: SimpleSamlPhpOptions = {}): Promise<SimpleSamlPhp> {
  const { keyPem, certificatePem } = await cachedSigningKey();
  const temp = await makeTempDir('simplesamlphp');
  // The port may be taken between freePort() and php's bind; try a few.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const entityId = `${baseUrl}/saml2/idp/metadata.php`;
    const dir = join(temp.path, String(port));
    const files = {
      ...configFiles({ baseUrl, entityId, dir, secret: randomBytes(16).toString('hex'), acsUrls: options.acsUrls, encryptionCertificatePem: options.encryptionCertificatePem }),
      'cert/idp.key': keyPem,
      'cert/idp.crt': certificatePem,
    };
    for (const sub of ['log', 'data', 'tmp', 'sessions']) await mkdir(join(dir, sub), { recursive: true });
    for (const [name, contents] of Object.entries(files)) {
      await mkdir(dirname(join(dir, name)), { recursive: true });
      await writeFile(join(dir, name), contents, { mode: 0o600 });
    }

    const peer = startProcess(PHP, ['-S', `127.0.0.1:${port}`, '-t', WWW], {
      cwd: WWW,
      stopSignal: 'SIGINT',
      env: { ...process.env, SIMPLESAMLPHP_CONFIG_DIR: dir, PHP_CLI_SERVER_WORKERS: String(options.workers ?? 2) },
    });
    try {
      await waitForHttp(`${baseUrl}/saml2/idp/metadata.php`, 10_000, peer);
    } catch (error) {
      await peer.stop();
      if (attempt < 3 && peer.output().includes('Address already in use')) continue;
      await temp.remove();
      throw error;
    }
    const stop = async () => {
      await peer.stop();
      await temp.remove();
    };
    const url = `${baseUrl}/saml2/idp/SSOService.php`;
    const webLoginUrl = (acsUrl?: string) => `${url}?${new URLSearchParams({ spentityid: AWS_SP_ENTITY_ID, ...(acsUrl ? { ConsumerURL: acsUrl } : {}) }).toString()}`;
    const endSessions = async () => {
      const sessions = join(dir, 'sessions');
      for (const file of await readdir(sessions)) await rm(join(sessions, file), { force: true });
    };
    return { url, baseUrl, entityId, certificatePem, process: peer, webLoginUrl, endSessions, stop };
  }
}
