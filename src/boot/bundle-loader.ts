/**
 * Runs dist/awsl.cjs — oclif, every command and what they import, in one bundle — with V8's code
 * cache: parsing and compiling its 1.5 MB is most of what a login costs awsl itself, and a
 * cache of an earlier run's compiled code makes it a fraction (npm run bench). The cache is written
 * at the end of a run, so that it holds the functions the run compiled: when there was none (or one
 * V8 refused), and the first time each command runs, which adds that command's functions to those
 * already in it (a cache written by `login configure` alone would leave `login` a third slower).
 * It is an accelerator only: any failure to read or write it means compiling as usual.
 *
 * Node's own compile cache (module.enableCompileCache(), Node 22.1 and later) does not match it:
 * CPU time of `awsl --profile x status`, hyperfine, 20 runs, 2026-12-01 (no cache / Node's / this
 * loader): Node 22.23 123 / 101 / 79 ms, Node 24.21 130 / 115 / 92 ms. Node's cache is made when a
 * file is compiled, so it holds only the functions compiled eagerly; this one is made at exit and
 * holds those the run compiled. So this loader stays, on every Node version.
 *
 * The cache is named after the bundle file's identity: device, inode, size and modification and
 * change times in nanoseconds. V8 itself only checks the source's length, npm resets modification
 * times, but any write or copy moves the change time, which nothing but the kernel sets. Hashing
 * the 1.6 MB instead costs every run over a millisecond. The bundle's shape is bundle-format.mjs's: a function
 * expression taking CommonJS's parameters and __awslImport, then a last line calling it (for plain
 * require()). Node 20 drops the import() callback of a script compiled from a cache, hence
 * __awslImport: dynamic imports run here, in a real module, instead.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Script } from 'node:vm';
import { compileCacheDirectory } from '../state/paths.js';
import { CALL_LINE } from './bundle-format.mjs';

type BundleFunction = (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string, importModule: (specifier: string) => Promise<unknown>) => void;

/** A cache file: the commands whose runs it holds, one line, then V8's data. */
interface CodeCache {
  commands: string[];
  data: Buffer | undefined;
}

/** Beyond this many commands (AWS CLI words count, through `awsl s3 …`) the cache stops growing. */
const MAX_COMMANDS = 32;

/** What a run does, for the cache: its leading words (`login configure`, `s3 ls`), else "other". */
export function commandOf(argv: readonly string[]): string {
  const words: string[] = [];
  for (const arg of argv) {
    if (words.length === 2 || !/^[a-z][a-z0-9-]{0,40}$/.test(arg)) break;
    words.push(arg);
  }
  return words.length > 0 ? words.join(':') : 'other';
}

/**
 * Runs the bundle at `file` as require() would, registered so that require(file) returns it, and
 * returns its exports. `argv` (awsl's arguments) says which command this run adds to the cache.
 */
export function loadBundle(file: string, argv: readonly string[], env: NodeJS.ProcessEnv = process.env): unknown {
  const bytes = readFileSync(file);
  const end = bytes.lastIndexOf(CALL_LINE);
  if (end < 0) throw new Error(`${file} is not an awsl bundle: reinstall awsl, or run npm run build.`);
  const { dev, ino, size, mtimeNs, ctimeNs } = statSync(file, { bigint: true });
  const hash = createHash('sha256').update(`${dev} ${ino} ${size} ${mtimeNs} ${ctimeNs}`).digest('hex');
  const directory = compileCacheDirectory(env);
  const cacheFile = join(directory, `${hash.slice(0, 32)}-${process.version}-${process.arch}.bin`);
  const cache = readCache(cacheFile);
  // ASCII by construction (escapeBeyondAscii): Latin-1 decoding is a copy, UTF-8's a scan.
  const script = new Script(bytes.toString('latin1', 0, end), { filename: file, cachedData: cache.data });
  const label = commandOf(argv);
  const commands = cache.data === undefined || script.cachedDataRejected === true ? [] : cache.commands;
  if (!commands.includes(label) && commands.length < MAX_COMMANDS) {
    // At exit: the functions this run compiled join those it was given.
    process.once('exit', () => writeCache(directory, cacheFile, [...commands, label], () => script.createCachedData()));
  }
  const bundle = new Module(file);
  bundle.filename = file;
  // oclif require()s the bundle for its commands and hooks: it must get this very module.
  (Module as unknown as { _cache: Record<string, Module> })._cache[file] = bundle;
  const bundleUrl = pathToFileURL(file);
  const importModule = (specifier: string) => import(specifier.startsWith('.') ? new URL(specifier, bundleUrl).href : specifier);
  (script.runInThisContext() as BundleFunction).call(bundle.exports, bundle.exports, createRequire(file), bundle, file, dirname(file), importModule);
  bundle.loaded = true;
  return bundle.exports;
}

function readCache(cacheFile: string): CodeCache {
  let bytes: Buffer;
  try {
    bytes = readFileSync(cacheFile);
  } catch {
    return { commands: [], data: undefined };
  }
  const newline = bytes.indexOf(10);
  if (newline < 0) return { commands: [], data: undefined };
  return { commands: bytes.subarray(0, newline).toString('latin1').split(' ').filter(Boolean), data: bytes.subarray(newline + 1) };
}

/** Writes the cache atomically and removes those of other builds and Node versions. */
function writeCache(directory: string, cacheFile: string, commands: string[], data: () => Buffer): void {
  try {
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    const temporary = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(temporary, Buffer.concat([Buffer.from(`${commands.join(' ')}\n`, 'latin1'), data()]), { mode: 0o600 });
    renameSync(temporary, cacheFile);
    for (const name of readdirSync(directory)) {
      if (name.endsWith('.bin') && join(directory, name) !== cacheFile) unlinkSync(join(directory, name));
    }
  } catch {
    // Read-only or full disk, or another run pruning at the same moment: the next run compiles again.
  }
}
