/**
 * The two credential stores and the one choice between them, on real files in a private home:
 * the marker configure writes decides, never the words of a credential_process line.
 */
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentialsFileStore, privateCacheStore, storeFor, type AwsCredentials } from '../../src/aws/credential-store.js';
import { createLogger } from '../../src/ui/logger.js';

describe('aws/credential-store', function () {
  let home: string;
  let env: NodeJS.ProcessEnv;
  const logs: string[] = [];
  const logger = createLogger('normal', (text) => { logs.push(text); });
  const credentials: AwsCredentials = {
    accessKeyId: 'ASIASTORE', secretAccessKey: 'secret', sessionToken: 'token', expiration: new Date('2030-01-02T03:04:05Z'), roleArn: 'arn:aws:iam::111111111111:role/Admin',
  };

  beforeEach(function () {
    home = mkdtempSync(join(tmpdir(), 'awsl-store-'));
    env = { HOME: home, AWS_CONFIG_FILE: join(home, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'), AWSL_STATE_DIR: join(home, 'state') };
    logs.length = 0;
  });
  afterEach(function () {
    rmSync(home, { recursive: true, force: true });
  });

  it('chooses the private cache only for the marker configure writes', function () {
    const line = '/usr/bin/node /opt/awsl/bin/run.js credential-process --profile p';
    expect(storeFor({ profile: 'p', raw: { credential_process: line, awsl_credential_process: 'true' } }, env).mode).to.equal('credential-process');
    // Another tool's credential-process subcommand (granted documents one) is not awsl's.
    expect(storeFor({ profile: 'p', raw: { credential_process: 'granted credential-process --profile p' } }, env).mode).to.equal('credentials-file');
    expect(storeFor({ profile: 'p', raw: { credential_process: line } }, env).mode).to.equal('credentials-file');
    expect(storeFor({ profile: 'p', raw: {} }, env).file).to.equal(join(home, 'credentials'));
  });

  for (const [name, open] of [['the credentials file', () => credentialsFileStore('p', env)], ['the private cache', () => privateCacheStore('p', env)]] as const) {
    it(`${name}: reads back what it wrote, 0600, and removes only awsl's`, async function () {
      const store = open();
      expect(await store.read()).to.equal(undefined);
      expect(await store.remove()).to.equal(false);
      await store.write(credentials, logger);
      expect(await store.read()).to.deep.equal(credentials);
      expect(statSync(store.file).mode & 0o777).to.equal(0o600);
      expect(readFileSync(store.file, 'utf8')).to.include('ASIASTORE');
      expect(await store.remove()).to.equal(true);
      expect(await store.read()).to.equal(undefined);
    });
  }

  it('the credentials file store keeps other keys and tightens a loose file, saying so', async function () {
    writeFileSync(join(home, 'credentials'), '[p]\nregion = eu-west-1\n\n[other]\naws_access_key_id = AKIAOTHER\n', { mode: 0o644 });
    const store = credentialsFileStore('p', env);
    await store.write(credentials, logger);
    expect(statSync(store.file).mode & 0o777).to.equal(0o600);
    expect(logs.join('')).to.match(/readable by others \(mode 644\)/);
    await store.remove();
    expect(readFileSync(store.file, 'utf8')).to.equal('[p]\nregion = eu-west-1\n\n[other]\naws_access_key_id = AKIAOTHER\n');
  });
});
