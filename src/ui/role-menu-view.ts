/**
 * The role menu: numbered rows grouped by account, names aligned across all accounts, and answers
 * that scale to hundreds of roles: a number, a role name or an unambiguous prefix of one, an ARN,
 * or any other text, which narrows the list to the roles whose account or name contains it.
 */
import type { AwsRole } from '../saml/response.js';

/** A row of the menu: the role and its number in the whole, unfiltered list. */
export interface MenuRow {
  number: number;
  role: AwsRole;
}

export type MenuAnswer =
  | { kind: 'chosen'; role: AwsRole }
  | { kind: 'quit' }
  | { kind: 'list-all' }
  | { kind: 'narrowed'; rows: MenuRow[] }
  | { kind: 'no-match' };

/**
 * Rows grouped under "Account LABEL", role names padded to the widest of all, then the ARN; the
 * `current` role (of the profile's valid credentials) has a * before its number.
 */
export function formatMenuRows(rows: readonly MenuRow[], label: (accountId: string) => string, options: { numbers?: boolean; total?: number; current?: string } = {}): string {
  const numbers = options.numbers !== false;
  const numberWidth = String(options.total ?? rows.length).length;
  const nameWidth = Math.max(0, ...rows.map((row) => row.role.roleName.length));
  const lines: string[] = [];
  let account: string | undefined;
  for (const { number, role } of rows) {
    if (role.accountId !== account) {
      account = role.accountId;
      lines.push(`Account ${label(role.accountId)}`);
    }
    const mark = role.roleArn === options.current ? '*' : ' ';
    const prefix = numbers ? `${mark}${String(number).padStart(numberWidth + 1)}) ` : '  ';
    lines.push(`${prefix}${role.roleName.padEnd(nameWidth)}  ${role.roleArn}`);
  }
  return lines.join('\n');
}

/** What an answer at the menu means, over the whole list (`rows` numbered from 1). */
export function readMenuAnswer(answer: string, rows: readonly MenuRow[], label: (accountId: string) => string): MenuAnswer {
  const text = answer.trim();
  const lower = text.toLowerCase();
  if (lower === 'q') return { kind: 'quit' };
  if (text === '?' || text === '') return { kind: 'list-all' };
  if (/^\d+$/.test(text)) {
    const row = rows.find((candidate) => candidate.number === Number(text));
    return row ? { kind: 'chosen', role: row.role } : { kind: 'no-match' };
  }
  const one = (matches: MenuRow[]): MenuAnswer | undefined => (matches.length === 1 ? { kind: 'chosen', role: matches[0]!.role } : undefined);
  const byArn = rows.filter((row) => row.role.roleArn === text);
  const byName = rows.filter((row) => row.role.roleName.toLowerCase() === lower);
  const byPrefix = rows.filter((row) => row.role.roleName.toLowerCase().startsWith(lower));
  const chosen = one(byArn) ?? one(byName) ?? (byName.length === 0 ? one(byPrefix) : undefined);
  if (chosen) return chosen;
  const narrowed = byName.length > 0 ? byName : rows.filter((row) => `${label(row.role.accountId)} ${row.role.roleName}`.toLowerCase().includes(lower));
  return narrowed.length > 0 ? { kind: 'narrowed', rows: narrowed } : { kind: 'no-match' };
}
