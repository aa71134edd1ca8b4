/**
 * awsl reads, replaces and chmods regular files only. A variable such as AWS_SHARED_CREDENTIALS_FILE
 * set by mistake to /tmp, a FIFO or /dev/null must never lead to a chmod of a system folder, a read
 * that blocks for ever, or a rename over a device: such a path is refused before anything happens.
 */
import type { Stats } from 'node:fs';

/** What a path is, as the user would say it. */
export function describeKind(stats: Stats): string {
  if (stats.isFile()) return 'a file';
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isSocket()) return 'a socket';
  return 'an unusual kind of file';
}

/** Thrown by the file primitives; ini-file and the login pre-check turn it into FileUnreadableError. */
export class NotRegularFileError extends Error {
  readonly code = 'ENOTREGULAR';
  constructor(readonly path: string, readonly kind: string) {
    super(`${path} is ${kind}, not a regular file`);
  }
}

/** Throws NotRegularFileError unless `stats` is a regular file. */
export function requireRegularFile(path: string, stats: Stats): void {
  if (!stats.isFile()) throw new NotRegularFileError(path, describeKind(stats));
}
