// Edits the build makes to a few dependencies' files as it bundles them: each removes a start-up
// cost a run paid for nothing (npm run bench), without changing what the code does. The build
// fails when an edit no longer finds its text once (another release of the package): look again
// then. test/scripts/dependency-edits.test.ts checks each claim below against the installed files.
import { readFileSync } from 'node:fs';

/** File under node_modules → [text, replacement] pairs, each text found exactly once. */
export const DEPENDENCY_EDITS = {
  // oclif checks the running Node against package.json's engines with semver: loading semver and
  // parsing the range cost ~3 ms, and bin/run.js has already refused an unsupported Node (exit 16).
  '@oclif/core/lib/index.js': [['\ncheckNodeVersion();\n', '\n']],
  // The first localeCompare of a process loads ICU's collation data (~6 ms). awsl's command ids and
  // the completion plugin's are lowercase ASCII words joined by ':' or '-', which sort alike by code unit.
  '@oclif/core/lib/config/plugin.js': [[
    '.sort((a, b) => a.id.localeCompare(b.id));',
    '.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));',
  ]],
  // V8 compiles a regular expression at its first use: this IPv6 one, tested on every cookie's domain,
  // costs each ECP login ~5 ms. Every one of its alternatives holds a ':', which no host name does.
  'tough-cookie/dist/index.js': [[
    'var IP_V6_REGEX_OBJECT = new RegExp(`^${IP_V6_REGEX}$`);',
    'var IP_V6_REGEX_OBJECT = { pattern: new RegExp(`^${IP_V6_REGEX}$`), test(value) { return String(value).includes(":") && this.pattern.test(value); } };',
  ]],
};

/** `contents` of node_modules/`file` with its edits made. */
export function editDependency(file, contents) {
  for (const [before, after] of DEPENDENCY_EDITS[file] ?? []) {
    if (contents.split(before).length !== 2) throw new Error(`node_modules/${file} no longer holds ${JSON.stringify(before)} once: see scripts/dependency-edits.mjs.`);
    contents = contents.replace(before, () => after);
  }
  return contents;
}

/** The esbuild plugin that makes them. */
export const dependencyEdits = {
  name: 'dependency-edits',
  setup(builder) {
    const escape = (file) => file.replace(/[/.]/g, (character) => (character === '/' ? '[\\\\/]' : '\\.'));
    const filter = new RegExp(`[\\\\/]node_modules[\\\\/](${Object.keys(DEPENDENCY_EDITS).map(escape).join('|')})$`);
    builder.onLoad({ filter }, (args) => {
      const file = args.path.replace(/\\/g, '/').replace(/.*\/node_modules\//, '');
      return { contents: editDependency(file, readFileSync(args.path, 'utf8')), loader: 'js' };
    });
  },
};
