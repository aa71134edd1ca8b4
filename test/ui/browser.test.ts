import { expect } from 'chai';
import { launchersFor, openInBrowser } from '../../src/ui/browser.js';

const URL_WITH_SECRET = 'https://signin.aws.amazon.com/federation?Action=login&SigninToken=a&b';

describe('ui/browser', function () {
  it('uses BROWSER first: entries separated like PATH, %s for the URL or the URL appended', function () {
    expect(launchersFor(URL_WITH_SECRET, { BROWSER: 'firefox --new-window:"/opt/my browser/bin" --url=%s' }, 'linux')).to.deep.equal([
      { command: 'firefox', args: ['--new-window', URL_WITH_SECRET] },
      { command: '/opt/my browser/bin', args: [`--url=${URL_WITH_SECRET}`] },
    ]);
    expect(launchersFor(URL_WITH_SECRET, { BROWSER: 'chrome.exe;edge' }, 'win32')).to.deep.equal([
      { command: 'chrome.exe', args: [URL_WITH_SECRET] }, { command: 'edge', args: [URL_WITH_SECRET] },
    ]);
  });

  it('falls back to the platform opener, passing the URL as one argument', function () {
    expect(launchersFor(URL_WITH_SECRET, {}, 'darwin')).to.deep.equal([{ command: 'open', args: [URL_WITH_SECRET] }]);
    expect(launchersFor(URL_WITH_SECRET, {}, 'win32')).to.deep.equal([{ command: 'rundll32', args: ['url.dll,FileProtocolHandler', URL_WITH_SECRET] }]);
    expect(launchersFor(URL_WITH_SECRET, { DISPLAY: ':0' }, 'linux')).to.deep.equal([{ command: 'xdg-open', args: [URL_WITH_SECRET] }]);
    expect(launchersFor(URL_WITH_SECRET, { WAYLAND_DISPLAY: 'wayland-0' }, 'freebsd')).to.deep.equal([{ command: 'xdg-open', args: [URL_WITH_SECRET] }]);
  });

  it('says why there is no browser on a Linux machine without a display', function () {
    expect(launchersFor(URL_WITH_SECRET, { BROWSER: '  ' }, 'linux')).to.be.a('string').and.include('no graphical display');
  });

  it('reports launchers that are missing or fail, and takes the next one', async function () {
    const failed = await openInBrowser(URL_WITH_SECRET, { env: { BROWSER: '/nonexistent/one:false' }, platform: 'linux', secretVariables: [] });
    expect(failed).to.deep.equal({ opened: false, reason: '/nonexistent/one is not installed; false exited with 1' });
    const opened = await openInBrowser(URL_WITH_SECRET, { env: { BROWSER: 'false:true' }, platform: 'linux', secretVariables: [] });
    expect(opened).to.deep.equal({ opened: true, via: 'true' });
  });

  it('counts a launcher still running after the grace period as started (browsers keep running)', async function () {
    const started = Date.now();
    const outcome = await openInBrowser(URL_WITH_SECRET, { env: { BROWSER: "sh -c 'sleep 10'" }, platform: 'linux', graceMs: 200, secretVariables: [] });
    expect(outcome).to.deep.equal({ opened: true, via: 'sh' });
    // Half the launcher's 10 s: it was not waited for, however loaded the machine.
    expect(Date.now() - started).to.be.lessThan(5000);
  });
});
