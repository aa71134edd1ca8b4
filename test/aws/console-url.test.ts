import { expect } from 'chai';
import { consoleDestination, federationEndpoint, loginUrl, partitionHosts, signinTokenRequestUrl } from '../../src/aws/console-url.js';
import { FEDERATION_URL_VARIABLE, tokenEndpoint } from '../../src/aws/federation.js';
import { InvalidInputError } from '../../src/errors.js';

const credentials = { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'se/cr+et=', sessionToken: 'to&ken==' };

describe('aws/console-url', function () {
  describe('partitions', function () {
    it('has the sign-in and console hosts of aws, aws-us-gov and aws-cn', function () {
      expect(partitionHosts('aws')).to.deep.equal({ signin: 'signin.aws.amazon.com', console: 'console.aws.amazon.com' });
      expect(partitionHosts('aws-us-gov')).to.deep.equal({ signin: 'signin.amazonaws-us-gov.com', console: 'console.amazonaws-us-gov.com' });
      expect(partitionHosts('aws-cn')).to.deep.equal({ signin: 'signin.amazonaws.cn', console: 'console.amazonaws.cn' });
      expect(federationEndpoint('aws-cn')).to.equal('https://signin.amazonaws.cn/federation');
    });
  });

  describe('consoleDestination', function () {
    const cases: Array<[Parameters<typeof consoleDestination>[0], string]> = [
      [{ partition: 'aws' }, 'https://console.aws.amazon.com/'],
      [{ partition: 'aws', region: 'eu-west-1' }, 'https://eu-west-1.console.aws.amazon.com/?region=eu-west-1'],
      [{ partition: 'aws', region: 'us-east-1', service: 's3' }, 'https://us-east-1.console.aws.amazon.com/s3/home?region=us-east-1'],
      [{ partition: 'aws', service: 'EC2' }, 'https://console.aws.amazon.com/ec2/home'],
      [{ partition: 'aws', region: 'us-west-2', path: '/ec2/home#Instances:sort=desc' }, 'https://us-west-2.console.aws.amazon.com/ec2/home?region=us-west-2#Instances:sort=desc'],
      [{ partition: 'aws', region: 'us-west-2', path: '/cloudwatch/home?a=b%20c' }, 'https://us-west-2.console.aws.amazon.com/cloudwatch/home?a=b%20c&region=us-west-2'],
      [{ partition: 'aws', region: 'us-west-2', path: '/s3/home?region=eu-west-1' }, 'https://us-west-2.console.aws.amazon.com/s3/home?region=eu-west-1'],
      [{ partition: 'aws-us-gov' }, 'https://console.amazonaws-us-gov.com/'],
      [{ partition: 'aws-us-gov', region: 'us-gov-east-1', service: 'iam' }, 'https://console.amazonaws-us-gov.com/iam/home?region=us-gov-east-1'],
      [{ partition: 'aws-cn' }, 'https://console.amazonaws.cn/'],
      [{ partition: 'aws-cn', region: 'cn-northwest-1', service: 's3' }, 'https://console.amazonaws.cn/s3/home?region=cn-northwest-1'],
      [{ partition: 'aws-cn', region: 'cn-north-1', path: '/ec2/v2/home' }, 'https://console.amazonaws.cn/ec2/v2/home?region=cn-north-1'],
    ];
    for (const [request, expected] of cases) {
      it(`${JSON.stringify(request)} → ${expected}`, function () {
        expect(consoleDestination(request)).to.equal(expected);
      });
    }

    it('refuses a region of another partition, bad names, paths and both service and path', function () {
      const refused = [
        { partition: 'aws-cn', region: 'us-east-1' },
        { partition: 'aws', region: 'cn-north-1' },
        { partition: 'aws', region: 'us-gov-west-1' },
        { partition: 'aws', region: 'moon-1' },
        { partition: 'aws', service: 's3 buckets' },
        { partition: 'aws', service: '../iam' },
        { partition: 'aws', path: 'ec2/home' },
        { partition: 'aws', path: '//evil.example/' },
        { partition: 'aws', path: '/a b' },
        { partition: 'aws', service: 's3', path: '/s3/home' },
      ] as const;
      for (const request of refused) {
        expect(() => consoleDestination(request), JSON.stringify(request)).to.throw(InvalidInputError);
      }
    });
  });

  describe('federation requests', function () {
    it('getSigninToken carries the session JSON with AWS\'s three keys, and SessionDuration only when asked', function () {
      const url = new URL(signinTokenRequestUrl('https://signin.aws.amazon.com/federation', credentials));
      expect([...url.searchParams.keys()]).to.deep.equal(['Action', 'Session']);
      expect(url.searchParams.get('Action')).to.equal('getSigninToken');
      expect(url.searchParams.get('Session')).to.equal('{"sessionId":"ASIAEXAMPLE","sessionKey":"se/cr+et=","sessionToken":"to&ken=="}');
      const withDuration = new URL(signinTokenRequestUrl('https://signin.amazonaws.cn/federation', credentials, 43200));
      expect(withDuration.origin).to.equal('https://signin.amazonaws.cn');
      expect(withDuration.searchParams.get('SessionDuration')).to.equal('43200');
      expect(() => signinTokenRequestUrl('https://signin.aws.amazon.com/federation', credentials, 899)).to.throw(InvalidInputError);
      expect(() => signinTokenRequestUrl('https://signin.aws.amazon.com/federation', credentials, 43201)).to.throw(InvalidInputError);
    });

    it('the login URL encodes the destination and the token', function () {
      const text = loginUrl('https://signin.amazonaws.cn/federation', 'https://console.amazonaws.cn/s3/home?region=cn-north-1#x', 'tok+en/=');
      expect(text).to.equal('https://signin.amazonaws.cn/federation?Action=login&Issuer=awsl&Destination=https%3A%2F%2Fconsole.amazonaws.cn%2Fs3%2Fhome%3Fregion%3Dcn-north-1%23x&SigninToken=tok%2Ben%2F%3D');
      const url = new URL(text);
      expect(url.searchParams.get('Destination')).to.equal('https://console.amazonaws.cn/s3/home?region=cn-north-1#x');
      expect(url.searchParams.get('SigninToken')).to.equal('tok+en/=');
    });

    it(`${FEDERATION_URL_VARIABLE} replaces the token endpoint: https, or http on loopback only`, function () {
      expect(tokenEndpoint('aws-us-gov', {})).to.equal('https://signin.amazonaws-us-gov.com/federation');
      expect(tokenEndpoint('aws', { [FEDERATION_URL_VARIABLE]: 'http://127.0.0.1:9/federation' })).to.equal('http://127.0.0.1:9/federation');
      expect(tokenEndpoint('aws', { [FEDERATION_URL_VARIABLE]: 'https://proxy.example/federation' })).to.equal('https://proxy.example/federation');
      expect(() => tokenEndpoint('aws', { [FEDERATION_URL_VARIABLE]: 'http://proxy.example/federation' })).to.throw(InvalidInputError);
    });
  });
});
