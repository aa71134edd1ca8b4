/**
 * A provider is a plug-in: everything about it lives in its folder under src/providers/, and the
 * rest of awsl works from its descriptor. This scan keeps it so: no provider's name, title, terms,
 * settings, flags, secret variables or error classes appear in src/ outside src/providers/.
 */
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { ALL_SETTINGS, PROVIDERS, readProfileSettings, settingsOf } from '../../src/providers/registry.js';
import type { ProviderDescriptor } from '../../src/providers/provider.js';
import { COMMON_SETTINGS } from '../../src/settings.js';

const SRC = join(import.meta.dirname, '../../src');
const PROVIDERS_DIR = join(SRC, 'providers');

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return path === PROVIDERS_DIR ? [] : sourceFiles(path);
    return /\.(ts|mts|cts|js|mjs|cjs)$/.test(entry.name) ? [path] : [];
  }));
  return nested.flat();
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const word = (text: string) => new RegExp(`(?<![A-Za-z0-9_])${escape(text)}(?![A-Za-z0-9_])`, 'i');

interface Term {
  what: string;
  pattern: RegExp;
  /** Folders (relative to src/) where the term means something that is not the provider. */
  allowedIn?: string[];
}

/** What names the provider; each as it would be written in code or prose. */
async function termsOf(descriptor: ProviderDescriptor): Promise<Term[]> {
  const quoted = (text: string) => new RegExp(`['"\`]${escape(text)}['"\`]`);
  const terms: Term[] = [
    { what: `provider name ${descriptor.name}`, pattern: quoted(descriptor.name) },
    { what: `provider name ${descriptor.name}`, pattern: new RegExp(`--provider[ =]${escape(descriptor.name)}\\b`) },
    // saml/ implements the SAML ECP profile itself (DESIGN.md: saml/ builds the ECP envelope), so
    // the protocol's name is the one word allowed there.
    { what: `provider title ${descriptor.title}`, pattern: word(descriptor.title), allowedIn: descriptor.name === 'ecp' ? ['saml'] : [] },
    ...descriptor.terms.map((term) => ({ what: `term ${term}`, pattern: word(term) })),
  ];
  for (const setting of descriptor.settings) {
    terms.push({ what: `setting ${setting.key}`, pattern: word(setting.key) });
    terms.push({ what: `flag --${setting.flag}`, pattern: word(`--${setting.flag}`) });
    terms.push({ what: `flag ${setting.flag}`, pattern: quoted(setting.flag) });
  }
  for (const flag of Object.keys(descriptor.loginFlags ?? {})) {
    terms.push({ what: `login flag --${flag}`, pattern: word(`--${flag}`) }, { what: `login flag ${flag}`, pattern: quoted(flag) });
  }
  for (const secret of descriptor.secrets ?? []) terms.push({ what: `secret variable ${secret.variable}`, pattern: word(secret.variable) });
  const errors = join(PROVIDERS_DIR, descriptor.name, 'errors.ts');
  if (existsSync(errors)) {
    for (const name of Object.keys(await import(errors) as object)) terms.push({ what: `error ${name}`, pattern: word(name) });
  }
  return terms;
}

describe('provider registry', () => {
  it('keeps every provider inside its own folder: nothing in src/ outside src/providers/ names one', async () => {
    const files = await sourceFiles(SRC);
    expect(files.length).to.be.greaterThan(40);
    const leaks: string[] = [];
    for (const descriptor of PROVIDERS) {
      const terms = await termsOf(descriptor);
      for (const file of files) {
        const path = relative(SRC, file);
        const lines = (await readFile(file, 'utf8')).split('\n');
        for (const term of terms) {
          if (term.allowedIn?.some((folder) => path.startsWith(`${folder}/`))) continue;
          lines.forEach((line, index) => {
            if (term.pattern.test(line)) leaks.push(`src/${path}:${index + 1}: ${term.what}: ${line.trim().slice(0, 100)}`);
          });
        }
      }
    }
    expect(leaks, leaks.join('\n')).to.deep.equal([]);
  });

  it('the scan finds a provider word where one is planted', async () => {
    // Guards the scan itself: a pattern that never matches would pass the test above for nothing.
    const [first] = PROVIDERS;
    const terms = await termsOf(first!);
    const planted = [`awsl login configure --provider ${first!.name}`, `const x = '${first!.settings[0]!.flag}';`, `// ${first!.title} says no`];
    for (const line of planted) expect(terms.some((term) => term.pattern.test(line)), line).to.equal(true);
  });

  it('gives each provider a folder with its descriptor and a README on protocol, endpoints, factors and quirks', async () => {
    for (const descriptor of PROVIDERS) {
      const folder = join(PROVIDERS_DIR, descriptor.name);
      expect(existsSync(join(folder, 'descriptor.ts')), `${descriptor.name}/descriptor.ts`).to.equal(true);
      const readme = await readFile(join(folder, 'README.md'), 'utf8');
      for (const heading of ['Protocol', 'Endpoints', 'Factors', 'Quirks']) expect(readme, `${descriptor.name}/README.md`).to.match(new RegExp(`^## ${heading}`, 'm'));
    }
  });

  it('has one flag per setting and no provider setting that shadows a shared one', () => {
    const flags = ALL_SETTINGS.map((setting) => setting.flag);
    expect(new Set(flags).size).to.equal(flags.length);
    const common = new Set(COMMON_SETTINGS.map((setting) => setting.key));
    for (const descriptor of PROVIDERS) {
      for (const setting of descriptor.settings) expect(common.has(setting.key), setting.key).to.equal(false);
    }
  });

  it('asks every provider the shared settings, after its own IdP settings and before the role', () => {
    for (const descriptor of PROVIDERS) {
      const keys = settingsOf(descriptor).filter((setting) => !setting.unprompted).map((setting) => setting.key);
      const unused = descriptor.unusedSharedSettings ?? [];
      for (const shared of COMMON_SETTINGS.filter((setting) => !setting.unprompted)) {
        if (unused.includes(shared.key)) expect(keys, descriptor.name).to.not.include(shared.key);
        else expect(keys, descriptor.name).to.include(shared.key);
      }
      const own = descriptor.settings.filter((setting) => !setting.unprompted && (setting.group ?? 'idp') === 'idp').map((setting) => keys.indexOf(setting.key));
      const firstShared = keys.findIndex((key) => COMMON_SETTINGS.some((setting) => setting.key === key));
      expect(Math.max(...own), descriptor.name).to.be.lessThan(firstShared);
      expect(keys.at(-1), descriptor.name).to.equal('awsl_duration');
    }
  });

  it('types a profile with its provider\'s own settings only', () => {
    for (const descriptor of PROVIDERS) {
      const settings = readProfileSettings('p', { awsl_provider: descriptor.name, awsl_username: 'me' })!;
      expect(settings).to.include({ profile: 'p', provider: descriptor.name, username: 'me' });
      expect(settings).to.include(descriptor.read(() => undefined));
    }
  });
});
