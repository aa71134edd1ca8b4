/**
 * Reading and editing the AWS config and credentials files. An edit holds the file's lock from
 * read to write, so concurrent awsl processes never lose each other's changes, and writes
 * atomically, so readers (the AWS CLI and SDKs take no lock) see the old file or the new one.
 */
import { stat } from 'node:fs/promises';
import { AwslError, FileUnreadableError } from '../errors.js';
import { errorCode, readFileWithStat, removeOrphanTemporaryFiles, resolveFilePath, writeFileAtomic } from './atomic-file.js';
import { NotRegularFileError, requireRegularFile } from './file-kind.js';
import { withFileLock } from './file-lock.js';
import { IniDocument } from './ini-document.js';

export interface IniEditOptions {
  /** Mode of the file if the edit creates it; 0600 by default. An existing file keeps its mode. */
  createMode?: number;
  /** How long to wait for another awsl process editing the same file. */
  lockTimeoutMs?: number;
}

export interface IniEditResult<T> {
  /** What `edit` returned. */
  result: T;
  /** Whether the file was written (only when the text changed). */
  changed: boolean;
  /** Permission bits of the file as it is now; undefined when there is no file. */
  mode: number | undefined;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decode(bytes: Uint8Array, file: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    let line = 1;
    for (let start = 0; ; line += 1) {
      const end = bytes.indexOf(0x0a, start);
      try {
        utf8.decode(bytes.subarray(start, end === -1 ? bytes.length : end));
      } catch {
        break;
      }
      start = end + 1;
    }
    throw new FileUnreadableError(file, line, 'this line is not UTF-8 text', 'Save the file as UTF-8 (the AWS CLI needs that too); awsl left it unchanged.');
  }
}

/** Text and permission bits of a file; undefined when it does not exist. */
async function readText(path: string, file: string): Promise<{ text: string; mode: number } | undefined> {
  const read = await readFileWithStat(path);
  return read && { text: decode(read.content, file), mode: read.stat.mode & 0o7777 };
}

/** Runs a file operation, turning system errors (EACCES, ENOSPC, EISDIR…) into FileUnreadableError. */
async function fileOperation<T>(file: string, doing: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof NotRegularFileError) throw notRegularFile(file, error.kind);
    if (error instanceof AwslError || errorCode(error) === undefined) throw error;
    throw new FileUnreadableError(
      file,
      undefined,
      `cannot be ${doing} (${(error as Error).message})`,
      'Check the file and its folder (owner, permissions, free space); awsl left the file unchanged.',
    );
  }
}

/** The variables that name awsl's files, for the message when one of them points at the wrong thing. */
const PATH_VARIABLES = ['AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE'] as const;

export function notRegularFile(file: string, kind: string, env: NodeJS.ProcessEnv = process.env): FileUnreadableError {
  const variable = PATH_VARIABLES.find((name) => env[name] === file);
  return new FileUnreadableError(file, undefined, `is ${kind}, not a file${variable ? ` (from ${variable})` : ''}`,
    `${variable ? `Point ${variable} at a file, or unset it` : 'Move it out of the way'}; awsl changed nothing.`);
}

/** The parsed file, or undefined when it does not exist. Takes no lock: writes are atomic. */
export async function readIniFile(path: string): Promise<IniDocument | undefined> {
  const current = await fileOperation(path, 'read', () => readText(path, path));
  return current && IniDocument.parse(current.text, path);
}

/**
 * Locks the file, reads it (a missing file is an empty document), lets `edit` change the document
 * and writes it back atomically if its text changed. A file that does not parse is left untouched
 * and FileUnreadableError (with the line) is thrown; so is anything `edit` throws, before any write.
 * Symlinks are followed: the file they point to is edited and locked, the links stay.
 */
export async function editIniFile<T>(path: string, edit: (document: IniDocument) => T, options: IniEditOptions = {}): Promise<IniEditResult<T>> {
  const target = await fileOperation(path, 'read', async () => {
    const resolved = await resolveFilePath(path);
    // Before the lock file goes next to it: a folder or device named by mistake is left alone.
    const current = await stat(resolved).catch((error: unknown) => {
      if (errorCode(error) === 'ENOENT') return undefined;
      throw error;
    });
    if (current) requireRegularFile(path, current);
    return resolved;
  });
  return withFileLock(
    target,
    async () => {
      const current = await fileOperation(path, 'read', () => readText(target, path));
      const before = current?.text ?? '';
      const document = IniDocument.parse(before, path);
      const result = edit(document);
      const after = document.toString();
      if (after === before) return { result, changed: false, mode: current?.mode };
      const mode = current?.mode ?? options.createMode ?? 0o600;
      await fileOperation(path, 'written', async () => {
        // Under the lock no other awsl is writing: any temporary file there is a killed writer's.
        await removeOrphanTemporaryFiles(target);
        await writeFileAtomic(target, after, { mode });
      });
      return { result, changed: true, mode };
    },
    { timeoutMs: options.lockTimeoutMs },
  );
}
