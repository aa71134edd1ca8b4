/**
 * The entry of the single awsl binary (a Node single executable application, npm run
 * build:binary). oclif needs a package folder on disk, and the bundle loader and the keyring's
 * native binding read files, so the package tree built into the binary (its assets) is unpacked
 * once per build into a private folder, then run from there as `node bin/run.js` would run it.
 */
import { closeSync, existsSync, lstatSync, mkdirSync, mkdtempSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { getAsset, getRawAsset } from 'node:sea';
import { runInThisContext } from 'node:vm';
import { compileCacheDirectory } from '../state/paths.js';
import { KEYRING_HELPER, SEA_KEYRING_HELPER } from '../state/secret-store.js';

/** Written last: a folder without it is an unpacking that was cut short. */
const COMPLETE = '.complete';

/** The build's content id (a hash of every file), which names its folder. */
const buildId = getAsset('id', 'utf8');

/** ~/.cache/awsl/sea/ID; under the temporary folder when the home is not writable (a read-only or missing HOME). */
function unpackedRoot(): string {
  const preferred = join(dirname(compileCacheDirectory()), 'sea');
  try {
    mkdirSync(preferred, { recursive: true, mode: 0o700 });
    return join(preferred, buildId);
  } catch {
    const fallback = join(tmpdir(), `awsl-sea-${process.getuid?.() ?? 'user'}`);
    mkdirSync(fallback, { recursive: true, mode: 0o700 });
    // In a shared temporary folder, run only from a folder that is this user's alone.
    const info = lstatSync(fallback);
    if (!info.isDirectory() || (process.getuid && info.uid !== process.getuid()) || (info.mode & 0o077) !== 0) {
      throw new Error(`awsl cannot unpack itself: ${preferred} is not writable and ${fallback} is not a private folder of this user.`);
    }
    return join(fallback, buildId);
  }
}

function unpack(root: string): void {
  const files = JSON.parse(getAsset('files.json', 'utf8')) as Array<[path: string, mode: number]>;
  const staging = mkdtempSync(`${root}.partial-`);
  for (const [path, mode] of files) {
    const target = join(staging, path);
    mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
    // The owner's bits only: the tree is this user's private copy.
    const fd = openSync(target, 'w', mode & 0o700);
    try {
      writeSync(fd, new Uint8Array(getRawAsset(`file:${path}`) as ArrayBuffer));
    } finally {
      closeSync(fd);
    }
  }
  closeSync(openSync(join(staging, COMPLETE), 'w', 0o600));
  try {
    renameSync(staging, root);
  } catch (error) {
    // Another awsl unpacked the same build at the same time: theirs is as good.
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(join(root, COMPLETE))) throw error;
  }
  // Earlier builds' folders: an upgrade leaves no copies behind.
  for (const entry of readdirSync(dirname(root))) {
    if (entry !== buildId) rmSync(join(dirname(root), entry), { recursive: true, force: true });
  }
}

const root = unpackedRoot();
if (!existsSync(join(root, COMPLETE))) unpack(root);
// A SEA's argv is [binary, binary, ...arguments].
const args = process.argv.slice(2);
const [first, binding] = args;
if (first === SEA_KEYRING_HELPER && binding !== undefined) {
  // What `node -e KEYRING_HELPER binding` runs, for src/state/secret-store.ts.
  process.argv = [process.execPath, binding];
  (runInThisContext(`(function (require) {${KEYRING_HELPER}\n})`) as (require: NodeJS.Require) => void)(createRequire(binding));
} else {
  const entry = join(root, 'bin', 'run.js');
  process.argv = [process.execPath, entry, ...args];
  createRequire(entry)(entry);
}
