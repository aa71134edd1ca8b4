import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clientRefusedError, rateLimitedError } from '../../../src/providers/onelogin/explain.js';
import { cacheToken, readCachedToken, TOKEN_EXPIRY_MARGIN_MS, tokenCachePath } from '../../../src/providers/onelogin/state.js';
import { readProfileSettings } from '../../../src/providers/registry.js';
import type { OneLoginProfile } from '../../../src/providers/onelogin/descriptor.js';

describe('OneLogin error texts', () => {
  it('rate limit: seconds under two minutes, minutes above, a clock time, or no header at all', () => {
    const now = Date.UTC(2030, 0, 1, 12, 0, 0);
    expect(rateLimitedError('45', now).hint).to.match(/^Try again in 45 s \(after .+\)\./);
    expect(rateLimitedError('832', now).hint).to.match(/^Try again in 14 min \(after .+\)\./);
    expect(rateLimitedError(undefined, now).hint).to.match(/^Try again in a few minutes\./);
    expect(rateLimitedError('', now).hint).to.match(/^Try again in a few minutes\./);
    expect(rateLimitedError('soon', now).hint).to.match(/^Try again in a few minutes\./);
  });

  it('a refused client credential points at the region the request went to', () => {
    const settings = readProfileSettings('prod', { awsl_provider: 'onelogin', awsl_onelogin_client_id: 'abc', awsl_onelogin_region: 'eu' }) as OneLoginProfile | undefined;
    if (!settings) throw new Error('no settings');
    const error = clientRefusedError({ status: 401, message: 'Authentication Failure' }, settings);
    expect(error.message).to.equal('OneLogin refused the API client id abc or its secret (HTTP 401: Authentication Failure).');
    expect(error.hint).to.contain('awsl login configure --profile prod').and.contain('EU API').and.contain('awsl_onelogin_region');
  });
});

describe('OneLogin token cache', () => {
  let folder: string;
  beforeEach(async () => { folder = await mkdtemp(join(tmpdir(), 'awsl-onelogin-cache-')); });
  afterEach(async () => rm(folder, { recursive: true, force: true }));

  it('is kept per API URL and client id, and dropped a margin before it expires', async () => {
    const path = tokenCachePath(folder, 'https://api.us.onelogin.com', 'abc');
    expect(tokenCachePath(folder, 'https://api.eu.onelogin.com', 'abc')).to.not.equal(path);
    expect(tokenCachePath(folder, 'https://api.us.onelogin.com', 'abd')).to.not.equal(path);
    const now = 1_000_000;
    await cacheToken(path, { accessToken: 't', expiresInSeconds: 3600 }, now);
    expect(await readCachedToken(path, now)).to.equal('t');
    const expiresAt = now + 3_600_000;
    expect(await readCachedToken(path, expiresAt - TOKEN_EXPIRY_MARGIN_MS - 1)).to.equal('t');
    expect(await readCachedToken(path, expiresAt - TOKEN_EXPIRY_MARGIN_MS)).to.equal(undefined);
  });

  it('treats a damaged file as no cache', async () => {
    const path = tokenCachePath(folder, 'https://api.us.onelogin.com', 'abc');
    await cacheToken(path, { accessToken: 't', expiresInSeconds: 3600 });
    await writeFile(path, '{"accessToken": ');
    expect(await readCachedToken(path)).to.equal(undefined);
  });
});
