// Builds dist/: the commands, hooks, the credential_process fast path and oclif's entry, bundled
// with their dependencies by esbuild (code splitting keeps lazily imported modules — providers,
// the AWS SDK, XML signatures — in chunks of their own). Types are checked by `tsc --noEmit`.
import { build } from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';

const sources = (folder) => readdirSync(folder, { recursive: true })
  .filter((file) => file.endsWith('.ts'))
  .map((file) => `${folder}/${file}`);

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: ['src/main.ts', 'src/fast/credential-process.ts', ...sources('src/commands'), ...sources('src/hooks')],
  outdir: 'dist',
  outbase: 'src',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // ESM builds first: smaller, and no CommonJS interop for dynamic imports.
  mainFields: ['module', 'main'],
  // The native keyring binding stays a package; oclif's optional TypeScript support is never used.
  external: ['@napi-rs/keyring', 'typescript', 'ts-node', 'tsx'],
  chunkNames: 'chunks/[name]-[hash]',
  // Bundled CommonJS dependencies call require() for Node's built-ins.
  banner: { js: "import { createRequire as __awslCreateRequire } from 'node:module'; const require = __awslCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
