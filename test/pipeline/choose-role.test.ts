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

  it('refuses a configured role the IdP does not grant, listing the granted ones', async () => {
    const error = await chooseRole({ ...base, prompter: scriptedPrompter([]), settingRoleArn: 'arn:aws:iam::999999999999:role/Gone' }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(RoleUnavailableError);
    expect((error as Error).message).to.contain('does not grant the role arn:aws:iam::999999999999:role/Gone').and.contain('ReadOnly').and.contain('Developer');
  });

  it('takes the only role without asking', async () => {
    const prompter = scriptedPrompter([]);
    expect((await chooseRole({ ...base, roles: [roles[1]!], prompter })).roleName).to.equal('Admin');
    expect(prompter.questions).to.have.length(0);
  });

  it('shows a menu grouped by account (named accounts sorted by name) and re-asks on a bad answer', async () => {
    const prompter = scriptedPrompter(['7', 'x', '3']);
    const role = await chooseRole({ ...base, accountNames: names, prompter });
    expect(formatRoleList(roles, names)).to.equal([
      'Account 111111111111', '   1) Admin    arn:aws:iam::111111111111:role/Admin', '   2) Developer    arn:aws:iam::111111111111:role/Developer',
      'Account Sandbox (222222222222)', '   3) ReadOnly    arn:aws:iam::222222222222:role/ReadOnly',
    ].join('\n'));
    expect(role.roleArn).to.equal('arn:aws:iam::222222222222:role/ReadOnly');
    expect(prompter.questions).to.deep.equal(['Role [1-3, q to quit]', 'Role [1-3, q to quit]', 'Role [1-3, q to quit]']);
    expect(prompter.said.filter((line) => line.includes('not one of the choices'))).to.have.length(2);
  });

  it('quits on q', async () => {
    const error = await chooseRole({ ...base, prompter: scriptedPrompter(['q']) }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(CancelledError);
  });

  it('gives up after five bad answers', async () => {
    const error = await chooseRole({ ...base, prompter: scriptedPrompter(['a', 'b', 'c', 'd', 'e']) }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(InvalidInputError);
  });

  it('fails at once without a terminal, naming --role-arn and the roles', async () => {
    const error = await chooseRole({ ...base, prompter: scriptedPrompter([], false) }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(NeedsTerminalError);
    expect((error as NeedsTerminalError).hint).to.contain('--role-arn').and.contain('arn:aws:iam::111111111111:role/Admin');
  });
});
