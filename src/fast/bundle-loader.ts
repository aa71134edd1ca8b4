/**
 * Runs dist/awsl.cjs — oclif, every command and what they import, in one bundle — with V8's code
 * cache: parsing and compiling those megabytes is most of what a login costs awsl itself, and a
 * cache of an earlier run's compiled code makes it a fraction (npm run bench). The cache is written
 * at the end of a run that had none (or one V8 refused), so it holds the functions that run used;
 * it is an accelerator only: any failure to read or write it means compiling as usual.
 *
 * The bundle's shape comes from scripts/build.mjs: a first line naming its hash, a function
 * expression taking CommonJS's parameters and __awslImport, and a last line calling it (for plain
 * require()). Node 20 drops the import() callback of a script compiled from a cache, hence
 * __awslImport: dynamic imports run here, in a real module, instead.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Script } from 'node:vm';

const HEADER = /^\/\/ awsl-bundle ([0-9a-f]{64})\n/;
const CALL_LINE = '\n.call(';

/** ~/.cache/awsl/compile-cache (XDG_CACHE_HOME honoured), private to the user. */
export function compileCacheDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache'), 'awsl', 'compile-cache');
}

type BundleFunction = (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string, importModule: (specifier: string) => Promise<unknown>) => void;

/** Runs the bundle at `file` as require() would, registered so that require(file) returns it, and returns its exports. */
export function loadBundle(file: string, env: NodeJS.ProcessEnv = process.env): unknown {
  const text = readFileSync(file, 'utf8');
  const hash = HEADER.exec(text)?.[1];
  const end = text.lastIndexOf(CALL_LINE);
  if (hash === undefined || end < 0) return createRequire(file)(file);
  const directory = compileCacheDirectory(env);
  const cacheFile = join(directory, `${hash.slice(0, 32)}-${process.version}-${process.arch}.bin`);
  const cachedData = readCache(cacheFile);
  const script = new Script(text.slice(0, end), { filename: file, cachedData });
  if (cachedData === undefined || script.cachedDataRejected === true) {
    // At exit, so that the functions this run compiled are in the cache too.
    process.once('exit', () => writeCache(directory, cacheFile, () => script.createCachedData()));
  }
  const bundle = new Module(file);
  bundle.filename = file;
  bundle.paths = (Module as unknown as { _nodeModulePaths(from: string): string[] })._nodeModulePaths(dirname(file));
  // oclif require()s the bundle for its commands and hooks: it must get this very module.
  (Module as unknown as { _cache: Record<string, Module> })._cache[file] = bundle;
  const bundleUrl = pathToFileURL(file);
  const importModule = (specifier: string) => import(specifier.startsWith('.') ? new URL(specifier, bundleUrl).href : specifier);
  (script.runInThisContext() as BundleFunction).call(bundle.exports, bundle.exports, createRequire(file), bundle, file, dirname(file), importModule);
  bundle.loaded = true;
  return bundle.exports;
}

function readCache(cacheFile: string): Buffer | undefined {
  try {
    return readFileSync(cacheFile);
  } catch {
    return undefined;
  }
}

/** Writes the cache atomically and removes those of other builds and Node versions. */
function writeCache(directory: string, cacheFile: string, data: () => Buffer): void {
  try {
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    const temporary = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(temporary, data(), { mode: 0o600 });
    renameSync(temporary, cacheFile);
    for (const name of readdirSync(directory)) {
      if (name.endsWith('.bin') && join(directory, name) !== cacheFile) unlinkSync(join(directory, name));
    }
  } catch {
    // Read-only or full disk, or another run pruning at the same moment: the next run compiles again.
  }
}
