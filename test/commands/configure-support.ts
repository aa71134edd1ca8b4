/** What the `login configure` end-to-end tests share: the corpus of ~/.aws/config files and sandboxes holding one. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect } from 'chai';
import type { Sandbox } from '../support/cli.js';
import { createHome } from '../support/world.js';

const CORPUS = resolve('test/fixtures/aws-config');

export const ECP_URL = 'https://idp.example.edu/idp/profile/SAML2/SOAP/ECP';

/** The issue's own example of an unattended configure. */
export const EXAMPLE_ARGS = ['login', 'configure', '--profile', 'x', '--provider', 'ecp', '--ecp-endpoint-url', ECP_URL, '--username', 'me', '--no-prompt'];

/** A corpus file, exactly as stored. */
export function corpus(name: string): string {
  return readFileSync(join(CORPUS, name), 'utf8');
}

export interface ConfigSandbox extends Sandbox {
  /** The config file's text now. */
  read(): string;
}

/** A HOME of the world builder (no peers) whose ~/.aws/config holds `text` (none when undefined). */
export function sandboxWithConfig(text: string | undefined, extraEnv: NodeJS.ProcessEnv = {}): ConfigSandbox {
  const home = createHome(extraEnv);
  if (text !== undefined) home.writeConfig(text);
  return { ...home.sandbox, read: home.readConfig };
}

export interface FileSnapshot {
  bytes: Buffer;
  ino: number;
  mtimeMs: number;
  mode: number;
  /** The file's folder: a refused edit leaves no temporary or lock file behind either. */
  siblings: string[];
}

export function snapshot(file: string): FileSnapshot {
  const stats = statSync(file);
  return { bytes: readFileSync(file), ino: stats.ino, mtimeMs: stats.mtimeMs, mode: stats.mode & 0o7777, siblings: readdirSync(join(file, '..')).sort() };
}

/** The file was not written at all: same bytes, same inode (no rename), same mtime, nothing beside it. */
export function expectUntouched(file: string, before: FileSnapshot): void {
  const after = snapshot(file);
  expect(after.bytes.toString('utf8')).to.equal(before.bytes.toString('utf8'));
  expect(after.bytes.equals(before.bytes), 'bytes').to.equal(true);
  expect({ ino: after.ino, mtimeMs: after.mtimeMs, mode: after.mode, siblings: after.siblings })
    .to.deep.equal({ ino: before.ino, mtimeMs: before.mtimeMs, mode: before.mode, siblings: before.siblings });
}
