/** How results read on the terminal. */
import type { AwsRole } from '../saml/response.js';

/** "Name (id)", or the id alone for an account without a name. */
export function accountLabel(accountId: string, accountNames: ReadonlyMap<string, string>): string {
  const name = accountNames.get(accountId);
  return name ? `${name} (${accountId})` : accountId;
}

export function formatTimeLeft(until: Date, now = new Date()): string {
  const minutes = Math.round((until.getTime() - now.getTime()) / 60_000);
  if (minutes <= 0) return 'expired';
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/**
 * YYYY-MM-DD HH:MM in local time with its offset (UTC+05:30, or UTC), so that a time read in a
 * log or over SSH from another zone is not misread. Built by hand: toLocaleString loads ICU data (~8 ms).
 */
export function formatLocalTime(date: Date): string {
  const two = (value: number) => String(Math.floor(value)).padStart(2, '0');
  const east = -date.getTimezoneOffset();
  const zone = east === 0 ? 'UTC' : `UTC${east > 0 ? '+' : '-'}${two(Math.abs(east) / 60)}:${two(Math.abs(east) % 60)}`;
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())} ${zone}`;
}

export function describeRole(role: AwsRole, accountNames: ReadonlyMap<string, string>): string {
  return `${role.roleName} in account ${accountLabel(role.accountId, accountNames)}`;
}
