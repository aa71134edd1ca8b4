/** Role choice: --role-arn ▸ the profile's awsl_role_arn ▸ the only role ▸ a menu grouped by account. */
import { InvalidInputError, RoleUnavailableError, CancelledError } from '../errors.js';
import type { AwsRole } from '../saml/response.js';
import type { Prompter } from '../ui/prompter.js';
import { formatMenuRows, readMenuAnswer, type MenuRow } from '../ui/role-menu-view.js';
import { accountLabel } from '../ui/render.js';

export interface RoleChoiceRequest {
  roles: readonly AwsRole[];
  flagRoleArn: string | undefined;
  settingRoleArn: string | undefined;
  accountNames: ReadonlyMap<string, string>;
  prompter: Prompter;
  profile: string;
  /** The role of the profile's still-valid credentials: marked with * in the menu. */
  currentRoleArn?: string;
}

const MAX_BAD_ANSWERS = 5;

/** Accounts in label order, roles by name within each: the menu's numbering. */
export function orderRoles(roles: readonly AwsRole[], accountNames: ReadonlyMap<string, string>): AwsRole[] {
  return [...roles].sort((a, b) =>
    accountLabel(a.accountId, accountNames).localeCompare(accountLabel(b.accountId, accountNames))
    || a.accountId.localeCompare(b.accountId) || a.roleName.localeCompare(b.roleName));
}

/** The granted roles as a list, without numbers (for messages) or with the menu's. */
export function formatRoleList(roles: readonly AwsRole[], accountNames: ReadonlyMap<string, string>, options: { numbers?: boolean } = {}): string {
  return formatMenuRows(numbered(roles, accountNames), (id) => accountLabel(id, accountNames), options);
}

function numbered(roles: readonly AwsRole[], accountNames: ReadonlyMap<string, string>): MenuRow[] {
  return orderRoles(roles, accountNames).map((role, index) => ({ number: index + 1, role }));
}

/** Up to this many roles the whole menu is shown at once; beyond, typing narrows it first. */
export const FULL_MENU_MAX_ROLES = 30;

export async function chooseRole(request: RoleChoiceRequest): Promise<AwsRole> {
  const { roles, accountNames, prompter } = request;
  const wanted = request.flagRoleArn ?? request.settingRoleArn;
  const label = (id: string) => accountLabel(id, accountNames);
  if (wanted) {
    // --role-arn also takes a role's name; several granted roles with it is no choice.
    const byName = wanted.startsWith('arn:') ? [] : roles.filter((role) => role.roleName.toLowerCase() === wanted.toLowerCase());
    const match = roles.find((role) => role.roleArn === wanted) ?? (byName.length === 1 ? byName[0] : undefined);
    if (match) return match;
    const problem = byName.length > 1
      ? `The IdP grants ${byName.length} roles named ${wanted}, in accounts ${byName.map((role) => label(role.accountId)).join(', ')}.`
      : `The IdP does not grant the role ${wanted}.`;
    const fix = `Pick one with awsl login --role-arn ARN, or save it: awsl login configure --profile ${request.profile} --role-arn ARN`;
    if (!prompter.interactive || roles.length === 0) {
      throw new RoleUnavailableError(`${problem} It grants:\n${formatRoleList(roles, accountNames, { numbers: false })}`, fix);
    }
    prompter.say(`${problem} Choose one of the roles it grants (${fix.replace(/^Pick one with /, 'or use ')}).`);
  } else if (roles.length === 1) {
    return roles[0]!;
  }
  const rows = numbered(roles, accountNames);
  const hint = `Choose a role with --role-arn, or save one: awsl login configure --profile ${request.profile} --role-arn ARN. The IdP grants:\n${formatRoleList(roles, accountNames, { numbers: false })}`;
  if (!prompter.interactive) await prompter.ask('Role', { unattendedHint: hint });
  const accounts = new Set(roles.map((role) => role.accountId)).size;
  const current = roles.some((role) => role.roleArn === request.currentRoleArn) ? request.currentRoleArn : undefined;
  const menu = (shown: readonly MenuRow[], total?: number) => formatMenuRows(shown, label, { total, current })
    + (current && shown.some((row) => row.role.roleArn === current) ? '\n* the role you are logged in as now' : '');
  if (rows.length <= FULL_MENU_MAX_ROLES) prompter.say(menu(rows));
  else prompter.say(`The IdP grants ${rows.length} roles in ${accounts} accounts. Type part of an account or role name to narrow the list, ? to see it all.`);
  const question = `Role [1-${rows.length}, name or prefix, q to quit]`;
  for (let bad = 0; bad < MAX_BAD_ANSWERS;) {
    const answer = readMenuAnswer(await prompter.ask(question, { unattendedHint: hint }), rows, label);
    if (answer.kind === 'chosen') return answer.role;
    if (answer.kind === 'quit') throw new CancelledError('No role chosen.');
    if (answer.kind === 'list-all') prompter.say(menu(rows));
    else if (answer.kind === 'narrowed') prompter.say(menu(answer.rows, rows.length));
    else {
      bad += 1;
      prompter.say(`No role matches that; type a number from 1 to ${rows.length}, part of an account or role name, ? to list all, or q to quit.`);
    }
  }
  throw new InvalidInputError('Too many answers that matched no role.', hint);
}
