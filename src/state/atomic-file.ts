/**
 * Whole-file writes that a crash can never leave half done: the content goes to a temporary file
 * in the same folder, is flushed to disk, and replaces the target with one rename.
 */
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, open, readdir, readlink, rename, stat, unlink } from 'node:fs/promises';
import { constants, type Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { requireRegularFile } from './file-kind.js';

const MAX_SYMLINKS = 40;

/** The `code` of a Node.js system error (ENOENT, EEXIST, …). */
export function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/** mkdir -p, new folders 0700. Existing folders keep their mode. */
export async function ensurePrivateDirectory(path: string): Promise<void> {
  await mkdir(path, { recursive: true, mode: 0o700 });
}

/**
 * The file a path finally names once symlinks are followed, even when that file does not exist
 * yet (a dangling link names the file it would create). Writing there keeps the links intact.
 */
export async function resolveFilePath(path: string): Promise<string> {
  let current = resolve(path);
  for (let hops = 0; hops < MAX_SYMLINKS; hops += 1) {
    try {
      if (!(await lstat(current)).isSymbolicLink()) return current;
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return current;
      throw error;
    }
    current = resolve(dirname(current), await readlink(current));
  }
  throw Object.assign(new Error(`ELOOP: too many symbolic links, ${path}`), { code: 'ELOOP', path });
}

function temporaryPrefix(target: string): string {
  return `.${basename(target)}.awsl-`;
}

/**
 * Replaces the file at `path` (through symlinks) with `content`. An existing file keeps its mode
 * (and, when running as root, its owner); a new one gets `options.mode`, 0600 by default. Missing
 * parent folders are created 0700. On any error the target is untouched and no temporary file stays.
 */
export async function writeFileAtomic(path: string, content: string | Uint8Array, options: { mode?: number } = {}): Promise<void> {
  const target = await resolveFilePath(path);
  const directory = dirname(target);
  await ensurePrivateDirectory(directory);
  let existing: { mode: number; uid: number; gid: number } | undefined;
  try {
    const stats = await stat(target);
    // A rename over a folder, FIFO or device (as root, /dev/null) must never happen.
    requireRegularFile(path, stats);
    existing = stats;
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
  }
  const temporary = join(directory, `${temporaryPrefix(target)}${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temporary, 'wx', 0o600);
  try {
    try {
      await handle.writeFile(content);
      await handle.sync();
      await handle.chmod(existing ? existing.mode & 0o7777 : (options.mode ?? 0o600));
      // `sudo awsl …` must not hand the user's file over to root.
      if (existing && process.getuid?.() === 0 && existing.uid !== 0) await handle.chown(existing.uid, existing.gid);
    } finally {
      await handle.close();
    }
    await rename(temporary, target);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  await syncDirectory(directory);
}

/** Makes the rename itself durable. Some platforms cannot open or sync a folder: nothing to do there. */
async function syncDirectory(directory: string): Promise<void> {
  let handle;
  try {
    handle = await open(directory, 'r');
    await handle.sync();
  } catch (error) {
    if (!['EISDIR', 'EPERM', 'EACCES', 'EINVAL', 'ENOTSUP'].includes(errorCode(error) ?? '')) throw error;
  } finally {
    await handle?.close();
  }
}

/**
 * Deletes temporary files that writeFileAtomic left next to `path` when its process was killed.
 * Call it only while holding the file's lock, when no other writer can be using one.
 */
export async function removeOrphanTemporaryFiles(path: string): Promise<void> {
  const target = await resolveFilePath(path);
  const prefix = temporaryPrefix(target);
  let names: string[];
  try {
    names = await readdir(dirname(target));
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return;
    throw error;
  }
  const orphans = names.filter((name) => name.startsWith(prefix) && name.endsWith('.tmp'));
  await Promise.all(orphans.map((name) => unlink(join(dirname(target), name)).catch(() => undefined)));
}

/**
 * A file's bytes with the stat of the same open file (so the two agree); undefined when it does not
 * exist. Opened non-blocking, so a FIFO is refused at once instead of waiting for a writer.
 */
export async function readFileWithStat(path: string): Promise<{ content: Buffer; stat: Stats } | undefined> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const stat = await handle.stat();
    requireRegularFile(path, stat);
    return { content: await handle.readFile(), stat };
  } finally {
    await handle.close();
  }
}
