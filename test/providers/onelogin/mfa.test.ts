import { expect } from 'chai';
import { CancelledError, InvalidInputError, MfaFailedError, NeedsTerminalError } from '../../../src/errors.js';
import { createOneLoginProvider, oneloginProvider } from '../../../src/providers/onelogin/index.js';
import { DEVICE, samlPath, verifyPath, type StandInDevice } from '../../peers/onelogin/index.js';
import type { ApiVersion } from '../../peers/onelogin/shapes.js';
import { createWorld, decodeSaml, PASSWORD, PASSWORD_QUESTION, user, type World, type WorldOptions } from './harness.js';
import type { ScriptedAnswer } from '../../support/scripted-prompter.js';

/** Polls fast so push tests take milliseconds; one test checks the real cadence. */
const provider = createOneLoginProvider({ pushPollIntervalMs: 20 });

const GA: StandInDevice = { id: 111, type: DEVICE.googleAuthenticator, code: '123456' };
const GA_2: StandInDevice = { id: 112, type: DEVICE.googleAuthenticator, code: '654321' };
const YUBIKEY: StandInDevice = { id: 222, type: DEVICE.yubiKey, code: 'cccccbhkevjbrnfu' };
const DUO: StandInDevice = { id: 333, type: DEVICE.duo, code: '777777' };
const UNKNOWN: StandInDevice = { id: 666, type: 'Symantec VIP', code: '246810' };
const SMS: StandInDevice = { id: 444, type: DEVICE.sms, code: '424242' };
const protect = (push: StandInDevice['push']): StandInDevice => ({ id: 555, type: DEVICE.protect, code: '909090', push });

const password: ScriptedAnswer = { question: PASSWORD_QUESTION, answer: PASSWORD };
const code = (device: StandInDevice, answer = device.code ?? '', delayMs?: number): ScriptedAnswer =>
  ({ question: new RegExp(`^Code from ${device.type} \\(id ${device.id}\\)$`), answer, delayMs });

async function worldWith(devices: StandInDevice[], options: WorldOptions = {}): Promise<World> {
  return createWorld({ ...options, standIn: { users: [user({ devices })], ...options.standIn } });
}

/** The verify_factor request bodies, in order. */
function verifyBodies(world: World, version: ApiVersion = 2): Record<string, unknown>[] {
  return world.standIn.requests.filter((request) => request.path === verifyPath(version)).map((request) => request.body as Record<string, unknown>);
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  if (!(error instanceof Error)) throw new Error('expected the login to fail');
  return error;
}

describe('OneLogin provider: MFA', () => {
  let world: World;
  afterEach(async () => world.dispose());

  for (const version of [1, 2] as const) {
    describe(`approved, API v${version}`, () => {
      const profile = { awsl_onelogin_api_version: String(version) };

      for (const device of [GA, YUBIKEY, DUO, UNKNOWN]) {
        it(`${device.type}: asks for the code and verifies it on awsl's API host (callback_url names another)`, async () => {
          world = await worldWith([device], { profile });
          const { context, prompter } = world.context([password, code(device)]);
          const result = await provider.authenticate(context);
          expect(decodeSaml(result.samlResponse)).to.contain('samlp:Response');
          expect(verifyBodies(world, version)).to.have.length(1);
          expect(verifyBodies(world, version)[0]).to.deep.equal({
            app_id: '123456', device_id: String(device.id), state_token: verifyBodies(world, version)[0]?.state_token,
            otp_token: device.code, do_not_notify: true,
          });
          const mfaReply = world.standIn.requests.find((request) => request.path === samlPath(version))?.reply as Record<string, unknown>;
          expect(JSON.stringify(mfaReply)).to.contain(`"callback_url":"https://${world.standIn.callbackHost}/`);
          expect(prompter.unanswered).to.equal(0);
        });
      }

      it('OneLogin SMS: one SMS (do_not_notify false), then the code', async () => {
        world = await worldWith([SMS], { profile });
        const { context, prompter } = world.context([password, code(SMS)]);
        await provider.authenticate(context);
        expect(world.standIn.notifications).to.deep.equal([{ deviceId: SMS.id, kind: 'sms' }]);
        const [trigger, verify] = verifyBodies(world, version);
        expect(trigger).to.include({ do_not_notify: false }).and.not.have.property('otp_token');
        expect(verify).to.include({ otp_token: SMS.code, do_not_notify: true });
        expect(prompter.said).to.include(`OneLogin sent a code by SMS (OneLogin SMS (id ${SMS.id})).`);
      });

      it('OneLogin Protect: one push, then polls with do_not_notify true until approved, with a spinner', async () => {
        world = await worldWith([protect({ answer: 'approve', afterPolls: 3 })], { profile });
        const { context, prompter } = world.context([password]);
        await provider.authenticate(context);
        expect(world.standIn.notifications).to.deep.equal([{ deviceId: 555, kind: 'push' }]);
        const bodies = verifyBodies(world, version);
        expect(bodies.map((body) => body.do_not_notify)).to.deep.equal([false, true, true, true]);
        expect(bodies.every((body) => body.otp_token === undefined && body.device_id === '555' && body.app_id === '123456')).to.equal(true);
        expect(prompter.spinnerTexts[0]).to.equal('Approve the push on OneLogin Protect (id 555) (60 s left, Ctrl-C to cancel)');
        expect(prompter.spinnerEnds).to.deep.equal(['Push approved.']);
      });
    });
  }

  describe('denied', () => {
    for (const device of [GA, YUBIKEY, DUO, SMS]) {
      it(`${device.type}: three wrong codes end the login (no fourth try)`, async () => {
        world = await worldWith([device]);
        const { context, prompter } = world.context([password, code(device, '000000'), code(device, '000001'), code(device, '000002')]);
        const error = await failure(provider.authenticate(context));
        expect(error).to.be.instanceOf(MfaFailedError);
        expect((error as MfaFailedError).describe()).to.contain('did not accept 3 codes').and.contain('fresh code');
        expect(verifyBodies(world).filter((body) => body.otp_token !== undefined)).to.have.length(3);
        expect(prompter.said.filter((line) => line.startsWith('OneLogin did not accept that code'))).to.deep.equal([
          'OneLogin did not accept that code (try 1 of 3).', 'OneLogin did not accept that code (try 2 of 3).',
        ]);
      });
    }

    it('a wrong code, then the right one, logs in', async () => {
      world = await worldWith([GA]);
      await provider.authenticate(world.context([password, code(GA, '000000'), code(GA)]).context);
      expect(verifyBodies(world)).to.have.length(2);
    });

    it('OneLogin Protect: a denied push ends the login', async () => {
      world = await worldWith([protect({ answer: 'deny', afterPolls: 2 })]);
      const error = await failure(provider.authenticate(world.context([password]).context));
      expect(error).to.be.instanceOf(MfaFailedError);
      expect(error.message).to.contain('push was denied');
      expect(world.standIn.notifications).to.have.length(1);
    });
  });

  describe('timed out', () => {
    it('an OTP typed after the state token expired: starts over once, asking for the password no more', async () => {
      world = await worldWith([GA], { standIn: { stateTokenLifetimeMs: 150 } });
      const { context, prompter } = world.context([password, code(GA, GA.code, 300), code(GA)]);
      await provider.authenticate(context);
      expect(world.standIn.count(samlPath(2))).to.equal(2);
      expect(prompter.questions.filter((question) => PASSWORD_QUESTION.test(question))).to.have.length(1);
      expect(world.logs.join('')).to.contain('starting over');
    });

    it('a state token that expires twice ends the login', async () => {
      world = await worldWith([GA], { standIn: { stateTokenLifetimeMs: 100 } });
      const error = await failure(provider.authenticate(world.context([password, code(GA, GA.code, 200), code(GA, GA.code, 200)]).context));
      expect(error).to.be.instanceOf(MfaFailedError);
      expect(error.message).to.contain('expired twice');
      expect(world.standIn.count(samlPath(2))).to.equal(2);
    });

    it('OneLogin SMS: an SMS code typed too late gets a new SMS on the fresh start', async () => {
      // Typed well after the token's lifetime; the fresh start's code in well under it, however loaded the machine.
      world = await worldWith([SMS], { standIn: { stateTokenLifetimeMs: 1500 } });
      await provider.authenticate(world.context([password, code(SMS, SMS.code, 3500), code(SMS)]).context);
      expect(world.standIn.notifications).to.have.length(2);
    });

    it('OneLogin Protect: after the wait, offers a code from the app instead (no second push)', async () => {
      world = await worldWith([protect({ answer: 'ignore' })], { profile: { awsl_mfa_push_timeout: '1' } });
      const { context, prompter } = world.context([password, { question: /^Code from OneLogin Protect instead \(Enter to give up\)$/, answer: '909090' }]);
      await provider.authenticate(context);
      expect(prompter.spinnerEnds).to.deep.equal(['No answer to the push within 1 s.']);
      expect(world.standIn.notifications).to.have.length(1);
      expect(verifyBodies(world).at(-1)).to.include({ otp_token: '909090', do_not_notify: true });
    });

    it('OneLogin Protect: Enter at the offer ends the login with the ways out', async () => {
      world = await worldWith([protect({ answer: 'ignore' })], { profile: { awsl_mfa_push_timeout: '1' } });
      const error = await failure(provider.authenticate(world.context([password, { question: /instead/, answer: '' }]).context));
      expect(error).to.be.instanceOf(MfaFailedError);
      expect((error as MfaFailedError).describe()).to.contain('not approved within 1 s').and.contain('awsl_mfa_push_timeout').and.contain('--passcode');
    });

    it('OneLogin Protect without a terminal: times out without asking', async () => {
      world = await worldWith([protect({ answer: 'ignore' })], {
        profile: { awsl_mfa_push_timeout: '1', awsl_enable_keyring: 'true' }, interactive: false,
      });
      world.secrets.entries.set('alice@acme.onelogin.com', PASSWORD);
      const error = await failure(provider.authenticate(world.context().context));
      expect(error).to.be.instanceOf(MfaFailedError);
      expect(error.message).to.contain('not approved within 1 s');
    });
  });

  describe('OneLogin Protect', () => {
    it('Ctrl-C while waiting stops at once and makes no further request', async () => {
      world = await worldWith([protect({ answer: 'ignore' })]);
      let atAbort = 0;
      const { context, prompter } = world.context([password], { onSpinner: (abort) => setTimeout(() => { atAbort = world.standIn.requests.length; abort(); }, 60) });
      const error = await failure(provider.authenticate(context));
      expect(error).to.be.instanceOf(CancelledError);
      expect(prompter.spinnerEnds).to.deep.equal([undefined]);
      // Longer than a poll interval: no poll after the abort (one sent just before it may still arrive).
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(world.standIn.requests.length).to.be.at.most(atAbort + 1);
    });

    it('a code given with --passcode is sent at once, and no push goes out', async () => {
      world = await worldWith([protect({ answer: 'approve' })]);
      await provider.authenticate(world.context([password], { passcode: '909090' }).context);
      expect(world.standIn.notifications).to.deep.equal([]);
      expect(verifyBodies(world)).to.have.length(1);
    });

    it('polls about once a second by default', async function () {
      this.timeout(10_000);
      world = await worldWith([protect({ answer: 'approve', afterPolls: 2 })]);
      await oneloginProvider.authenticate(world.context([password]).context);
      const times = world.standIn.requests.filter((request) => request.path === verifyPath(2)).map((request) => request.at);
      expect(times).to.have.length(3);
      const gaps = times.slice(1).map((time, index) => time - (times[index] ?? 0));
      // Timers fire late under load, never early: the shortest gap tells the interval.
      expect(Math.min(...gaps), `gaps ${gaps.join(', ')} ms`).to.be.within(900, 1800);
    });
  });

  describe('device choice', () => {
    const menuAnswer = (answer: string): ScriptedAnswer => ({ question: /^MFA device \[1-3, q to quit\]$/, answer });

    it('lists type and id (same types told apart), re-asks a bad answer and remembers the choice', async () => {
      world = await worldWith([GA, GA_2, protect({ answer: 'approve' })]);
      const first = world.context([password, menuAnswer('4'), menuAnswer('2'), code(GA_2)]);
      await provider.authenticate(first.context);
      expect(first.prompter.said).to.include.members([
        '  1) Google Authenticator (id 111)', '  2) Google Authenticator (id 112)', '  3) OneLogin Protect (id 555)',
        '"4" is not on the list: type a number from 1 to 3, or q to quit.',
      ]);

      const second = world.context([password, code(GA_2)]);
      await provider.authenticate(second.context);
      expect(world.logs.join('')).to.contain('Using Google Authenticator (id 112), as last time');

      await provider.forgetSession(second.context);
      const third = world.context([password, menuAnswer('112'), code(GA_2)]);
      await provider.authenticate(third.context);
      expect(third.prompter.unanswered).to.equal(0);
    });

    it('--mfa-device pins a device by id', async () => {
      world = await worldWith([GA, GA_2, YUBIKEY]);
      const { context, prompter } = world.context([password, code(GA_2)], { mfaDevice: '112' });
      await provider.authenticate(context);
      expect(prompter.unanswered).to.equal(0);
    });

    it('awsl_mfa_device pins a device by type, in any case', async () => {
      world = await worldWith([GA, YUBIKEY], { profile: { awsl_mfa_device: 'yubico yubikey' } });
      await provider.authenticate(world.context([password, code(YUBIKEY)]).context);
      expect(verifyBodies(world)[0]).to.include({ device_id: '222' });
    });

    it('a type shared by two devices narrows the menu to them', async () => {
      world = await worldWith([GA, YUBIKEY, GA_2]);
      const { context, prompter } = world.context([password, { question: /^MFA device \[1-2, q to quit\]$/, answer: '1' }, code(GA)], { mfaDevice: 'Google Authenticator' });
      await provider.authenticate(context);
      expect(prompter.said.filter((line) => line.startsWith('  '))).to.deep.equal(['  1) Google Authenticator (id 111)', '  2) Google Authenticator (id 112)']);
    });

    it('a pin that matches no device names the devices there are', async () => {
      world = await worldWith([GA, SMS]);
      const error = await failure(provider.authenticate(world.context([password], { mfaDevice: '999' }).context));
      expect(error).to.be.instanceOf(InvalidInputError);
      expect((error as InvalidInputError).describe()).to.contain('"999"').and.contain('Google Authenticator (id 111), OneLogin SMS (id 444)');
    });

    it('without a terminal, several devices and no pin: fails naming --mfa-device', async () => {
      world = await worldWith([GA, SMS], { profile: { awsl_enable_keyring: 'true' }, interactive: false });
      world.secrets.entries.set('alice@acme.onelogin.com', PASSWORD);
      const error = await failure(provider.authenticate(world.context().context));
      expect(error).to.be.instanceOf(NeedsTerminalError);
      expect((error as NeedsTerminalError).hint).to.contain('--mfa-device ID (ids: 111, 444)');
    });

    it('an MFA request with no usable device says to enrol one', async () => {
      world = await worldWith([GA]);
      world.standIn.replyNext(samlPath(2), { status: 200, body: JSON.stringify({ message: 'MFA is required for this user', state_token: 'abc', devices: [] }) });
      const error = await failure(provider.authenticate(world.context([password]).context));
      expect(error).to.be.instanceOf(MfaFailedError);
      expect((error as MfaFailedError).hint).to.contain('Enrol');
    });
  });
});
