/**
 * Completion of profile names after --profile and -p, in real bash and zsh, set up as the README
 * says: the line `awsl autocomplete script SHELL` prints goes into the shell's rc file. The built
 * CLI writes the plugin's cache; the candidates are read back from the shells themselves, and the
 * names compared with those the real AWS CLI lists.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { AWS_CLI, available as awsCliAvailable, awsCli } from '../peers/aws-cli.js';
import { createSandbox, runAwsl, type Sandbox } from '../support/cli.js';
import { requirePeer } from '../support/peers.js';

const run = promisify(execFile);
const BASH_DRIVER = resolve('test/support/complete.bash');
const ZSH_DRIVER = resolve('test/support/complete.zsh');
const ZSH = '/usr/bin/zsh';
const FIXTURES = ['test/fixtures/aws-config', 'test/fixtures/ini-accepted'].flatMap((folder) => readdirSync(folder).filter((name) => name.endsWith('.ini')).map((name) => join(folder, name)));
/** [default], [profile …] with odd spacing, quotes and comments, and sections that are not profiles. */
const SECTIONS = resolve('test/fixtures/aws-config/profile-sections.ini');
const SECTION_PROFILES = ['default', 'prod', 'spaced', 'quoted', 'single', 'odd', 'indented', 'commented', 'prod-eu'];

/** Lines whose completion is the plugin's alone: commands, subcommands and flags. */
const PLUGIN_LINES = [['awsl', ''], ['awsl', 'st'], ['awsl', 'login', ''], ['awsl', 'login', '--'], ['awsl', 'status', '--j'], ['awsl', 'import', '']];

describe('hooks/profile-completion (shell completion of profile names)', function () {
  this.timeout(60_000);
  let sandbox: Sandbox;
  const rcFile = (shell: string) => join(sandbox.home, `.${shell}rc`);
  const pluginCache = () => join(sandbox.home, '.cache', 'awsl', 'autocomplete');

  /** `awsl autocomplete SHELL…`, then the setup line it asks for in the shell's rc file. */
  async function setUp(...args: string[]): Promise<void> {
    const build = await runAwsl(['autocomplete', ...args], { env: sandbox.env });
    expect(build.code, build.stderr).to.equal(0);
    for (const shell of ['bash', 'zsh']) {
      const script = await runAwsl(['autocomplete', 'script', shell], { env: sandbox.env });
      expect(script.code, script.stderr).to.equal(0);
      writeFileSync(rcFile(shell), script.stdout);
    }
  }

  /** What bash offers for `words` (the last one being completed) with `rc` sourced. */
  async function bash(words: string[], env: NodeJS.ProcessEnv = {}, rc = rcFile('bash')): Promise<string[]> {
    const { stdout } = await run('bash', ['--norc', '--noprofile', BASH_DRIVER, rc, ...words], { env: { ...sandbox.env, ...env } });
    return stdout.split('\n').filter(Boolean);
  }

  /** What zsh offers when `line` is typed and then TAB, in an interactive zsh with `rc` sourced. */
  async function zsh(line: string, rc = rcFile('zsh')): Promise<string[]> {
    const folder = mkdtempSync(join(tmpdir(), 'awsl-zsh-'));
    try {
      const out = join(folder, 'offered');
      await run(ZSH, ['-f', ZSH_DRIVER, rc, out, line], { env: sandbox.env, timeout: 30_000 });
      return readFileSync(out, 'utf8').split('\n').filter((candidate) => candidate !== '' && candidate !== ' done');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }

  before(async function () {
    sandbox = createSandbox({ AWS_CONFIG_FILE: SECTIONS });
    await setUp('bash');
  });

  after(function () {
    sandbox?.remove();
  });

  it('the names are those `aws configure list-profiles` lists, for every config file of the corpus', async function () {
    requirePeer(this, awsCliAvailable(), 'AWS CLI v2 at /usr/bin/aws (Debian awscli)');
    for (const file of FIXTURES) {
      const listed = await awsCli(['configure', 'list-profiles'], { AWS_CONFIG_FILE: resolve(file), AWS_SHARED_CREDENTIALS_FILE: join(sandbox.home, 'no-credentials') });
      expect(listed.code, `${AWS_CLI} on ${file}: ${listed.stderr}`).to.equal(0);
      const names = listed.stdout.split('\n').filter(Boolean);
      expect(names.length, file).to.be.above(0);
      expect(await bash(['awsl', '--profile', ''], { AWS_CONFIG_FILE: resolve(file) }), file).to.deep.equal(names);
    }
    expect(await bash(['awsl', '--profile', ''])).to.deep.equal(SECTION_PROFILES);
  });

  describe('bash', function () {
    it('completes the profile names after --profile and -p, before or after the command', async function () {
      expect(await bash(['awsl', '--profile', ''])).to.deep.equal(SECTION_PROFILES);
      expect(await bash(['awsl', '-p', ''])).to.deep.equal(SECTION_PROFILES);
      expect(await bash(['awsl', 'login', '--profile', ''])).to.deep.equal(SECTION_PROFILES);
      expect(await bash(['awsl', 'status', '--profile', 'pr'])).to.deep.equal(['prod', 'prod-eu']);
      expect(await bash(['awsl', 'login', 'configure', '-p', 'sp'])).to.deep.equal(['spaced']);
      // bash splits --profile=pr at the =.
      expect(await bash(['awsl', 'status', '--profile', '=', 'pr'])).to.deep.equal(['prod', 'prod-eu']);
      expect(await bash(['awsl', '--profile', 'nosuch'])).to.deep.equal([]);
    });

    it('reads ~/.aws/config when AWS_CONFIG_FILE is unset, and offers nothing when there is no config file', async function () {
      writeFileSync(join(sandbox.home, '.aws', 'config'), '[profile home-one]\n[sso-session corp]\n[default]\n');
      expect(await bash(['awsl', '-p', ''], { AWS_CONFIG_FILE: '' })).to.deep.equal(['home-one', 'default']);
      expect(await bash(['awsl', '-p', ''], { AWS_CONFIG_FILE: '~/.aws/config' })).to.deep.equal(['home-one', 'default']);
      expect(await bash(['awsl', '-p', ''], { AWS_CONFIG_FILE: join(sandbox.home, 'absent') })).to.deep.equal([]);
    });

    it('leaves commands and flags to the plugin, exactly as its own script completes them', async function () {
      const pluginOnly = join(pluginCache(), 'functions', 'bash', 'awsl.bash');
      for (const words of PLUGIN_LINES) {
        const offered = await bash(words);
        expect(offered.length, words.join(' ')).to.be.above(0);
        expect(offered, words.join(' ')).to.deep.equal(await bash(words, {}, pluginOnly));
      }
      expect(await bash(['awsl', 'st'])).to.deep.equal(['status']);
      expect(await bash(['awsl', 'login', '--pro'])).to.deep.equal(['--profile']);
    });

    it('offers no profile after --, where the words are another program\'s', async function () {
      expect(await bash(['awsl', 'exec', '--', 'ssh', '-p', ''])).to.not.include('prod');
    });
  });

  describe('zsh', function () {
    before(function () {
      requirePeer(this, existsSync(ZSH), 'zsh (Debian zsh)');
    });

    it('completes the profile names after --profile, -p and --profile=', async function () {
      expect(await zsh('awsl --profile ')).to.deep.equal(SECTION_PROFILES);
      expect(await zsh('awsl -p ')).to.deep.equal(SECTION_PROFILES);
      expect(await zsh('awsl login --profile ')).to.deep.equal(SECTION_PROFILES);
      expect(await zsh('awsl status --profile pr')).to.deep.equal(['prod', 'prod-eu']);
      expect(await zsh('awsl status --profile=pr')).to.deep.equal(['prod', 'prod-eu']);
    });

    it('leaves commands, flags and the words after -- to the plugin', async function () {
      expect(await zsh('awsl st')).to.deep.equal(['status']);
      expect(await zsh('awsl login --pro')).to.deep.equal(['--profile']);
      expect(await zsh('awsl exec -- ssh -p ')).to.not.include('prod');
    });
  });

  it('survives the cache being written again: one copy of the completion, still working', async function () {
    await setUp('--refresh-cache');
    await setUp('zsh');
    const create = await runAwsl(['autocomplete', 'create'], { env: sandbox.env });
    expect(create.code, create.stderr).to.equal(0);
    for (const setup of ['bash_setup', 'zsh_setup']) {
      expect(readFileSync(join(pluginCache(), setup), 'utf8').split('# >>> awsl').length - 1, setup).to.equal(1);
    }
    expect(await bash(['awsl', 'status', '--profile', 'pr'])).to.deep.equal(['prod', 'prod-eu']);
    requirePeer(this, existsSync(ZSH), 'zsh (Debian zsh)');
    expect(await zsh('awsl status --profile pr')).to.deep.equal(['prod', 'prod-eu']);
  });
});
