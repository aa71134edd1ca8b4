import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { MAX_POLICY_CHARACTERS, parsePolicyArns, readPolicyFile } from '../../src/aws/session-policy.js';
import { FileUnreadableError, InvalidInputError } from '../../src/errors.js';

async function refusal(promise: Promise<unknown>): Promise<FileUnreadableError> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(FileUnreadableError);
    return error as FileUnreadableError;
  }
  return expect.fail('expected the policy file to be refused');
}

describe('aws/session-policy', () => {
  let dir: string;
  const file = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'awsl-policy-'));
  });

  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  describe('parsePolicyArns', () => {
    it('reads comma-separated AWS-managed and customer-managed policy ARNs of every partition', () => {
      expect(parsePolicyArns(' arn:aws:iam::aws:policy/ReadOnlyAccess , arn:aws-cn:iam::123456789012:policy/team/a/Narrow,,')).to.deep.equal([
        'arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws-cn:iam::123456789012:policy/team/a/Narrow',
      ]);
      expect(parsePolicyArns('')).to.deep.equal([]);
    });

    it('refuses what is not a policy ARN, naming it, and more than 10', () => {
      for (const wrong of ['arn:aws:iam::123456789012:role/Admin', 'arn:aws:iam::12345:policy/P', 'ReadOnlyAccess', 'arn:aws:s3:::bucket/policy/x']) {
        expect(() => parsePolicyArns(`arn:aws:iam::aws:policy/ReadOnlyAccess,${wrong}`), wrong).to.throw(InvalidInputError, `"${wrong}" is not an IAM managed policy ARN`);
      }
      const eleven = Array.from({ length: 11 }, (_, index) => `arn:aws:iam::123456789012:policy/P${index}`).join(',');
      expect(() => parsePolicyArns(eleven)).to.throw(InvalidInputError, '11 session policy ARNs given; STS takes at most 10');
    });
  });

  describe('readPolicyFile', () => {
    it('compacts the JSON, so indentation does not count against the 2,048 characters', async () => {
      const document = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::bucket/*' }] };
      const pretty = file('pretty.json', JSON.stringify(document, null, 8).replace(/\n/g, '\r\n'));
      expect(await readPolicyFile(pretty)).to.equal(JSON.stringify(document));
    });

    it('takes exactly 2,048 characters and refuses one more, saying how long it is', async () => {
      const shell = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '' }] });
      const fits = file('fits.json', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'x'.repeat(MAX_POLICY_CHARACTERS - shell.length) }] }));
      expect(await readPolicyFile(fits)).to.have.length(MAX_POLICY_CHARACTERS);
      const over = file('over.json', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'x'.repeat(MAX_POLICY_CHARACTERS - shell.length + 1) }] }));
      expect((await refusal(readPolicyFile(over))).message).to.equal(`${over}: is 2049 characters without white space; STS takes at most 2048`);
    });

    it('refuses a missing file, JSON that is not an object, broken JSON and characters STS refuses', async () => {
      expect((await refusal(readPolicyFile(join(dir, 'missing.json')))).message).to.match(/missing\.json: cannot read the session policy \(ENOENT/);
      expect((await refusal(readPolicyFile(file('array.json', '[]')))).message).to.include('is not a JSON object');
      expect((await refusal(readPolicyFile(file('broken.json', '{"Version": ')))).message).to.include('is not JSON');
      const emoji = await refusal(readPolicyFile(file('emoji.json', '{"Version":"2012-10-17","Sid":"✓"}')));
      expect(emoji.message).to.include('holds characters STS does not accept');
      expect(await readPolicyFile(file('latin1.json', '{"Sid":"café"}'))).to.equal('{"Sid":"café"}');
    });
  });
});
