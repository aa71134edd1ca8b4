/** How results read on the terminal. */
import { accountLabel } from '../pipeline/choose-role.js';
import type { AwsRole } from '../saml/response.js';

export function formatTimeLeft(until: Date, now = new Date()): string {
  const minutes = Math.round((until.getTime() - now.getTime()) / 60_000);
  if (minutes <= 0) return 'expired';
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

export function formatLocalTime(date: Date): string {
  return date.toLocaleString('sv-SE', { hour12: false }).slice(0, 16);
}

export function describeRole(role: AwsRole, accountNames: ReadonlyMap<string, string>): string {
  return `${role.roleName} in account ${accountLabel(role.accountId, accountNames)}`;
}
