/**
 * The OneLogin MFA device menu on a real terminal, through the built CLI: q quits it as q quits the
 * role menu (exit 130, "No … chosen."), and nothing goes to any device. Read back at 80 and 40 columns.
 */
import { expect } from 'chai';
import { DEVICE, startOneLoginStandIn, verifyPath, type OneLoginStandIn } from '../peers/onelogin/index.js';
import { createSandbox, runAwsl, runAwslInTerminal, type Sandbox } from '../support/cli.js';
import { renderScreen } from '../support/screen.js';

const USER = { username: 'dev@acme.example', password: 'dev-password-3c7d' };
const CLIENT = { id: 'menu-client-id', secret: 'menu-client-secret-81ab' };

describe('awsl login: the OneLogin MFA device menu on a terminal', function () {
  this.timeout(60_000);
  let api: OneLoginStandIn;
  const sandboxes: Sandbox[] = [];

  before(async function () {
    api = await startOneLoginStandIn({
      clientId: CLIENT.id,
      clientSecret: CLIENT.secret,
      users: [{ ...USER, devices: [{ id: 7101, type: DEVICE.googleAuthenticator, code: '111111' }, { id: 7102, type: DEVICE.protect }] }],
    });
  });

  after(async function () {
    for (const sandbox of sandboxes) sandbox.remove();
    await api?.stop();
  });

  for (const columns of [80, 40]) {
    it(`at ${columns} columns: q quits with exit 130, and no device is asked`, async function () {
      const sandbox = createSandbox({ AWSL_ONELOGIN_CLIENT_SECRET: CLIENT.secret });
      sandboxes.push(sandbox);
      const configured = await runAwsl(['login', 'configure', '--profile', 'ol', '--provider', 'onelogin', '--onelogin-subdomain', 'acme', '--onelogin-app-id', '123456',
        '--onelogin-client-id', CLIENT.id, '--onelogin-api-url', api.url, '--username', USER.username, '--no-prompt'], { env: sandbox.env });
      expect(configured.code, configured.stderr).to.equal(0);
      const verifiesBefore = api.count(verifyPath(2));

      const result = await runAwslInTerminal(['login', '--profile', 'ol'], {
        env: sandbox.env, columns, timeoutMs: 30_000,
        steps: [
          { expect: `Password for ${USER.username}: `, send: `${USER.password}\r` },
          { expect: 'MFA device [1-2, q to quit]: ', send: 'x\r' },
          { expect: 'or q to quit.', send: 'q\r' },
        ],
      });
      expect(result.code, result.screen).to.equal(130);
      const shown = renderScreen(result.raw, columns).filter(Boolean);
      expect(shown.join('\n')).to.include([
        'OneLogin MFA devices:',
        '  1) Google Authenticator (id 7101)',
        '  2) OneLogin Protect (id 7102)',
      ].join('\n'));
      expect(shown.at(-1)).to.equal('No MFA device chosen.');
      for (const row of shown) expect(row.length).to.be.at.most(columns);
      expect(api.count(verifyPath(2)) - verifiesBefore).to.equal(0);
      expect(api.notifications).to.deep.equal([]);
    });
  }
});
