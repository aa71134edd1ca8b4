import { chmod, chown, lstat, mkdir, mkdtemp, readFile, readdir, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { ensurePrivateDirectory, removeOrphanTemporaryFiles, resolveFilePath, writeFileAtomic } from '../../src/state/atomic-file.js';

const modeOf = async (path: string) => (await stat(path)).mode & 0o7777;

describe('atomic-file', () => {
  let folder: string;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'awsl-atomic-'));
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  describe('writeFileAtomic', () => {
    it('creates a new file 0600 and its missing folders 0700', async () => {
      const path = join(folder, 'home', '.aws', 'credentials');
      await writeFileAtomic(path, '[default]\n');
      expect(await readFile(path, 'utf8')).to.equal('[default]\n');
      expect(await modeOf(path)).to.equal(0o600);
      expect(await modeOf(join(folder, 'home', '.aws'))).to.equal(0o700);
      expect(await modeOf(join(folder, 'home'))).to.equal(0o700);
    });

    it('gives a new file the requested mode, whatever the umask', async () => {
      const path = join(folder, 'config');
      await writeFileAtomic(path, 'x', { mode: 0o664 });
      expect(await modeOf(path)).to.equal(0o664);
    });

    it('keeps the mode of an existing file', async () => {
      const path = join(folder, 'config');
      await writeFile(path, 'old');
      await chmod(path, 0o640);
      await writeFileAtomic(path, 'new', { mode: 0o600 });
      expect(await readFile(path, 'utf8')).to.equal('new');
      expect(await modeOf(path)).to.equal(0o640);
    });

    it('keeps the owner of an existing file (root can hand it back)', async () => {
      const path = join(folder, 'credentials');
      await writeFile(path, 'old');
      const owner = process.getuid?.() === 0 ? 4321 : (await stat(path)).uid;
      if (owner === 4321) await chown(path, owner, owner);
      await writeFileAtomic(path, 'new');
      expect((await stat(path)).uid).to.equal(owner);
    });

    it('leaves an existing folder\'s mode alone', async () => {
      const aws = join(folder, '.aws');
      await mkdir(aws, { mode: 0o755 });
      await chmod(aws, 0o755);
      await writeFileAtomic(join(aws, 'config'), 'x');
      expect(await modeOf(aws)).to.equal(0o755);
    });

    it('writes bytes as given', async () => {
      const path = join(folder, 'data');
      const bytes = Uint8Array.from([0xef, 0xbb, 0xbf, 0x5b, 0x0d, 0x0a, 0x00, 0xff]);
      await writeFileAtomic(path, bytes);
      expect(Buffer.compare(await readFile(path), bytes)).to.equal(0);
    });

    it('edits the target of a symlink and leaves the link in place', async () => {
      const dotfiles = join(folder, 'dotfiles');
      await mkdir(dotfiles);
      const real = join(dotfiles, 'aws-config');
      await writeFile(real, 'old');
      await chmod(real, 0o600);
      const link = join(folder, 'config');
      await symlink('dotfiles/aws-config', link);
      const chained = join(folder, 'config-again');
      await symlink(link, chained);

      await writeFileAtomic(chained, 'new');
      expect((await lstat(link)).isSymbolicLink()).to.equal(true);
      expect((await lstat(chained)).isSymbolicLink()).to.equal(true);
      expect(await readlink(link)).to.equal('dotfiles/aws-config');
      expect(await readFile(real, 'utf8')).to.equal('new');
      expect(await modeOf(real)).to.equal(0o600);
      expect(await readdir(dotfiles)).to.deep.equal(['aws-config']);
    });

    it('creates the file a dangling symlink points to', async () => {
      const link = join(folder, 'credentials');
      await symlink('store/credentials', link);
      await writeFileAtomic(link, 'x');
      expect((await lstat(link)).isSymbolicLink()).to.equal(true);
      expect(await readFile(join(folder, 'store', 'credentials'), 'utf8')).to.equal('x');
      expect(await modeOf(join(folder, 'store'))).to.equal(0o700);
    });

    it('refuses a symlink loop', async () => {
      await symlink('b', join(folder, 'a'));
      await symlink('a', join(folder, 'b'));
      let failure: unknown;
      await writeFileAtomic(join(folder, 'a'), 'x').catch((error: unknown) => (failure = error));
      expect(failure).to.have.property('code', 'ELOOP');
    });

    it('leaves no temporary file after writing', async () => {
      const path = join(folder, 'config');
      for (let round = 0; round < 5; round += 1) await writeFileAtomic(path, `round ${round}`);
      expect(await readdir(folder)).to.deep.equal(['config']);
    });

    it('leaves the target and no temporary file when the write fails', async () => {
      // A folder where the file should be: everything succeeds up to the rename.
      const path = join(folder, 'config');
      await mkdir(path);
      await writeFile(join(path, 'inside'), 'kept');
      let failure: unknown;
      await writeFileAtomic(path, 'new').catch((error: unknown) => (failure = error));
      expect(failure).to.be.instanceOf(Error);
      expect(await readdir(folder)).to.deep.equal(['config']);
      expect(await readFile(join(path, 'inside'), 'utf8')).to.equal('kept');
    });

    it('leaves no temporary file when the content cannot be written', async () => {
      const path = join(folder, 'config');
      await writeFile(path, 'old');
      let failure: unknown;
      // Not a string nor bytes: the write itself throws after the temporary file was opened.
      await writeFileAtomic(path, 42 as unknown as string).catch((error: unknown) => (failure = error));
      expect(failure).to.be.instanceOf(Error);
      expect(await readdir(folder)).to.deep.equal(['config']);
      expect(await readFile(path, 'utf8')).to.equal('old');
    });

    it('fails cleanly when the folder cannot be created', async () => {
      const blocker = join(folder, 'not-a-folder');
      await writeFile(blocker, '');
      let failure: unknown;
      await writeFileAtomic(join(blocker, 'config'), 'x').catch((error: unknown) => (failure = error));
      expect(failure).to.have.property('code').that.is.oneOf(['ENOTDIR', 'EEXIST']);
      expect(await readdir(folder)).to.deep.equal(['not-a-folder']);
    });
  });

  describe('ensurePrivateDirectory', () => {
    it('creates nested folders 0700 and accepts existing ones', async () => {
      const path = join(folder, 'a', 'b', 'c');
      await ensurePrivateDirectory(path);
      await ensurePrivateDirectory(path);
      expect(await modeOf(join(folder, 'a'))).to.equal(0o700);
      expect(await modeOf(path)).to.equal(0o700);
    });
  });

  describe('resolveFilePath', () => {
    it('returns a missing file\'s own absolute path', async () => {
      expect(await resolveFilePath(join(folder, 'nothing'))).to.equal(join(folder, 'nothing'));
    });
  });

  describe('removeOrphanTemporaryFiles', () => {
    it('removes only the temporary files of that file', async () => {
      const path = join(folder, 'config');
      await writeFile(path, 'x');
      await writeFile(join(folder, '.config.awsl-123-abcdef.tmp'), 'partial');
      await writeFile(join(folder, '.credentials.awsl-123-abcdef.tmp'), 'other file');
      await writeFile(join(folder, '.config.awsl-notes'), 'not ours');
      await removeOrphanTemporaryFiles(path);
      expect((await readdir(folder)).sort()).to.deep.equal(['.config.awsl-notes', '.credentials.awsl-123-abcdef.tmp', 'config']);
    });

    it('accepts a missing folder', async () => {
      await removeOrphanTemporaryFiles(join(folder, 'missing', 'config'));
    });
  });
});
