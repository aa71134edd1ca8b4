/** Role choice: --role-arn ▸ the profile's awsl_role_arn ▸ the only role ▸ a menu grouped by account. */
import { InvalidInputError, RoleUnavailableError, CancelledError } from '../errors.js';
import type { AwsRole } from '../saml/response.js';
import type { Prompter } from '../ui/prompter.js';
import { accountLabel } from '../ui/render.js';

export interface RoleChoiceRequest {
  roles: readonly AwsRole[];
  flagRoleArn: string | undefined;
  settingRoleArn: string | undefined;
  accountNames: ReadonlyMap<string, string>;
  prompter: Prompter;
  profile: string;
}

const MAX_BAD_ANSWERS = 5;

/** Accounts in label order, roles by name within each: the menu's numbering. */
export function orderRoles(roles: readonly AwsRole[], accountNames: ReadonlyMap<string, string>): AwsRole[] {
  return [...roles].sort((a, b) =>
    accountLabel(a.accountId, accountNames).localeCompare(accountLabel(b.accountId, accountNames))
    || a.accountId.localeCompare(b.accountId) || a.roleName.localeCompare(b.roleName));
}

export function formatRoleList(roles: readonly AwsRole[], accountNames: ReadonlyMap<string, string>): string {
  const lines: string[] = [];
  let account: string | undefined;
  orderRoles(roles, accountNames).forEach((role, index) => {
    if (role.accountId !== account) {
      account = role.accountId;
      lines.push(`Account ${accountLabel(role.accountId, accountNames)}`);
    }
    lines.push(`  ${String(index + 1).padStart(2)}) ${role.roleName}    ${role.roleArn}`);
  });
  return lines.join('\n');
}

export async function chooseRole(request: RoleChoiceRequest): Promise<AwsRole> {
  const { roles, accountNames } = request;
  const wanted = request.flagRoleArn ?? request.settingRoleArn;
  if (wanted) {
    const match = roles.find((role) => role.roleArn === wanted);
    if (match) return match;
    throw new RoleUnavailableError(`The IdP does not grant the role ${wanted}. It grants:\n${formatRoleList(roles, accountNames)}`,
      `Pick one with awsl login --role-arn ARN, or save it: awsl login configure --profile ${request.profile} --role-arn ARN`);
  }
  if (roles.length === 1) return roles[0]!;
  const ordered = orderRoles(roles, accountNames);
  const hint = `Choose a role with --role-arn, or save one: awsl login configure --profile ${request.profile} --role-arn ARN. The IdP grants:\n${formatRoleList(roles, accountNames)}`;
  if (!request.prompter.interactive) {
    await request.prompter.ask('Role', { unattendedHint: hint });
  }
  request.prompter.say(formatRoleList(roles, accountNames));
  for (let bad = 0; bad < MAX_BAD_ANSWERS; bad += 1) {
    const answer = (await request.prompter.ask(`Role [1-${ordered.length}, q to quit]`, { unattendedHint: hint })).trim();
    if (answer.toLowerCase() === 'q') throw new CancelledError('No role chosen.');
    const index = /^\d+$/.test(answer) ? Number(answer) - 1 : -1;
    const chosen = ordered[index];
    if (chosen) return chosen;
    request.prompter.say(`"${answer}" is not one of the choices; type a number from 1 to ${ordered.length}, or q to quit.`);
  }
  throw new InvalidInputError('Too many answers that were not a role number.', hint);
}
