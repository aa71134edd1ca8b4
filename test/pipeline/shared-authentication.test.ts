/**
 * One authentication per IdP session, in-process: two logins of profiles that share an IdP user,
 * started together, ask the person once; the other waits and goes through the saved IdP session.
 */
import { expect } from 'chai';
import { login } from '../../src/pipeline/login.js';
import { SIMPLESAMLPHP_USERS, type SimpleSamlPhp } from '../peers/simplesamlphp/index.js';
import { simpleSamlPhp, startWorld, type World } from '../support/world.js';

const ALICE = SIMPLESAMLPHP_USERS.alice;

describe('pipeline/shared-authentication', function () {
  let world: World<SimpleSamlPhp>;

  before(async function () {
    world = await startWorld(await simpleSamlPhp(this));
  });
  after(async function () {
    await world?.stop();
  });

  it('two logins for the same IdP user at once: one password prompt, the other through the saved session, both logged in', async function () {
    const home = world.home();
    home.writeConfig(`${home.profileSection('a', 'alice')}\n${home.profileSection('b', 'alice')}`);
    // Whichever takes the lock first asks; the answer is there for either.
    const runs = [home.inProcess([ALICE.password]), home.inProcess([ALICE.password])];
    const from = world.assumeRoleCount();

    const outcomes = await Promise.all(['a', 'b'].map((profile, index) =>
      login(runs[index]!.context, { profile, roleArn: ALICE.roles[0]!.roleArn, options: { flags: {} } })));

    expect(runs.flatMap((run) => run.prompter.questions)).to.deep.equal(['Password for alice']);
    expect(outcomes.map((outcome) => outcome.usedSavedSession).sort()).to.deep.equal([false, true]);
    expect(world.assumeRoleCount() - from).to.equal(2);
    for (const profile of ['a', 'b']) expect(world.issuedFor(home.credentials(profile)).arn).to.equal('arn:aws:sts::111111111111:assumed-role/Admin/alice@example.org');
  });
});
