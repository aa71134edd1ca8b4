import { expect } from 'chai';
import { parseRoleArn, partitionOfRegionName } from '../../src/aws/arn.js';

describe('aws/arn', function () {
  it('reads the partition, account and role name (with its path) of a role ARN in each partition', function () {
    expect(parseRoleArn('arn:aws:iam::111111111111:role/Admin')).to.deep.equal({ partition: 'aws', accountId: '111111111111', roleName: 'Admin' });
    expect(parseRoleArn('arn:aws-cn:iam::222222222222:role/team/Dev')).to.deep.equal({ partition: 'aws-cn', accountId: '222222222222', roleName: 'team/Dev' });
    expect(parseRoleArn('arn:aws-us-gov:iam::333333333333:role/GovAdmin')?.partition).to.equal('aws-us-gov');
  });

  it('is undefined for anything that is not a role ARN', function () {
    for (const arn of [undefined, '', 'arn:aws:iam::111111111111:saml-provider/idp', 'arn:aws:iam::1111:role/Short', 'arn:aws-iso:iam::111111111111:role/Admin', 'arn:aws:iam::111111111111:role/']) {
      expect(parseRoleArn(arn), String(arn)).to.equal(undefined);
    }
  });

  it('takes the partition of a region from its name: cn-* is aws-cn, us-gov-* is aws-us-gov, any other (or none) aws', function () {
    expect(['cn-north-1', 'cn-northwest-1', 'us-gov-west-1', 'us-east-1', 'eu-west-1', undefined].map(partitionOfRegionName))
      .to.deep.equal(['aws-cn', 'aws-cn', 'aws-us-gov', 'aws', 'aws', 'aws']);
  });
});
