/**
 * Concurrent `awsl login configure` processes on one ~/.aws/config: the file lock must keep every
 * process's write and every line of the file as it was, and no lock or temporary file may stay.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { available as awsCliAvailable, awsCli } from '../peers/aws-cli.js';
import { runAwsl } from '../support/cli.js';
import { requirePeer } from '../support/peers.js';
import { corpus, ECP_URL, sandboxWithConfig, type ConfigSandbox } from './configure-support.js';

describe('awsl login configure: concurrent processes (built CLI)', function () {
  // 20 node processes at once on a 2-core machine.
  this.timeout(120_000);
  let home: ConfigSandbox | undefined;

  afterEach(function () {
    home?.remove();
  });

  const configure = (sandbox: ConfigSandbox, profile: string, flags: string[]) =>
    runAwsl(['login', 'configure', '--profile', profile, ...flags, '--no-prompt'], { env: sandbox.env });

  it('20 processes on 20 profiles leave 20 complete sections after every original line', async function () {
    requirePeer(this, awsCliAvailable(), 'AWS CLI v2 at /usr/bin/aws (Debian awscli)');
    const original = corpus('nested.ini');
    const sandbox = home = sandboxWithConfig(original);
    const profiles = Array.from({ length: 20 }, (_, index) => `p${String(index + 1).padStart(2, '0')}`);
    const section = (profile: string) => [
      `[profile ${profile}]`,
      'awsl_provider = ecp',
      `awsl_ecp_endpoint_url = https://idp-${profile}.example.edu/idp/profile/SAML2/SOAP/ECP`,
      `awsl_username = user-${profile}`,
      `awsl_duration = ${1000 + Number(profile.slice(1))}`,
      '',
    ].join('\n');

    const results = await Promise.all(profiles.map((profile) => configure(sandbox, profile, [
      '--provider', 'ecp', '--ecp-endpoint-url', `https://idp-${profile}.example.edu/idp/profile/SAML2/SOAP/ECP`,
      '--username', `user-${profile}`, '--duration', String(1000 + Number(profile.slice(1))),
    ])));
    results.forEach((result, index) => expect(result.code, `${profiles[index]}: ${result.stderr}`).to.equal(0));

    const after = sandbox.read();
    expect(after.startsWith(original), after).to.equal(true);
    const added = after.slice(original.length);
    const order = [...added.matchAll(/^\[profile (p\d\d)\]$/gm)].map((match) => match[1] ?? '');
    expect([...order].sort()).to.deep.equal(profiles);
    // Each section whole, after one blank line, in the order the processes got the lock.
    expect(added).to.equal(order.map((profile) => `\n${section(profile)}`).join(''));
    expect(readdirSync(join(sandbox.home, '.aws'))).to.deep.equal(['config']);

    const listed = await awsCli(['configure', 'list-profiles'], { AWS_CONFIG_FILE: sandbox.configFile, AWS_SHARED_CREDENTIALS_FILE: sandbox.credentialsFile });
    expect(listed.stdout.split('\n').filter(Boolean)).to.deep.equal(['default', 'x', 'dev', ...order]);
  });

  it('2 processes × 10 rounds on the same profile: each round keeps both writes and the rest of the file', async function () {
    const seeded = corpus('commented.ini').replace('output = text\n', `output = text
awsl_provider = ecp
awsl_ecp_endpoint_url = ${ECP_URL}
awsl_username = me
awsl_role_arn = arn:aws:iam::123456789012:role/Seed
awsl_duration = 3600
`);
    const sandbox = home = sandboxWithConfig(seeded);
    const roleA = 'arn:aws:iam::111111111111:role/A';
    const roleB = 'arn:aws:iam::222222222222:role/B';
    for (let round = 1; round <= 10; round += 1) {
      // Different keys must both survive; the same key (the role) ends as one of the two, whole.
      const [a, b] = await Promise.all([
        configure(sandbox, 'x', ['--username', `a-${round}`, '--role-arn', roleA]),
        configure(sandbox, 'x', ['--duration', String(1000 + round), '--role-arn', roleB]),
      ]);
      expect(a.code, a.stderr).to.equal(0);
      expect(b.code, b.stderr).to.equal(0);
      const expected = (role: string) => seeded
        .replace('awsl_username = me', `awsl_username = a-${round}`)
        .replace('awsl_role_arn = arn:aws:iam::123456789012:role/Seed', `awsl_role_arn = ${role}`)
        .replace('awsl_duration = 3600', `awsl_duration = ${1000 + round}`);
      expect([expected(roleA), expected(roleB)], `round ${round}`).to.include(sandbox.read());
    }
    expect(readdirSync(join(sandbox.home, '.aws'))).to.deep.equal(['config']);
  });
});
