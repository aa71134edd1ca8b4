import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The layers of src/, top to bottom (docs/ARCHITECTURE.md): commands → use cases (pipeline/) →
 * providers, saml, aws, settings → state, ui, process, http → errors. An import may go down or
 * sideways, never up. Each entry forbids, for the files of one layer, the folders above it.
 */
const ABOVE = {
  cli: { regex: '(^|/)(commands|hooks|messages)/|(^|/)(command-base|login-flags|main|help)\\.js$', message: 'Only the CLI layer (commands, command-base, login-flags, help texts) imports the CLI layer.' },
  core: { regex: '(^|/)pipeline/', message: 'Use cases (pipeline/) sit above this layer: pass what it needs down instead.' },
  domain: { regex: '(^|/)(providers|saml|aws)/|(^|/)settings\\.js$', message: 'providers/, saml/, aws/ and settings.ts sit above this layer.' },
};
const layer = (files, forbidden, options = {}) => ({
  files,
  rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: forbidden.map((pattern) => ({ ...pattern, ...options })) }] },
});

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'tmp/**', 'node_modules/**', '.tmp/**', 'oclif.manifest.json', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', fetch: 'readonly' } },
    rules: {
      // noUncheckedIndexedAccess types every index read as possibly undefined; `!` marks the reads
      // that the surrounding code has already proven.
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': ['error',
        { object: 'it', property: 'only', message: 'No focused tests.' },
        { object: 'describe', property: 'only', message: 'No focused tests.' },
        { object: 'it', property: 'skip', message: 'No silently skipped tests; use this.skip() with a reason outside CI.' },
        { object: 'describe', property: 'skip', message: 'No silently skipped tests.' }],
    },
  },
  layer(['src/pipeline/**/*.ts'], [ABOVE.cli]),
  layer(['src/providers/**/*.ts', 'src/aws/**/*.ts', 'src/settings.ts'], [ABOVE.cli, ABOVE.core]),
  // saml/ is pure SAML: it knows neither AWS's files nor any provider.
  layer(['src/saml/**/*.ts'], [ABOVE.cli, ABOVE.core, ABOVE.domain]),
  layer(['src/state/**/*.ts', 'src/process/**/*.ts', 'src/http.ts', 'src/ui/**/*.ts'], [ABOVE.cli, ABOVE.core, ABOVE.domain]),
  // The boot code runs before oclif, on the warm credential_process path too: nothing heavy.
  layer(['src/boot/**/*.ts'], [{ regex: '^\\.\\./(?!state/paths\\.js$)', message: 'src/boot/ imports node: builtins, its own folder and state/paths.ts only.' }]),
  // The views render use-case results for commands: they may name those results' types, nothing more
  // (this entry comes after the one above, so it wins for these files).
  layer(['src/ui/render.ts', 'src/ui/*-view.ts', 'src/ui/table.ts'], [ABOVE.cli, ABOVE.core, ABOVE.domain], { allowTypeImports: true }),
  layer(['src/errors.ts'], [{ regex: '^\\.', message: 'errors.ts is the bottom layer: it imports nothing of awsl.' }]),
  {
    // CommonJS: the counting reporter (mocha require()s reporters) and the entry point (bin/package.json).
    files: ['**/*.cjs', 'bin/run.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
