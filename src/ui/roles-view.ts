/** How `awsl roles` reads on the terminal: roles grouped by account, the profile's own marked. */
import { accountLabel } from './render.js';
import type { AwsRole } from '../saml/response.js';

/** Roles in the order given (accounts already grouped), names aligned, the configured role marked with *. */
export function formatGrantedRoles(roles: readonly AwsRole[], accountNames: ReadonlyMap<string, string>, configuredRoleArn?: string): string {
  const width = Math.max(0, ...roles.map((role) => role.roleName.length));
  const lines: string[] = [];
  let account: string | undefined;
  for (const role of roles) {
    if (role.accountId !== account) {
      account = role.accountId;
      lines.push(`Account ${accountLabel(role.accountId, accountNames)}`);
    }
    const mark = role.roleArn === configuredRoleArn ? '*' : ' ';
    lines.push(` ${mark} ${role.roleName.padEnd(width)}  ${role.roleArn}`);
  }
  return lines.join('\n');
}
