import { expect } from 'chai';
import { CancelledError, InvalidInputError, NeedsTerminalError, RoleUnavailableError } from '../../src/errors.js';
import { chooseRole, formatRoleList } from '../../src/pipeline/choose-role.js';
import { parseRoleValue } from '../../src/saml/response.js';
import { scriptedPrompter } from '../support/scripted-prompter.js';

const roles = [
  parseRoleValue('arn:aws:iam::222222222222:role/ReadOnly,arn:aws:iam::222222222222:saml-provider/idp'),
  parseRoleValue('arn:aws:iam::111111111111:role/Admin,arn:aws:iam::111111111111:saml-provider/idp'),
  parseRoleValue('arn:aws:iam::111111111111:saml-provider/idp,arn:aws:iam::111111111111:role/Developer'),
];
const names = new Map([['222222222222', 'Sandbox']]);
const base = { roles, flagRoleArn: undefined, settingRoleArn: undefined, accountNames: new Map<string, string>(), profile: 'p' };

describe('pipeline/choose-role', () => {
  it('takes --role-arn over the profile setting', async () => {
    const prompter = scriptedPrompter([]);
    const role = await chooseRole({ ...base, prompter, flagRoleArn: roles[0]!.roleArn, settingRoleArn: roles[1]!.roleArn });
    expect(role.roleArn).to.equal(roles[0]!.roleArn);
    expect(prompter.questions).to.deep.equal([]);
  });

  it('--role-arn takes a role name (any case) that is unique among the granted roles, without asking', async () => {
    const prompter = scriptedPrompter([], false);
    expect((await chooseRole({ ...base, prompter, flagRoleArn: 'developer' })).roleArn).to.equal('arn:aws:iam::111111111111:role/Developer');
  });

  it('--role-arn with a name two accounts share is no choice: refused without a terminal naming both accounts, a menu on one', async () => {
    const twice = [...roles, parseRoleValue('arn:aws:iam::333333333333:role/Admin,arn:aws:iam::333333333333:saml-provider/idp')];
    const error = await chooseRole({ ...base, roles: twice, prompter: scriptedPrompter([], false), flagRoleArn: 'Admin' }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(RoleUnavailableError);
    expect((error as Error).message).to.match(/^The IdP grants 2 roles named Admin, in accounts 111111111111, 333333333333\. It grants:/);
    const prompter = scriptedPrompter(['4']);
    expect((await chooseRole({ ...base, roles: twice, prompter, flagRoleArn: 'Admin' })).roleArn).to.equal('arn:aws:iam::333333333333:role/Admin');
    expect(prompter.said[0]).to.match(/^The IdP grants 2 roles named Admin, in accounts 111111111111, 333333333333\. Choose one/);
  });

  it('refuses a configured role the IdP does not grant without a terminal, listing the granted ones without numbers', async () => {
    const error = await chooseRole({ ...base, prompter: scriptedPrompter([], false), settingRoleArn: 'arn:aws:iam::999999999999:role/Gone' }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(RoleUnavailableError);
    expect((error as Error).message).to.contain('does not grant the role arn:aws:iam::999999999999:role/Gone').and.contain('ReadOnly').and.contain('Developer');
    expect((error as Error).message).not.to.match(/\d\) /);
  });

  it('on a terminal, offers the granted roles when the configured one is not granted', async () => {
    const prompter = scriptedPrompter(['admin']);
    const role = await chooseRole({ ...base, prompter, settingRoleArn: 'arn:aws:iam::999999999999:role/Gone' });
    expect(role.roleName).to.equal('Admin');
    expect(prompter.said[0]).to.match(/^The IdP does not grant the role arn:aws:iam::999999999999:role\/Gone\. Choose one/);
  });

  it('takes the only role without asking', async () => {
    const prompter = scriptedPrompter([]);
    expect((await chooseRole({ ...base, roles: [roles[1]!], prompter })).roleName).to.equal('Admin');
    expect(prompter.questions).to.have.length(0);
  });

  it('shows a menu grouped by account (named accounts sorted by name), names aligned across accounts, and re-asks on a bad answer', async () => {
    const prompter = scriptedPrompter(['7', 'zz', '3']);
    const role = await chooseRole({ ...base, accountNames: names, prompter });
    expect(formatRoleList(roles, names)).to.equal([
      'Account 111111111111', '  1) Admin      arn:aws:iam::111111111111:role/Admin', '  2) Developer  arn:aws:iam::111111111111:role/Developer',
      'Account Sandbox (222222222222)', '  3) ReadOnly   arn:aws:iam::222222222222:role/ReadOnly',
    ].join('\n'));
    expect(role.roleArn).to.equal('arn:aws:iam::222222222222:role/ReadOnly');
    expect(prompter.questions).to.deep.equal(Array(3).fill('Role [1-3, name or prefix, q to quit]'));
    expect(prompter.said.filter((line) => line.startsWith('No role matches that'))).to.have.length(2);
  });

  for (const [answer, expected] of [['ReadOnly', 'ReadOnly'], ['readonly', 'ReadOnly'], ['dev', 'Developer'], ['arn:aws:iam::111111111111:role/Admin', 'Admin']] as [string, string][]) {
    it(`chooses by name, unambiguous prefix or ARN: "${answer}"`, async () => {
      expect((await chooseRole({ ...base, prompter: scriptedPrompter([answer]) })).roleName).to.equal(expected);
    });
  }

  it('narrows the list on an ambiguous answer, keeping the numbers, then takes a number', async () => {
    const twoAdmins = [...roles, parseRoleValue('arn:aws:iam::333333333333:role/Admin,arn:aws:iam::333333333333:saml-provider/idp')];
    const prompter = scriptedPrompter(['Admin', '4']);
    const role = await chooseRole({ ...base, roles: twoAdmins, prompter });
    expect(role.roleArn).to.equal('arn:aws:iam::333333333333:role/Admin');
    expect(prompter.said[1]).to.equal(['Account 111111111111', '  1) Admin  arn:aws:iam::111111111111:role/Admin', 'Account 333333333333', '  4) Admin  arn:aws:iam::333333333333:role/Admin'].join('\n'));
  });

  describe('with 300 roles over 60 accounts', () => {
    const ROLE_NAMES = ['Admin', 'Billing', 'Developer', 'ReadOnly', 'SecurityAudit'];
    const many = Array.from({ length: 60 }, (_, account) => ROLE_NAMES.map((name) => {
      const id = String(100000000000 + account);
      return parseRoleValue(`arn:aws:iam::${id}:role/${name},arn:aws:iam::${id}:saml-provider/idp`);
    })).flat();
    const accountNames = new Map(many.map((role) => [role.accountId, `team-${role.accountId.slice(-2)}`]));

    it('does not print 360 lines: it says how many, and typing narrows the list to what matches', async () => {
      const prompter = scriptedPrompter(['team-07', 'sec']);
      await chooseRole({ ...base, roles: many, accountNames, prompter }).then(
        () => expect.fail('"sec" matches one role per account: nothing is chosen yet'),
        () => undefined,
      );
      expect(prompter.said[0]).to.equal('The IdP grants 300 roles in 60 accounts. Type part of an account or role name to narrow the list, ? to see it all.');
      expect(prompter.said[1]!.split('\n')).to.deep.equal([
        'Account team-07 (100000000007)',
        '   36) Admin          arn:aws:iam::100000000007:role/Admin',
        '   37) Billing        arn:aws:iam::100000000007:role/Billing',
        '   38) Developer      arn:aws:iam::100000000007:role/Developer',
        '   39) ReadOnly       arn:aws:iam::100000000007:role/ReadOnly',
        '   40) SecurityAudit  arn:aws:iam::100000000007:role/SecurityAudit',
      ]);
      expect(prompter.said[2]!.split('\n')).to.have.length(120);
    });

    it('takes a number from the narrowed list, and ? lists all 300', async () => {
      const prompter = scriptedPrompter(['?', 'team-07', '38']);
      const role = await chooseRole({ ...base, roles: many, accountNames, prompter });
      expect(role.roleArn).to.equal('arn:aws:iam::100000000007:role/Developer');
      expect(prompter.said[1]!.split('\n')).to.have.length(360);
    });
  });

  it('quits on q', async () => {
    const error = await chooseRole({ ...base, prompter: scriptedPrompter(['q']) }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(CancelledError);
  });

  it('gives up after five bad answers', async () => {
    const error = await chooseRole({ ...base, prompter: scriptedPrompter(['zz1', 'zz2', 'zz3', 'zz4', 'zz5']) }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(InvalidInputError);
  });

  it('fails at once without a terminal, naming --role-arn and the roles', async () => {
    const error = await chooseRole({ ...base, prompter: scriptedPrompter([], false) }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(NeedsTerminalError);
    expect((error as NeedsTerminalError).hint).to.contain('--role-arn').and.contain('arn:aws:iam::111111111111:role/Admin');
  });
});
