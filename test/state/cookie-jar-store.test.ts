/** The cookie jars of IdP sessions, on real tough-cookie jars in a private folder. */
import { expect } from 'chai';
import { mkdtempSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CookieJar } from 'tough-cookie';
import { CookieJarStore } from '../../src/state/cookie-jar-store.js';

const IDP = 'https://idp.example.edu/idp/profile/SAML2/SOAP/ECP';
const HOST = 'idp.example.edu';

describe('state/cookie-jar-store', function () {
  let folder: string;
  let store: CookieJarStore;

  beforeEach(function () {
    folder = mkdtempSync(join(tmpdir(), 'awsl-jars-'));
    store = new CookieJarStore(folder);
  });
  afterEach(function () {
    rmSync(folder, { recursive: true, force: true });
  });

  const saveWith = async (...cookies: string[]) => {
    const jar = new CookieJar();
    for (const cookie of cookies) await jar.setCookie(cookie, IDP);
    await store.save(HOST, 'alice', jar);
  };

  it('keeps one 0600 jar per host and username, and never offers one user\'s jar for another', async function () {
    await saveWith('session=abc; Path=/');
    expect(statSync(store.path(HOST, 'alice')).mode & 0o777).to.equal(0o600);
    expect(await store.hasLiveCookie(HOST, 'alice')).to.equal(true);
    expect(await store.hasLiveCookie(HOST, 'bob')).to.equal(false);
    expect((await (await store.load(HOST, 'bob')).getCookies(IDP))).to.deep.equal([]);
    expect((await (await store.load(HOST, 'alice')).getCookies(IDP)).map((cookie) => cookie.key)).to.deep.equal(['session']);
  });

  it('counts a session cookie and one not yet expired as live, an expired one as none', async function () {
    const now = new Date();
    await saveWith(`shib=1; Path=/; Expires=${new Date(now.getTime() + 3_600_000).toUTCString()}`);
    expect(await store.hasLiveCookie(HOST, 'alice', now)).to.equal(true);
    expect(await store.hasLiveCookie(HOST, 'alice', new Date(now.getTime() + 7_200_000)), 'two hours later').to.equal(false);
    await saveWith('shib=1; Path=/; Max-Age=60');
    expect(await store.hasLiveCookie(HOST, 'alice', new Date(Date.now() + 120_000)), 'Max-Age passed').to.equal(false);
    await saveWith('session=abc; Path=/');
    expect(await store.hasLiveCookie(HOST, 'alice', new Date(now.getTime() + 365 * 86_400_000)), 'a session cookie').to.equal(true);
  });

  it('treats a missing, empty or damaged jar as no session', async function () {
    expect(await store.hasLiveCookie(HOST, 'alice')).to.equal(false);
    mkdirSync(dirname(store.path(HOST, 'alice')), { recursive: true });
    writeFileSync(store.path(HOST, 'alice'), '{"cookies": [');
    expect(await store.hasLiveCookie(HOST, 'alice')).to.equal(false);
    expect((await (await store.load(HOST, 'alice')).getCookies(IDP))).to.deep.equal([]);
    await saveWith();
    expect(await store.hasLiveCookie(HOST, 'alice')).to.equal(false);
    expect(await store.remove(HOST, 'alice')).to.equal(true);
    expect(await store.remove(HOST, 'alice')).to.equal(false);
  });
});
