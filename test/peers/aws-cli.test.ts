/** Smoke test of the AWS CLI v2 and moto peers, and of the one path through them that later tests build on. */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import { expect } from 'chai';
import { requirePeer } from '../support/peers.js';
import { available as awsCliAvailable, awsCli } from './aws-cli.js';
import { available as motoAvailable, startMoto, type Moto } from './moto.js';
import { makeTempDir } from './process.js';
import { available as simpleSamlPhpAvailable, SIMPLESAMLPHP_USERS, startSimpleSamlPhp } from './simplesamlphp/index.js';

describe('peer: AWS CLI v2 and moto', function () {
  let env: NodeJS.ProcessEnv;

  before(async function () {
    requirePeer(this, awsCliAvailable(), 'AWS CLI v2 at /usr/bin/aws (Debian awscli)');
    const dir = (await makeTempDir('aws-cli')).path;
    env = { AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials') };
    await writeFile(env.AWS_CONFIG_FILE as string, '[default]\nregion = eu-west-1\n\n[profile dev]\nregion = us-east-2\nawsl_provider = ecp\n');
    await writeFile(env.AWS_SHARED_CREDENTIALS_FILE as string, '[dev]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n');
  });

  it('is version 2', async function () {
    const result = await awsCli(['--version']);
    expect(result.code).to.equal(0);
    expect(result.stdout).to.match(/^aws-cli\/2\./);
  });

  it('reads settings from AWS_CONFIG_FILE: [default], [profile NAME] and keys of our own', async function () {
    expect(await awsCli(['configure', 'get', 'region'], env)).to.include({ code: 0, stdout: 'eu-west-1\n' });
    expect(await awsCli(['configure', 'get', 'region', '--profile', 'dev'], env)).to.include({ code: 0, stdout: 'us-east-2\n' });
    expect(await awsCli(['configure', 'get', 'awsl_provider', '--profile', 'dev'], env)).to.include({ code: 0, stdout: 'ecp\n' });
  });

  it('reads keys from AWS_SHARED_CREDENTIALS_FILE, where a profile is [NAME]', async function () {
    expect(await awsCli(['configure', 'get', 'aws_access_key_id', '--profile', 'dev'], env)).to.include({ code: 0, stdout: 'AKIAIOSFODNN7EXAMPLE\n' });
  });

  it('exits 1 with no output for a setting that is not there', async function () {
    expect(await awsCli(['configure', 'get', 'awsl_provider'], env)).to.include({ code: 1, stdout: '' });
  });

  describe('against moto', function () {
    let moto: Moto;

    before(async function () {
      requirePeer(this, motoAvailable(), 'moto_server (pip install "moto[server]")');
      moto = await startMoto();
    });

    after(async function () {
      await moto?.stop();
    });

    it('sts get-caller-identity works with static keys from the credentials file', async function () {
      const result = await awsCli(['sts', 'get-caller-identity', '--profile', 'dev', '--endpoint-url', moto.url, '--output', 'json'], env);
      expect(result.code, result.stderr).to.equal(0);
      const identity = JSON.parse(result.stdout) as { Account: string; Arn: string };
      expect(identity.Account).to.match(/^\d{12}$/);
      expect(identity.Arn).to.match(/^arn:aws:(iam|sts)::\d{12}:/);
    });

    it('sts assume-role-with-saml accepts a real SimpleSAMLphp assertion for a one-role user', async function () {
      requirePeer(this, simpleSamlPhpAvailable(), 'SimpleSAMLphp (Debian simplesamlphp + php-cli)');
      const idp = await startSimpleSamlPhp();
      try {
        const { bob } = SIMPLESAMLPHP_USERS;
        const assertion = await ecpLogin(idp.url, bob.username, bob.password);
        const [role] = bob.roles;
        const result = await awsCli(['sts', 'assume-role-with-saml', '--endpoint-url', moto.url, '--region', 'us-east-1', '--no-sign-request', '--output', 'json',
          '--role-arn', role?.roleArn ?? '', '--principal-arn', role?.principalArn ?? '', '--saml-assertion', assertion], env);
        expect(result.code, result.stderr).to.equal(0);
        const { Credentials: credentials, AssumedRoleUser: user } = JSON.parse(result.stdout) as { Credentials: Record<string, string>; AssumedRoleUser: { Arn: string } };
        expect(credentials).to.include.keys('AccessKeyId', 'SecretAccessKey', 'SessionToken', 'Expiration');
        expect(user.Arn).to.contain(bob.roleSessionName);
      } finally {
        await idp.stop();
      }
    });
  });
});

/** The base64 samlp:Response of an ECP login, as awsl would send it to STS. */
async function ecpLogin(url: string, username: string, password: string): Promise<string> {
  const envelope = `<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body><samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_${randomBytes(16).toString('hex')}" Version="2.0" IssueInstant="${new Date().toISOString()}" ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:PAOS" AssertionConsumerServiceURL="https://signin.aws.amazon.com/saml"><saml:Issuer>urn:amazon:webservices</saml:Issuer></samlp:AuthnRequest></S:Body></S:Envelope>`;
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'text/xml', authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` },
    body: envelope,
  });
  const document = new DOMParser().parseFromString(await response.text(), 'text/xml');
  const samlResponse = document.getElementsByTagNameNS('urn:oasis:names:tc:SAML:2.0:protocol', 'Response')[0];
  if (!samlResponse) throw new Error(`No samlp:Response from ${url}`);
  return Buffer.from(new XMLSerializer().serializeToString(samlResponse)).toString('base64');
}
