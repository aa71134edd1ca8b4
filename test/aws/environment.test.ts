import { execFileSync } from 'node:child_process';
import { expect } from 'chai';
import { childEnvironment, credentialVariables, dotenvQuote, fishQuote, formatEnvironment, powershellQuote, profileEnvironment, resolveRegion, shQuote } from '../../src/aws/environment.js';

const credentials = { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: "se'cr\"et$x`y\\z", sessionToken: 'tok+/=', expiration: new Date('2030-01-02T03:04:05.000Z'), roleArn: '' };

describe('aws/environment', function () {
  it('names the variables, the region under both names only when known', function () {
    expect(credentialVariables(credentials, 'eu-west-1')).to.deep.equal({
      AWS_ACCESS_KEY_ID: 'ASIAEXAMPLE', AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey, AWS_SESSION_TOKEN: 'tok+/=',
      AWS_CREDENTIAL_EXPIRATION: '2030-01-02T03:04:05Z', AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'eu-west-1',
    });
    expect(credentialVariables(credentials, undefined)).not.to.have.any.keys('AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_ACCOUNT_ID');
  });

  it('names the role\'s account in AWS_ACCOUNT_ID (botocore\'s account-based endpoints), after the expiration', function () {
    const variables = credentialVariables({ ...credentials, roleArn: 'arn:aws-us-gov:iam::123456789012:role/team/Admin' }, 'us-gov-west-1');
    expect(Object.keys(variables)).to.deep.equal(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_CREDENTIAL_EXPIRATION', 'AWS_ACCOUNT_ID', 'AWS_REGION', 'AWS_DEFAULT_REGION']);
    expect(variables.AWS_ACCOUNT_ID).to.equal('123456789012');
  });

  it('takes the region from the environment before the profile', function () {
    expect(resolveRegion({ AWS_REGION: 'a', AWS_DEFAULT_REGION: 'b' }, 'c')).to.equal('a');
    expect(resolveRegion({ AWS_DEFAULT_REGION: 'b' }, 'c')).to.equal('b');
    expect(resolveRegion({}, 'c')).to.equal('c');
    expect(resolveRegion({}, undefined)).to.equal(undefined);
  });

  it('a child environment drops the profile selectors; the pass-through one drops credentials instead', function () {
    const base = { PATH: '/bin', AWS_PROFILE: 'x', AWS_DEFAULT_PROFILE: 'y', AWS_ACCESS_KEY_ID: 'old', AWS_SECURITY_TOKEN: 'old', AWS_ACCOUNT_ID: '999999999999' };
    const child = childEnvironment(base, credentialVariables(credentials, undefined));
    expect(child).to.include({ PATH: '/bin', AWS_ACCESS_KEY_ID: 'ASIAEXAMPLE' }).and.not.have.any.keys('AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_SECURITY_TOKEN', 'AWS_ACCOUNT_ID');
    const passThrough = profileEnvironment(base, 'prod');
    expect(passThrough).to.deep.equal({ PATH: '/bin', AWS_PROFILE: 'prod' });
  });

  it('sh lines read back exactly in sh, whatever the characters', function () {
    const tricky = { ...credentialVariables(credentials, 'eu-west-1'), AWS_SESSION_TOKEN: "a'b\"c $HOME `id` \\n\nnewline" };
    const text = formatEnvironment(tricky, 'sh');
    const out = execFileSync('/bin/sh', ['-c', `${text}\nprintf '%s\\0' "$AWS_SECRET_ACCESS_KEY" "$AWS_SESSION_TOKEN" "\${AWS_PROFILE-unset}"`], { encoding: 'utf8', env: { AWS_PROFILE: 'x' } });
    expect(out.split('\0').slice(0, 3)).to.deep.equal([credentials.secretAccessKey, tricky.AWS_SESSION_TOKEN, 'unset']);
  });

  it('quotes for fish, PowerShell and dotenv by their rules', function () {
    expect(shQuote("it's")).to.equal(`'it'\\''s'`);
    expect(fishQuote("a'b\\c")).to.equal(`'a\\'b\\\\c'`);
    expect(powershellQuote("it's \u2019x")).to.equal(`'it''s \u2019\u2019x'`);
    expect(dotenvQuote('ASIA+/=')).to.equal('ASIA+/=');
    expect(dotenvQuote('a b')).to.equal(`'a b'`);
    expect(dotenvQuote("it's\n")).to.equal(`"it's\\n"`);
    const fish = formatEnvironment(credentialVariables(credentials, undefined), 'fish');
    expect(fish.split('\n')[0]).to.equal('set -e AWS_PROFILE AWS_DEFAULT_PROFILE 2>/dev/null');
    expect(fish).to.include(`set -gx AWS_SECRET_ACCESS_KEY 'se\\'cr"et$x\`y\\\\z'\n`);
    const powershell = formatEnvironment(credentialVariables(credentials, undefined), 'powershell');
    expect(powershell).to.include(`$Env:AWS_SECRET_ACCESS_KEY = 'se''cr"et$x\`y\\z'\n`);
    expect(JSON.parse(formatEnvironment(credentialVariables(credentials, undefined), 'json'))).to.include({ AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey });
    expect(formatEnvironment(credentialVariables(credentials, undefined), 'bash')).to.equal(formatEnvironment(credentialVariables(credentials, undefined), 'sh'));
  });
});
