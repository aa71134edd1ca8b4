/**
 * What every command shares (src/command-base.ts), seen from the built CLI: oclif's flag errors as
 * one line and a hint, and --json errors, on stdout, also told on stderr when that is a terminal.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { AWSL_BIN, createSandbox, runAwsl, type Sandbox } from './support/cli.js';

/** Runs awsl on a pseudo-terminal (script(1)) with stdout redirected to `file`: what the terminal shows. */
function runWithStdoutTo(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; screen: string }> {
  const command = `exec ${[process.execPath, AWSL_BIN, ...args].join(' ')} > ${file}`;
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qefc', command, '/dev/null'], { env: { ...env, TERM: 'dumb' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let screen = '';
    child.stdout.on('data', (chunk: Buffer) => { screen += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { screen += chunk.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, screen: screen.replace(/\r\n/g, '\n') }));
    child.stdin.end();
  });
}

describe('command-base (errors as every command reports them)', function () {
  let sandbox: Sandbox;
  before(function () {
    sandbox = createSandbox();
  });
  after(function () {
    sandbox?.remove();
  });

  it('a flag error is one line and a hint, naming the flag meant, without the usage dump', async function () {
    const typo = await runAwsl(['login', '--rol-arn', 'x'], { env: sandbox.env });
    expect([typo.code, typo.stdout, typo.stderr]).to.deep.equal([2, '', 'Nonexistent flag: --rol-arn\nDid you mean --role-arn? Run awsl login --help.\n']);
    const hoisted = await runAwsl(['--profile', 'prod', 'login', '--rol-arn', 'x'], { env: sandbox.env });
    expect(hoisted.stderr).to.equal(typo.stderr);
    const missing = await runAwsl(['logout', '--profile'], { env: sandbox.env });
    expect([missing.code, missing.stderr]).to.deep.equal([2, 'Flag --profile expects a value\nRun awsl logout --help.\n']);
    const json = await runAwsl(['status', '--al', '--json'], { env: sandbox.env });
    expect([json.code, json.stderr]).to.deep.equal([2, '']);
    expect(JSON.parse(json.stdout)).to.deep.equal({ error: { name: 'InvalidInputError', message: 'Nonexistent flag: --al', hint: 'Did you mean --all? Run awsl status --help.', exitCode: 2 } });
  });

  it('--json: the error object on stdout, and its text on stderr when stderr is a terminal (ux-findings P9)', async function () {
    const file = join(sandbox.home, 'out.json');
    const { code, screen } = await runWithStdoutTo(file, ['status', '--profile', 'nope', '--json'], sandbox.env);
    expect(code).to.equal(4);
    const message = `Profile nope is not set up for awsl (no awsl_provider in ${sandbox.configFile}).`;
    expect(screen).to.equal(`${message}\nRun: awsl login configure --profile nope\n`);
    expect(JSON.parse(readFileSync(file, 'utf8'))).to.deep.equal({ error: { name: 'ProfileNotConfiguredError', message, hint: 'Run: awsl login configure --profile nope', exitCode: 4 } });
    // Not a terminal: stderr stays empty, as scripts expect.
    const piped = await runAwsl(['status', '--profile', 'nope', '--json'], { env: sandbox.env });
    expect([piped.code, piped.stderr]).to.deep.equal([4, '']);
  });
});
