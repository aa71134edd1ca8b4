/** awsl's help as a first-time user reads it (ux-findings P1): the built CLI, no terminal (80 columns). */
import { expect } from 'chai';
import { createSandbox, runAwsl, type Sandbox } from './support/cli.js';

describe('help (src/help.ts, src/messages/)', function () {
  let sandbox: Sandbox;
  before(function () {
    sandbox = createSandbox();
  });
  after(function () {
    sandbox?.remove();
  });

  it('the root help has a way in: where to start, the global flags, what goes to the AWS CLI, every command once', async function () {
    const { code, stdout, stderr } = await runAwsl([], { env: sandbox.env });
    expect([code, stderr]).to.deep.equal([0, '']);
    const headers = stdout.split('\n').filter((line) => /^[A-Z][A-Z ]+$/.test(line));
    expect(headers).to.deep.equal(['VERSION', 'USAGE', 'START HERE', 'GLOBAL FLAGS', 'AWS CLI', 'COMMANDS']);
    expect(stdout).to.match(/^ {2}awsl login configure --profile NAME +Set up a profile/m);
    expect(stdout).to.match(/^ {2}-p, --profile=PROFILE +AWS profile to use, before or after the command/m);
    expect(stdout).to.match(/^ {2}-v, --verbose +Show debug output/m);
    expect(stdout).to.match(/^ {2}login configure +Set up a profile for awsl/m);
    expect(stdout.match(/^ {2}login {2,}/gm), 'login listed once').to.have.length(1);
    for (const line of stdout.split('\n')) expect(line.length, line).to.be.at.most(80);
    expect((await runAwsl(['--help'], { env: sandbox.env })).stdout).to.equal(stdout);
  });

  it('-h and -v answer as in other CLIs: help, and the version', async function () {
    const help = await runAwsl(['login', '-h'], { env: sandbox.env });
    expect([help.code, help.stderr]).to.deep.equal([0, '']);
    expect(help.stdout).to.include('$ awsl login');
    const version = await runAwsl(['-v'], { env: sandbox.env });
    expect([version.code, version.stdout]).to.deep.equal([0, (await runAwsl(['--version'], { env: sandbox.env })).stdout]);
    expect(version.stdout).to.match(/^awsl\/\d+\.\d+\.\d+ /);
  });
});
