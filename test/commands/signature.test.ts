/**
 * Optional IdP signature verification end to end: the real SimpleSAMLphp signs its Response and
 * Assertion; awsl verifies them against awsl_idp_certificate or the certificate in the IdP's
 * metadata (awsl_idp_metadata_url, cached in the state folder), and refuses another signer.
 */
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { SIMPLESAMLPHP_USERS } from '../peers/simplesamlphp/index.js';
import { startLoopbackServer, throwawayKeyPair, type LoopbackServer } from '../peers/saml-fixtures.js';
import { startSamlWorld, type SamlWorld } from './saml-world.js';

const alice = SIMPLESAMLPHP_USERS.alice;
const ADMIN = alice.roles[0]!.roleArn;

describe('awsl login with IdP signature verification (SimpleSAMLphp)', function () {
  let world: SamlWorld;
  let otherMetadata: LoopbackServer;

  before(async function () {
    world = await startSamlWorld(this);
    // Metadata naming another signing key, as a stale or wrong metadata URL would.
    const base64 = throwawayKeyPair('not-the-idp').cert.replace(/-----[A-Z ]+-----|\s/g, '');
    otherMetadata = await startLoopbackServer((_, res) => {
      res.writeHead(200, { 'Content-Type': 'application/samlmetadata+xml' }).end(`<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${world.idp.entityId}">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${base64}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>`);
    });
  });

  after(async function () {
    await otherMetadata?.stop();
    await world?.stop();
  });

  it('logs in when the Response verifies against the IdP certificate in --idp-certificate', async function () {
    const user = world.user('alice');
    const pem = join(user.sandbox.home, 'idp.pem');
    writeFileSync(pem, world.idp.certificatePem);
    await user.configure('signed', ['--idp-certificate', pem, '--role-arn', ADMIN]);
    await user.login('signed');
    expect(user.credentials('signed')?.awsl_role_arn).to.equal(ADMIN);
  });

  it('exits 9 naming the signature when the certificate is another one, and writes no credentials', async function () {
    const user = world.user('alice');
    const pem = join(user.sandbox.home, 'other.pem');
    writeFileSync(pem, throwawayKeyPair('not-the-idp').cert);
    await user.configure('wrong', ['--idp-certificate', pem, '--role-arn', ADMIN]);
    const result = await user.run(['login', '--profile', 'wrong', '--password-stdin'], { input: `${alice.password}\n` });
    expect(result.code, result.stderr).to.equal(9);
    expect(result.stderr).to.match(/IdP signature of the Response .* does not verify against the configured IdP certificate/);
    expect(result.stderr).to.include('awsl_idp_certificate');
    expect(user.credentials('wrong')).to.equal(undefined);
  });

  it('exits 5 naming the file when --idp-certificate holds no certificate', async function () {
    const user = world.user('alice');
    const pem = join(user.sandbox.home, 'empty.pem');
    writeFileSync(pem, 'not a certificate\n');
    await user.configure('empty', ['--idp-certificate', pem, '--role-arn', ADMIN]);
    const result = await user.run(['login', '--profile', 'empty', '--password-stdin'], { input: `${alice.password}\n` });
    expect(result.code, result.stderr).to.equal(5);
    expect(result.stderr).to.include(pem).and.to.include('no PEM certificate');
  });

  it('logs in with the certificate from --idp-metadata-url, and caches the metadata (0600 in a 0700 folder)', async function () {
    const user = world.user('alice');
    await user.configure('metadata', ['--idp-metadata-url', `${world.idp.baseUrl}/saml2/idp/metadata.php`, '--role-arn', ADMIN]);
    await user.login('metadata');
    const folder = join(user.sandbox.stateDirectory, 'idp-metadata');
    const files = readdirSync(folder);
    expect(files).to.have.length(1);
    expect(statSync(folder).mode & 0o777).to.equal(0o700);
    expect(statSync(join(folder, files[0]!)).mode & 0o777).to.equal(0o600);
    // The second login verifies against the cache: still fine.
    await user.run(['logout', '--profile', 'metadata']);
    const again = await user.run(['login', '--profile', 'metadata']);
    expect(again.code, again.stderr).to.equal(0);
  });

  it('exits 9 when the metadata names another signing certificate', async function () {
    const user = world.user('alice');
    await user.configure('other-metadata', ['--idp-metadata-url', `${otherMetadata.url}/metadata.xml`, '--role-arn', ADMIN]);
    const result = await user.run(['login', '--profile', 'other-metadata', '--password-stdin'], { input: `${alice.password}\n` });
    expect(result.code, result.stderr).to.equal(9);
    expect(result.stderr).to.match(/signature .* does not verify/);
    expect(user.credentials('other-metadata')).to.equal(undefined);
  });

  it('refuses a metadata URL that is plain http off loopback (exit 2, nothing saved)', async function () {
    const user = world.user('alice');
    const result = await user.run(['login', 'configure', '--profile', 'bad', '--provider', 'ecp', '--ecp-endpoint-url', world.idp.url,
      '--idp-metadata-url', 'http://idp.example.org/metadata', '--no-prompt']);
    expect(result.code, result.stderr).to.equal(2);
    expect(result.stderr).to.include('IdP metadata URL').and.to.include('https');
    expect(existsSync(user.sandbox.configFile)).to.equal(false);
  });
});
