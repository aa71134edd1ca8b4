import { chmod, lstat, mkdir, mkdtemp, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { FileUnreadableError } from '../../src/errors.js';
import { editIniFile, readIniFile } from '../../src/state/ini-file.js';
import { killAllChildren, startChild } from './fixtures/children.js';

const ORIGINAL = `# Team config: keep these comments
; and this one

[default]
region = eu-west-1 # Dublin

# prod is read-only
[profile prod]
region = eu-central-1
s3 =
  max_concurrent_requests = 20
`;

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('ini-file', () => {
  let folder: string;
  let file: string;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'awsl-ini-file-'));
    file = join(folder, 'config');
  });

  afterEach(async () => {
    killAllChildren();
    await rm(folder, { recursive: true, force: true });
  });

  describe('editIniFile', () => {
    it('creates a missing file (0600 by default, in a new 0700 folder) and reports it', async () => {
      const path = join(folder, '.aws', 'credentials');
      const outcome = await editIniFile(path, (document) => {
        document.set('prod', 'aws_access_key_id', 'ASIAAWSLTEST');
        return 'done';
      });
      expect(outcome).to.deep.equal({ result: 'done', changed: true, mode: 0o600 });
      expect(await readFile(path, 'utf8')).to.equal('[prod]\naws_access_key_id = ASIAAWSLTEST\n');
      expect((await stat(path)).mode & 0o777).to.equal(0o600);
      expect((await stat(join(folder, '.aws'))).mode & 0o777).to.equal(0o700);
      expect(await readdir(join(folder, '.aws'))).to.deep.equal(['credentials']);
    });

    it('creates a file with createMode', async () => {
      const outcome = await editIniFile(file, (document) => document.set('default', 'region', 'x'), { createMode: 0o644 });
      expect(outcome.mode).to.equal(0o644);
      expect((await stat(file)).mode & 0o777).to.equal(0o644);
    });

    it('changes only the lines it must, and keeps and reports the existing mode', async () => {
      await writeFile(file, ORIGINAL);
      await chmod(file, 0o644);
      const outcome = await editIniFile(file, (document) => document.set('profile prod', 'awsl_provider', 'ecp'), { createMode: 0o600 });
      expect(outcome).to.deep.equal({ result: undefined, changed: true, mode: 0o644 });
      expect(await readFile(file, 'utf8')).to.equal(`${ORIGINAL}awsl_provider = ecp\n`);
      expect((await stat(file)).mode & 0o777).to.equal(0o644);
    });

    it('does not write when nothing changed', async () => {
      await writeFile(file, ORIGINAL);
      await chmod(file, 0o600);
      const before = await stat(file);
      await sleep(20);
      const outcome = await editIniFile(file, (document) => {
        document.set('default', 'region', 'eu-west-1');
        return document.get('profile prod', 'region');
      });
      expect(outcome).to.deep.equal({ result: 'eu-central-1', changed: false, mode: 0o600 });
      const after = await stat(file);
      expect([after.ino, after.mtimeMs]).to.deep.equal([before.ino, before.mtimeMs]);
      expect(await readdir(folder)).to.deep.equal(['config']);
    });

    it('does not create a missing file for an edit that adds nothing', async () => {
      const outcome = await editIniFile(file, (document) => document.delete('default', 'region'));
      expect(outcome).to.deep.equal({ result: false, changed: false, mode: undefined });
      expect(await readdir(folder)).to.deep.equal([]);
    });

    it('leaves a file that does not parse untouched and says where it is wrong', async () => {
      const broken = '[default]\nregion = x\nthis line is wrong\n';
      await writeFile(file, broken);
      let called = false;
      const error = await failureOf(editIniFile(file, () => (called = true)));
      expect(error).to.be.instanceOf(FileUnreadableError);
      expect(error).to.include({ file, line: 3 });
      expect(called).to.equal(false);
      expect(await readFile(file, 'utf8')).to.equal(broken);
      expect(await readdir(folder)).to.deep.equal(['config']);
    });

    it('writes nothing when the edit throws, and passes its error on', async () => {
      await writeFile(file, ORIGINAL);
      const error = await failureOf(editIniFile(file, (document) => {
        document.set('default', 'region', 'changed');
        throw new RangeError('changed my mind');
      }));
      expect(error).to.be.instanceOf(RangeError);
      expect(await readFile(file, 'utf8')).to.equal(ORIGINAL);
      expect(await readdir(folder)).to.deep.equal(['config']);
    });

    it('refuses a file that is not UTF-8, naming the line', async () => {
      await writeFile(file, Buffer.concat([Buffer.from('[default]\nregion = x\nname = '), Buffer.from([0xff, 0xfe]), Buffer.from('\n')]));
      const error = await failureOf(editIniFile(file, (document) => document.set('default', 'a', 'b')));
      expect(error).to.be.instanceOf(FileUnreadableError);
      expect(error).to.include({ line: 3 });
      expect((error as FileUnreadableError).hint).to.include('UTF-8');
    });

    it('refuses a UTF-16 file (as Notepad saves "Unicode") at line 1', async () => {
      await writeFile(file, Buffer.from('\uFEFF[default]\r\nregion = x\r\n', 'utf16le'));
      expect(await failureOf(readIniFile(file))).to.be.instanceOf(FileUnreadableError).and.include({ line: 1 });
    });

    it('edits a symlinked file in place and locks next to the real file', async () => {
      await mkdir(join(folder, 'dotfiles'));
      const real = join(folder, 'dotfiles', 'aws-config');
      await writeFile(real, ORIGINAL);
      await symlink(real, file);
      await editIniFile(file, (document) => document.set('default', 'output', 'json'));
      expect((await lstat(file)).isSymbolicLink()).to.equal(true);
      expect(await readFile(real, 'utf8')).to.equal(ORIGINAL.replace('# Dublin\n', '# Dublin\noutput = json\n'));
      expect(await readdir(join(folder, 'dotfiles'))).to.deep.equal(['aws-config']);
    });

    it('removes temporary files a killed writer left behind', async () => {
      await writeFile(file, ORIGINAL);
      await writeFile(join(folder, '.config.awsl-99999-0123456789ab.tmp'), '[half');
      await editIniFile(file, (document) => document.set('default', 'output', 'json'));
      expect(await readdir(folder)).to.deep.equal(['config']);
    });

    it('turns a system error into FileUnreadableError', async () => {
      await writeFile(join(folder, 'file'), '');
      const error = await failureOf(editIniFile(join(folder, 'file', 'config'), (document) => document.set('a', 'b', 'c')));
      expect(error).to.be.instanceOf(FileUnreadableError);
      expect((error as FileUnreadableError).message).to.match(/ENOTDIR|EEXIST/);
    });

    it('keeps every change made by concurrent edits in one process', async () => {
      await writeFile(file, ORIGINAL);
      await Promise.all(Array.from({ length: 30 }, (_, index) => editIniFile(file, (document) => document.set(`profile p${index}`, 'region', `r${index}`))));
      const document = await readIniFile(file);
      for (let index = 0; index < 30; index += 1) expect(document?.get(`profile p${index}`, 'region')).to.equal(`r${index}`);
      expect(document?.toString().startsWith(ORIGINAL)).to.equal(true);
      expect(await readdir(folder)).to.deep.equal(['config']);
    });
  });

  describe('readIniFile', () => {
    it('returns undefined for a missing file', async () => {
      expect(await readIniFile(file)).to.equal(undefined);
    });

    it('parses an existing file', async () => {
      await writeFile(file, ORIGINAL);
      const document = await readIniFile(file);
      expect(document?.toString()).to.equal(ORIGINAL);
      expect(document?.section('default')).to.deep.equal({ region: 'eu-west-1' });
    });

    it('reports a parse error with file and line', async () => {
      await writeFile(file, '[default\n');
      expect(await failureOf(readIniFile(file))).to.be.instanceOf(FileUnreadableError).and.include({ file, line: 1 });
    });

    it('reports a folder in the file\'s place as FileUnreadableError', async () => {
      await mkdir(file);
      expect(await failureOf(readIniFile(file))).to.be.instanceOf(FileUnreadableError);
    });
  });

  describe('across processes', () => {
    it('keeps every section added by 20 processes editing at once, and the comments', async () => {
      await writeFile(file, ORIGINAL);
      const children = await Promise.all(Array.from({ length: 20 }, (_, index) => startChild('edit', file, `child${index}`, '3')));
      await Promise.all(children.map((child) => child.printed('ready')));
      for (const child of children) child.process.stdin.write('go\n');
      const codes = await Promise.all(children.map((child) => child.exited));
      expect(codes, children.map((child) => child.stderr()).join('\n')).to.deep.equal(Array(20).fill(0));

      const text = await readFile(file, 'utf8');
      expect(text.startsWith(ORIGINAL)).to.equal(true);
      const document = await readIniFile(file);
      expect(document?.sections()).to.have.length(22);
      for (let index = 0; index < 20; index += 1) {
        expect(document?.section(`profile child${index}`)).to.deep.equal({ key_0: `child${index}-0`, key_1: `child${index}-1`, key_2: `child${index}-2` });
      }
      expect(await readdir(folder)).to.deep.equal(['config']);
    });

    it('takes over the lock of a process killed while holding it in well under a second', async () => {
      await writeFile(file, ORIGINAL);
      const holder = await startChild('hold', file);
      await holder.printed('locked');
      holder.process.kill('SIGKILL');
      await holder.exited;
      expect(await readdir(folder)).to.include('config.lock');

      // Well under the 10 s an edit waits for a live holder, however loaded the machine.
      const start = performance.now();
      await editIniFile(file, (document) => document.set('default', 'output', 'json'));
      expect(performance.now() - start).to.be.below(5000);
      expect(await readdir(folder)).to.deep.equal(['config']);
    });

    it('leaves the old or the new file, never a broken one, when writers are killed at random moments', async () => {
      const size = 256 * 1024;
      await writeFile(file, ORIGINAL);
      let lastCounter = 0;
      for (let round = 0; round < 8; round += 1) {
        const writer = await startChild('loop', file, String(size));
        await writer.printed('ready');
        await sleep(50 + Math.random() * 250);
        writer.process.kill('SIGKILL');
        await writer.exited;

        const text = await readFile(file, 'utf8');
        expect(text.startsWith(ORIGINAL)).to.equal(true);
        const big = (await readIniFile(file))?.section('profile big');
        if (!big) continue;
        const counter = Number(big.counter);
        expect(Number.isInteger(counter) && counter >= lastCounter, `counter ${big.counter} after ${lastCounter}`).to.equal(true);
        expect(big.padding).to.equal(`${'x'.repeat(size)}${counter}`);
        lastCounter = counter;
      }
      expect(lastCounter).to.be.above(0);

      // The next edit cleans up whatever the killed writers left.
      await editIniFile(file, (document) => document.removeSection('profile big'));
      expect(await readFile(file, 'utf8')).to.equal(ORIGINAL);
      expect(await readdir(folder)).to.deep.equal(['config']);
    });
  });
});
