/**
 * IdP session cookies, one jar per (IdP host, username): SimpleSAMLphp ignores Basic credentials
 * while its session cookie is valid, so a jar must never be offered for another user.
 */
import { createHash } from 'node:crypto';
import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { CookieJar } from 'tough-cookie';
import { writeFileAtomic } from './atomic-file.js';

/** tough-cookie is loaded only by what reads or writes cookies: exists() and remove() (status, logout) need no parser. */
const cookieJarClass = async (): Promise<typeof CookieJar> => (await import('tough-cookie')).CookieJar;

export class CookieJarStore {
  constructor(private readonly stateDirectory: string) {}

  /** Host in clear (for people looking at the folder), username hashed (it may be an email). */
  path(host: string, username: string): string {
    const user = createHash('sha256').update(username).digest('hex').slice(0, 24);
    return join(this.stateDirectory, 'cookies', `${host.replace(/[^A-Za-z0-9.-]/g, '_')}-${user}.json`);
  }

  async load(host: string, username: string): Promise<CookieJar> {
    const CookieJar = await cookieJarClass();
    let text: string;
    try {
      text = await readFile(this.path(host, username), 'utf8');
    } catch {
      return new CookieJar();
    }
    try {
      return await CookieJar.deserialize(JSON.parse(text) as never);
    } catch {
      // A corrupt jar only costs a password prompt; it is replaced on the next successful login.
      return new CookieJar();
    }
  }

  async save(host: string, username: string, jar: CookieJar): Promise<void> {
    await writeFileAtomic(this.path(host, username), JSON.stringify(await jar.serialize()), { mode: 0o600 });
  }

  /**
   * Whether the jar holds a cookie that has not expired, read from tough-cookie's serialized form
   * without loading tough-cookie (status asks this for every profile). A session cookie (no expiry)
   * counts: only the IdP knows how long it lasts.
   */
  async hasLiveCookie(host: string, username: string, now = new Date()): Promise<boolean> {
    let cookies: unknown;
    try {
      cookies = (JSON.parse(await readFile(this.path(host, username), 'utf8')) as { cookies?: unknown }).cookies;
    } catch {
      return false;
    }
    if (!Array.isArray(cookies)) return false;
    return cookies.some((cookie: { expires?: unknown; maxAge?: unknown; creation?: unknown }) => {
      const expires = typeof cookie.expires === 'string' && cookie.expires !== 'Infinity' ? Date.parse(cookie.expires)
        : typeof cookie.maxAge === 'number' && typeof cookie.creation === 'string' ? Date.parse(cookie.creation) + cookie.maxAge * 1000
          : Number.POSITIVE_INFINITY;
      return !(expires <= now.getTime());
    });
  }

  async exists(host: string, username: string): Promise<boolean> {
    try {
      return (await stat(this.path(host, username))).size > 0;
    } catch {
      return false;
    }
  }

  async remove(host: string, username: string): Promise<boolean> {
    const existed = await this.exists(host, username);
    await rm(this.path(host, username), { force: true });
    return existed;
  }
}
