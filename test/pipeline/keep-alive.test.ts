import { expect } from 'chai';
import { InvalidInputError, NeedsTerminalError, NetworkError, StsError } from '../../src/errors.js';
import { REFRESH_MARGIN_SECONDS } from '../../src/pipeline/current-credentials.js';
import { keepAlive, keepAliveSchedule, type KeepAliveRequest } from '../../src/pipeline/keep-alive.js';
import type { LoginOutcome } from '../../src/pipeline/login.js';
import { createLogger } from '../../src/ui/logger.js';

const role = { roleArn: 'arn:aws:iam::111111111111:role/Admin', principalArn: 'arn:aws:iam::111111111111:saml-provider/idp', accountId: '111111111111', roleName: 'Admin', partition: 'aws' as const };

function outcome(expiresInMs: number, key = 'ASIA'): LoginOutcome {
  return {
    profile: 'p', role, accountName: undefined, durationSeconds: 3600, usedSavedSession: true, durationReduced: false,
    credentials: { accessKeyId: key, secretAccessKey: 's', sessionToken: 't', expiration: new Date(Date.now() + expiresInMs), roleArn: role.roleArn },
  };
}

function request(overrides: Partial<KeepAliveRequest>): KeepAliveRequest & { warnings: string[]; renewed: number[] } {
  const warnings: string[] = [];
  const renewed: number[] = [];
  return {
    profile: 'p', everyMs: 20, forMs: undefined, first: outcome(3_600_000),
    renew: async () => outcome(3_600_000),
    onRenewal: (_renewed, count) => renewed.push(count),
    logger: createLogger('normal', (text) => warnings.push(text)),
    signal: new AbortController().signal,
    warnings, renewed,
    ...overrides,
  };
}

describe('pipeline/keep-alive', function () {
  it('renews every interval until the time is up', async function () {
    const started = Date.now();
    const req = request({ everyMs: 30, forMs: 200 });
    const result = await keepAlive(req);
    expect(result.stoppedBy).to.equal('time');
    // Timers fire late under load, never early: at least the time asked for, and at most one renewal per interval.
    expect(Date.now() - started).to.be.within(190, 5000);
    expect(result.renewals).to.be.within(1, 7);
    expect(req.renewed).to.deep.equal([...Array(result.renewals).keys()].map((index) => index + 1));
  });

  it('renews before the credentials reach the refresh margin, however long the interval', async function () {
    let calls = 0;
    const controller = new AbortController();
    const req = request({
      everyMs: 3_600_000, first: outcome(REFRESH_MARGIN_SECONDS * 1000 + 50), signal: controller.signal,
      renew: async () => { calls += 1; controller.abort(); return outcome(3_600_000); },
    });
    const started = Date.now();
    const result = await keepAlive(req);
    expect(calls).to.equal(1);
    expect(Date.now() - started).to.be.lessThan(1000);
    expect(result.stoppedBy).to.equal('interrupt');
    expect(result.renewals).to.equal(1);
  });

  it('renews credentials that are within the margin from the start halfway through, not over and over', async function () {
    const controller = new AbortController();
    const renewedAt: number[] = [];
    const started = Date.now();
    const req = request({
      everyMs: 3_600_000, first: outcome(400), signal: controller.signal,
      renew: async () => {
        renewedAt.push(Date.now() - started);
        if (renewedAt.length === 2) controller.abort();
        return outcome(400);
      },
    });
    await keepAlive(req);
    expect(renewedAt).to.have.length(2);
    expect(renewedAt[0], 'the first ones are within the margin').to.be.below(150);
    expect(renewedAt[1]! - renewedAt[0]!).to.be.within(150, 390);
  });

  it('stops at once on the abort signal (Ctrl-C)', async function () {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const result = await keepAlive(request({ everyMs: 60_000, signal: controller.signal }));
    expect(result).to.include({ stoppedBy: 'interrupt', renewals: 0 });
  });

  it('when a renewal needs a person, ends with a message saying the IdP session ended and until when the credentials last', async function () {
    const req = request({ renew: async () => { throw new NeedsTerminalError('awsl needs to ask "Password" but there is no terminal.'); } });
    const error = await keepAlive(req).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(NeedsTerminalError);
    expect((error as Error).message).to.match(/^Keep-alive of profile p stopped after 0 renewals: the IdP session has ended, .* The current credentials stay valid until \d{4}-/);
    expect((error as NeedsTerminalError).hint).to.include('awsl login --profile p');
  });

  it('tries again after a network or throttling failure, and gives up on anything else', async function () {
    let calls = 0;
    const controller = new AbortController();
    const failures = [new NetworkError('connection refused'), new StsError('Throttling', 'Rate exceeded')];
    const req = request({
      everyMs: 10, signal: controller.signal,
      renew: async () => {
        calls += 1;
        const failure = failures.shift();
        if (failure) throw failure;
        controller.abort();
        return outcome(3_600_000);
      },
    });
    const result = await keepAlive(req);
    expect(calls).to.equal(3);
    expect(result.renewals).to.equal(1);
    expect(req.warnings.join('')).to.include('renewing profile p failed (connection refused); trying again');
    const fatal = await keepAlive(request({ renew: async () => { throw new StsError('AccessDenied', 'no'); } })).catch((e: unknown) => e);
    expect(fatal).to.be.instanceOf(StsError);
  });

  it('reads --refresh-every MINUTES and --for HOURS, fractions included, and refuses the rest', function () {
    expect(keepAliveSchedule(undefined, undefined)).to.equal(undefined);
    expect(keepAliveSchedule('0.02', '1')).to.deep.equal({ everyMs: 1200, forMs: 3_600_000, everyText: '0.02 minutes', forText: '1 hour' });
    expect(keepAliveSchedule('50', undefined)).to.include({ everyMs: 3_000_000, forMs: undefined });
    for (const [every, hours] of [['0', undefined], ['-1', undefined], ['soon', undefined], ['1e3', undefined], ['5', '0'], ['5', 'x']]) {
      expect(() => keepAliveSchedule(every, hours), `${every} ${hours}`).to.throw(InvalidInputError);
    }
  });
});
