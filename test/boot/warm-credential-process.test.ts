import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from 'chai';
import { cacheFile, printWarmCredentials, REFRESH_MARGIN_MS, warmPathProfile } from '../../src/boot/warm-credential-process.js';
import { REFRESH_MARGIN_SECONDS } from '../../src/pipeline/current-credentials.js';
import { credentialsCachePath } from '../../src/state/credentials-cache.js';
import { stateDirectory } from '../../src/state/paths.js';

describe('boot/warm-credential-process (the warm path)', function () {
  let state: string;
  const env = () => ({ AWSL_STATE_DIR: state });
  const entry = { Version: 1, AccessKeyId: 'ASIA1', SecretAccessKey: 's', SessionToken: 't', Expiration: '2030-01-01T00:00:00Z', AccountId: '111111111111', RoleArn: 'arn:aws:iam::111111111111:role/x' };
  const write = (profile: string, value: unknown) => {
    const file = cacheFile(env(), profile);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  };
  function captured(run: () => boolean): { printed: boolean; stdout: string } {
    const original = process.stdout.write.bind(process.stdout);
    let stdout = '';
    process.stdout.write = ((chunk: string) => { stdout += chunk; return true; }) as typeof process.stdout.write;
    try {
      return { printed: run(), stdout };
    } finally {
      process.stdout.write = original;
    }
  }

  beforeEach(function () {
    state = mkdtempSync(join(tmpdir(), 'awsl-fast-'));
  });
  afterEach(function () {
    rmSync(state, { recursive: true, force: true });
  });

  it('keeps the same margin and cache file as the full pipeline', function () {
    expect(REFRESH_MARGIN_MS).to.equal(REFRESH_MARGIN_SECONDS * 1000);
    for (const profile of ['default', 'prod', 'a b/c', 'ü:x']) {
      expect(cacheFile(env(), profile)).to.equal(credentialsCachePath(stateDirectory(env()), profile));
    }
  });

  it('takes only credential-process with a profile flag (either place) or AWS_PROFILE', function () {
    expect(warmPathProfile(['credential-process', '--profile', 'p'], {})).to.equal('p');
    expect(warmPathProfile(['credential-process', '-p', 'p'], {})).to.equal('p');
    expect(warmPathProfile(['credential-process', '--profile=p'], {})).to.equal('p');
    expect(warmPathProfile(['--profile', 'p', 'credential-process'], {})).to.equal('p');
    expect(warmPathProfile(['credential-process'], { AWS_PROFILE: 'e' })).to.equal('e');
    expect(warmPathProfile(['credential-process'], {})).to.equal('default');
    for (const argv of [['login'], [], ['credential-process', '--verbose'], ['credential-process', '--profile'], ['credential-process', '--profile=', 'x'],
      ['credential-process', '--profile', 'a', '--profile', 'b'], ['credential-process', '--help'], ['credential-process', 'credential-process']]) {
      expect(warmPathProfile(argv, {}), argv.join(' ')).to.equal(undefined);
    }
  });

  it('prints the AWS keys (not awsl\'s RoleArn) when more than the margin is left', function () {
    write('p', entry);
    const now = Date.parse('2029-12-31T23:44:00Z');
    const result = captured(() => printWarmCredentials(['credential-process', '--profile', 'p'], env(), now));
    expect(result.printed).to.equal(true);
    expect(result.stdout).to.equal('{"Version":1,"AccessKeyId":"ASIA1","SecretAccessKey":"s","SessionToken":"t","Expiration":"2030-01-01T00:00:00Z","AccountId":"111111111111"}\n');
    // A cache written before awsl knew AccountId: the five keys.
    write('p', { ...entry, AccountId: undefined });
    const older = captured(() => printWarmCredentials(['credential-process', '--profile', 'p'], env(), now));
    expect(older.stdout).to.equal('{"Version":1,"AccessKeyId":"ASIA1","SecretAccessKey":"s","SessionToken":"t","Expiration":"2030-01-01T00:00:00Z"}\n');
  });

  it('prints nothing (so the full command refreshes) within the margin, without a cache, or with a broken one', function () {
    write('p', entry);
    const now = Date.parse('2029-12-31T23:45:00Z');
    expect(captured(() => printWarmCredentials(['credential-process', '--profile', 'p'], env(), now))).to.deep.equal({ printed: false, stdout: '' });
    expect(captured(() => printWarmCredentials(['credential-process', '--profile', 'nobody'], env(), 0))).to.deep.equal({ printed: false, stdout: '' });
    for (const broken of ['{', '[]', 'null', JSON.stringify({ ...entry, Version: 2 }), JSON.stringify({ ...entry, SessionToken: undefined }), JSON.stringify({ ...entry, Expiration: 'soon' })]) {
      write('b', broken);
      expect(captured(() => printWarmCredentials(['credential-process', '--profile', 'b'], env(), 0)), broken).to.deep.equal({ printed: false, stdout: '' });
    }
  });
});
