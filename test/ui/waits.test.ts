/**
 * What a person sees while awsl waits, on a real pseudo-terminal of 80 and 40 columns, read back
 * as the terminal would show it (test/support/screen.ts): the Duo push text with the default
 * factor, spinner frames that never wrap (a wrapped frame would leave one row behind per frame),
 * keys typed meanwhile not echoed, and a spinner naming the host of any request slow to answer,
 * on the terminal only.
 */
import { writeFileSync } from 'node:fs';
import { expect } from 'chai';
import { startMisbehavingHttp, type Misbehaving } from '../peers/misbehaving.js';
import { createSandbox, runAwsl, runAwslInTerminal, type Sandbox, type TerminalResult } from '../support/cli.js';
import { renderScreen } from '../support/screen.js';
import { DUO_PASSWORD, DUO_USER, startDuoWorld, type DuoWorld } from '../commands/duo-world.js';
import { ALICE_ADMIN, startEcpWorld, USERS, type EcpWorld } from '../commands/ecp-world.js';

const SPINNER = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/;

/** Every spinner frame as drawn (the text after each "\r erase-line"), for width checks. */
function spinnerFrames(raw: string): string[] {
  return raw.split('\r\x1b[K').slice(1).map((part) => part.split(/\r|\n/)[0] ?? '').filter((frame) => SPINNER.test(frame.charAt(0)));
}

function expectCleanWait(result: TerminalResult, columns: number, text: string): string[] {
  const frames = spinnerFrames(result.raw).filter((frame) => frame.includes(text.slice(0, Math.min(text.length, columns - 4))));
  expect(frames.length, result.screen).to.be.above(3);
  for (const frame of frames) expect([...frame].length, frame).to.be.below(columns);
  const rows = renderScreen(result.raw, columns);
  // The spinner erased itself: no row keeps a frame or a wrapped piece of one.
  expect(rows.filter((row) => SPINNER.test(row) || row.includes(text)), rows.join('\n')).to.deep.equal([]);
  return rows;
}

describe('waiting on a terminal', function () {
  describe('Duo', function () {
    let world: DuoWorld;

    before(async function () {
      world = await startDuoWorld();
    });

    after(async function () {
      await world?.stop();
    });

    for (const columns of [80, 40]) {
      it(`with no factor set shows the push text and spinner, one row only, at ${columns} columns, and drops typed keys`, async function () {
        const user = await world.user();
        world.idp.duo.pushDelayMs = 2500;
        try {
          const result = await user.loginInTerminal([], [
            { expect: `Password for ${DUO_USER}`, send: `${DUO_PASSWORD}\r` },
            { expect: 'Approve the Duo push', send: 'typed-ahead' },
          ], 30_000, columns);
          expect(result.code, result.screen).to.equal(0);
          const rows = expectCleanWait(result, columns, 'Approve the Duo push');
          expect(rows.join('\n')).not.to.include('typed-ahead');
          const prompt = rows.findIndex((row) => row.startsWith(`Password for ${DUO_USER}`));
          expect(rows[prompt + 1], rows.join('\n')).to.equal('Duo approved.');
          expect(world.idp.duo.attempts.at(-1)).to.include({ result: 'allow' });
        } finally {
          world.idp.duo.pushDelayMs = 300;
        }
      });
    }

    it('with an IdP that answers at once, does not claim that Duo approved anything', async function () {
      const user = await world.user({ factor: 'none' });
      const result = await user.loginInTerminal([], [{ expect: `Password for ${DUO_USER}`, send: `${DUO_PASSWORD}\r` }], 30_000);
      expect(result.screen).not.to.include('Approve the Duo push');
      expect(result.screen).not.to.include('Duo approved.');
    });
  });

  describe('a request slow to answer', function () {
    let silent: Misbehaving;
    let sandbox: Sandbox;

    before(async function () {
      silent = await startMisbehavingHttp('silent');
    });

    after(async function () {
      await silent?.stop();
    });

    beforeEach(function () {
      sandbox = createSandbox();
      writeFileSync(sandbox.configFile, `[profile p]\nawsl_provider = ecp\nawsl_ecp_endpoint_url = ${silent.url}/idp/profile/SAML2/SOAP/ECP\nawsl_username = alice\nawsl_duo_factor = none\n`);
    });

    afterEach(function () {
      sandbox.remove();
    });

    for (const columns of [80, 40]) {
      it(`shows a spinner naming the IdP host after about a second at ${columns} columns; Ctrl-C cancels`, async function () {
        const host = new URL(silent.url).host;
        const started = Date.now();
        let shownAfterMs = 0;
        const result = await runAwslInTerminal(['login', '--profile', 'p'], {
          env: sandbox.env, columns, timeoutMs: 30_000,
          steps: [
            { expect: 'Password for alice', send: 'secret\r' },
            { expect: 'Waiting for', send: () => { shownAfterMs = Date.now() - started; return ''; } },
            { expect: /Waiting for [^\r]*… [5-9] s/, send: '\x03' },
          ],
        });
        expect(result.code, result.screen).to.equal(130);
        expect(shownAfterMs).to.be.above(900);
        expectCleanWait(result, columns, 'Waiting for');
        expect(spinnerFrames(result.raw).some((frame) => frame.includes(`Waiting for ${host}`.slice(0, columns - 4)))).to.equal(true);
        expect(result.screen).to.include('Cancelled.');
      });
    }

    it('shows nothing without a terminal: stderr has only the timeout message, stdout nothing', async function () {
      const result = await runAwsl(['login', '--profile', 'p', '--password-stdin'], {
        env: { ...sandbox.env, AWSL_HTTP_READ_TIMEOUT_MS: '2500' }, input: 'secret\n', timeoutMs: 20_000,
      });
      expect(result.code, result.stderr).to.equal(11);
      expect(result.stdout).to.equal('');
      expect(result.stderr).not.to.include('Waiting for');
      expect(result.stderr).to.include('did not answer in time');
    });
  });

  describe('STS slow to answer', function () {
    let world: EcpWorld;
    let silent: Misbehaving;

    before(async function () {
      world = await startEcpWorld(this);
      silent = await startMisbehavingHttp('silent');
    });

    after(async function () {
      await silent?.stop();
      await world?.stop();
    });

    it('names the STS host in the spinner', async function () {
      const machine = world.machine({ AWS_ENDPOINT_URL_STS: silent.url });
      await machine.configure('p', 'alice', ['--role-arn', ALICE_ADMIN]);
      const result = await machine.inTerminal(['login', '--profile', 'p'], [
        { expect: 'Password for alice', send: `${USERS.alice.password}\r` },
        { expect: `Waiting for ${new URL(silent.url).host}`, send: '\x03' },
      ]);
      expect(result.code, result.screen).to.equal(130);
    });
  });
});
