/** How `awsl status` reads on the terminal. */
import type { ProfileStatus } from '../pipeline/status.js';
import { accountLabel, formatLocalTime, formatTimeLeft } from './render.js';
import { formatFields, formatTable } from './table.js';

function account(status: ProfileStatus): string {
  if (!status.accountId) return '-';
  return accountLabel(status.accountId, new Map(status.accountName ? [[status.accountId, status.accountName]] : []));
}

/** "7 h 59 min left", "3 min left (expiring)", "expired 1 h 00 min ago", "logged out". */
export function describeCredentials(status: ProfileStatus, now = new Date()): string {
  if (status.state === 'logged-out' || status.expiration === null) return 'logged out';
  const expiration = new Date(status.expiration);
  if (status.state === 'expired') {
    // formatTimeLeft with the two times swapped: how long ago.
    const ago = formatTimeLeft(now, expiration);
    return ago === 'expired' ? 'expired just now' : `expired ${ago} ago`;
  }
  const left = `${formatTimeLeft(expiration, now)} left`;
  return status.state === 'expiring' ? `${left} (expiring)` : left;
}

/** Where the credentials go; short in the table, so that it fits 80 columns. */
function mode(status: ProfileStatus, short = false): string {
  if (short) return status.mode === 'credential-process' ? 'process' : 'file';
  return status.mode === 'credential-process' ? 'credential_process' : 'credentials file';
}

/** One row per profile. */
export function formatStatusTable(statuses: readonly ProfileStatus[], now = new Date()): string {
  return formatTable(['PROFILE', 'PROVIDER', 'ROLE', 'ACCOUNT', 'CREDENTIALS', 'IDP SESSION', 'MODE'], statuses.map((status) => [
    status.profile, status.provider, status.roleName ?? '-', account(status), describeCredentials(status, now),
    status.idpSessionSaved ? 'saved' : 'none', mode(status, true),
  ]));
}

/** One profile, one field a line. */
export function formatStatusDetails(status: ProfileStatus, now = new Date()): string {
  const role = status.roleArn ? `${status.roleName ?? status.roleArn} (${status.roleArn})` : 'not chosen yet (asked at login)';
  const credentials = status.expiration && status.state !== 'logged-out'
    ? `${describeCredentials(status, now)}, ${status.state === 'expired' ? 'at' : 'until'} ${formatLocalTime(new Date(status.expiration))}`
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
