// npm run build:binary: release/awsl, one executable for this platform that needs no Node
// installed (a Node single executable application of the Node that runs this script).
// - release/stage: the package as npm installs it (bin/, dist/, the manifest, package.json) with
//   its runtime dependencies from package-lock.json;
// - every staged file becomes an asset of the binary; src/sea/main.ts unpacks them on first run;
// - the blob is injected into a copy of this Node with postject.
// After `npm run build`. Nothing lands in dist/ or anywhere `npm pack` ships.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build } from 'esbuild';
import { inject } from 'postject';

const RELEASE = 'release';
const STAGE = join(RELEASE, 'stage');
const BINARY = join(RELEASE, process.platform === 'win32' ? 'awsl.exe' : 'awsl');
// Node's documented sentinel for single executable applications.
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
/** Documentation, source maps and type declarations: nothing at run time reads them. */
const SKIPPED = /(^|\/)(README|CHANGELOG|HISTORY)(\.[a-z]+)?$|\.(md|map|d\.ts|d\.cts|d\.mts)$/i;

rmSync(RELEASE, { recursive: true, force: true });
mkdirSync(STAGE, { recursive: true });
for (const path of ['bin/run.js', 'bin/package.json', 'dist', 'oclif.manifest.json', 'package.json', 'package-lock.json', 'LICENSE']) {
  cpSync(path, join(STAGE, path), { recursive: true });
}
execFileSync('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], { cwd: STAGE, stdio: 'inherit' });
rmSync(join(STAGE, 'package-lock.json'));
rmSync(join(STAGE, 'node_modules', '.package-lock.json'), { force: true });

await build({
  entryPoints: ['src/sea/main.ts'],
  outfile: join(RELEASE, 'sea-main.cjs'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  logLevel: 'warning',
});

const files = [];
const walk = (folder) => {
  for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(folder, entry.name);
    const name = relative(STAGE, path).split('\\').join('/');
    if (entry.isDirectory()) walk(path);
    else if (entry.isFile() && !SKIPPED.test(name)) files.push({ name, path, mode: statSync(path).mode & 0o777 });
  }
};
walk(STAGE);
const hash = createHash('sha256');
for (const file of files) hash.update(`${file.name}\0${file.mode}\0`).update(readFileSync(file.path));
const id = hash.digest('hex').slice(0, 24);
writeFileSync(join(RELEASE, 'id'), id);
writeFileSync(join(RELEASE, 'files.json'), JSON.stringify(files.map((file) => [file.name, file.mode])));

const blob = join(RELEASE, 'sea-prep.blob');
const config = join(RELEASE, 'sea-config.json');
writeFileSync(config, JSON.stringify({
  main: join(RELEASE, 'sea-main.cjs'),
  output: blob,
  disableExperimentalSEAWarning: true,
  assets: Object.fromEntries([['id', join(RELEASE, 'id')], ['files.json', join(RELEASE, 'files.json')], ...files.map((file) => [`file:${file.name}`, file.path])]),
}, null, 2));
execFileSync(process.execPath, ['--experimental-sea-config', config], { stdio: 'inherit' });

copyFileSync(process.execPath, BINARY);
chmodSync(BINARY, 0o755);
await inject(BINARY, 'NODE_SEA_BLOB', readFileSync(blob), { sentinelFuse: SEA_FUSE, machoSegmentName: process.platform === 'darwin' ? 'NODE_SEA' : undefined });
const size = statSync(BINARY).size;
process.stdout.write(`${BINARY}: ${size} bytes (Node ${process.version}, ${files.length} files, ${(files.reduce((sum, file) => sum + statSync(file.path).size, 0) / 1e6).toFixed(1)} MB of package, build ${id})\n`);
