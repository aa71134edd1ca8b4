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

  // The commands' own lists (flags, commands, examples) at the width of a narrow pane. Left out:
  // the summary on the first line, which oclif prints unwrapped, and USAGE, which oclif measures
  // with its "<%= command.id %>" placeholder (one column over for "import awscli-login").
  const commands = [[], ['login'], ['login', 'configure'], ['logout'], ['status'], ['roles'], ['env'], ['exec'], ['console'], ['credential-process'], ['doctor'], ['import', 'awscli-login'], ['aws']];
  for (const command of commands) {
    it(`awsl ${[...command, '--help'].join(' ')} fits 40 columns, line for line, in its lists`, async function () {
      const { code, stdout } = await runAwsl([...command, '--help'], { env: { ...sandbox.env, OCLIF_COLUMNS: '40' } });
      expect(code).to.equal(0);
      let section = '';
      for (const line of stdout.split('\n').slice(1)) {
        if (/^[A-Z][A-Z -]+$/.test(line)) section = line;
        else if (section !== 'USAGE') expect([...line].length, `${section}: ${line}`).to.be.at.most(40);
      }
    });
  }

  it('the USAGE of exec and aws names the command once', async function () {
    for (const [command, usage] of [['exec', '  $ awsl exec [--profile PROFILE] [--server] -- COMMAND [ARGS…]'], ['aws', '  $ awsl aws [--profile PROFILE] AWS_CLI_ARGS…']]) {
      const { code, stdout } = await runAwsl([command!, '--help'], { env: sandbox.env });
      expect(code).to.equal(0);
      expect(stdout.split('\n')).to.include(usage);
    }
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
