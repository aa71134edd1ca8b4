/** How `awsl status` reads on the terminal. */
import type { ProfileStatus } from '../pipeline/status.js';
import { accountLabel, formatLocalTime, formatTimeLeft } from './render.js';
import { formatFields, formatTable } from './table.js';

function account(status: ProfileStatus): string {
  if (!status.accountId) return '-';
  return accountLabel(status.accountId, new Map(status.accountName ? [[status.accountId, status.accountName]] : []));
}

/** "7 h 59 min left", "3 min left (expiring)", "expired 2025-01-01 10:00", "logged out". */
export function describeCredentials(status: ProfileStatus, now = new Date()): string {
  if (status.state === 'logged-out' || status.expiration === null) return 'logged out';
  const expiration = new Date(status.expiration);
  if (status.state === 'expired') return `expired ${formatLocalTime(expiration)}`;
  const left = `${formatTimeLeft(expiration, now)} left`;
  return status.state === 'expiring' ? `${left} (expiring)` : left;
}

function mode(status: ProfileStatus): string {
  return status.mode === 'credential-process' ? 'credential_process' : 'credentials file';
}

/** One row per profile. */
export function formatStatusTable(statuses: readonly ProfileStatus[], now = new Date()): string {
  return formatTable(['PROFILE', 'PROVIDER', 'ROLE', 'ACCOUNT', 'CREDENTIALS', 'IDP SESSION', 'MODE'], statuses.map((status) => [
    status.profile, status.provider, status.roleName ?? '-', account(status), describeCredentials(status, now),
    status.idpSessionSaved ? 'saved' : 'none', mode(status),
  ]));
}

/** One profile, one field a line. */
export function formatStatusDetails(status: ProfileStatus, now = new Date()): string {
  const role = status.roleArn ? `${status.roleName ?? status.roleArn} (${status.roleArn})` : 'not chosen yet (asked at login)';
  const credentials = status.expiration && status.state !== 'expired' && status.state !== 'logged-out'
    ? `${describeCredentials(status, now)}, until ${formatLocalTime(new Date(status.expiration))}`
    : describeCredentials(status, now);
  const fields: [string, string][] = [
    ['Profile', status.profile],
    ['Provider', status.provider],
    ['Role', role],
    ['Account', account(status)],
    ['Credentials', credentials],
    ['IdP session', status.idpSessionSaved ? 'saved (the next login needs no password while it lasts)' : 'none saved'],
    ['Mode', `${mode(status)} (${status.credentialsFile})`],
  ];
  if (status.sourceIdentity) fields.push(['Source identity', status.sourceIdentity]);
  const tags = Object.entries(status.sessionTags ?? {});
  if (tags.length > 0) {
    const transitive = new Set(status.transitiveTagKeys ?? []);
    fields.push(['Session tags', tags.map(([key, value]) => `${key}=${value}${transitive.has(key) ? ' (transitive)' : ''}`).join(', ')]);
  }
  if (status.configuredRoleArn && status.roleArn !== status.configuredRoleArn) fields.splice(3, 0, ['Configured role', status.configuredRoleArn]);
  return formatFields(fields);
}
