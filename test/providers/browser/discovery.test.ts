import { expect } from 'chai';
import { browserCandidates, findBrowser } from '../../../src/providers/browser/discovery.js';
import { BrowserNotFoundError } from '../../../src/providers/browser/errors.js';

/** A machine where exactly `installed` are runnable programs. */
function machine(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, installed: string[]) {
  return { platform, env, isExecutable: (path: string) => installed.includes(path) };
}

describe('browser provider: finding the browser', function () {
  it('Linux: the first of Chrome, Chromium, Edge, Brave on PATH, then the standard folders', function () {
    expect(findBrowser(undefined, 'p', machine('linux', { PATH: '/usr/local/bin:/usr/bin' }, ['/usr/bin/chromium', '/usr/bin/brave-browser']))).to.equal('/usr/bin/chromium');
    expect(findBrowser(undefined, 'p', machine('linux', { PATH: '/usr/bin' }, ['/opt/microsoft/msedge/msedge']))).to.equal('/opt/microsoft/msedge/msedge');
  });

  it('macOS: the app bundles in /Applications and ~/Applications', function () {
    const chrome = '/Users/me/Applications/Google Chrome.app/Contents/MacOS/Google Chrome';
    expect(findBrowser(undefined, 'p', machine('darwin', { HOME: '/Users/me', PATH: '/usr/bin' }, [chrome]))).to.equal(chrome);
    expect(browserCandidates({ HOME: '/Users/me' }, 'darwin')).to.include('/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge');
  });

  it('Windows: Program Files, Program Files (x86) and the user\'s LocalAppData', function () {
    const env = { PROGRAMFILES: 'C:\\Program Files', 'PROGRAMFILES(X86)': 'C:\\Program Files (x86)', LOCALAPPDATA: 'C:\\Users\\me\\AppData\\Local', Path: 'C:\\Windows' };
    const edge = 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe';
    expect(findBrowser(undefined, 'p', machine('win32', env, [edge]))).to.equal(edge);
    expect(browserCandidates(env, 'win32')).to.include('C:\\Users\\me\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe');
  });

  it('the configured path wins, and may be any program (a wrapper script)', function () {
    expect(findBrowser('/home/me/bin/my-chrome', 'p', machine('linux', { PATH: '/usr/bin' }, ['/usr/bin/chromium', '/home/me/bin/my-chrome']))).to.equal('/home/me/bin/my-chrome');
  });

  it('says what it looked for, and how to name a browser, when there is none', function () {
    const error = (() => {
      try {
        findBrowser(undefined, 'work', machine('linux', { PATH: '/usr/bin' }, []));
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).to.be.instanceOf(BrowserNotFoundError);
    const text = (error as BrowserNotFoundError).describe();
    expect(text).to.include('google-chrome, google-chrome-stable, chromium, chromium-browser, microsoft-edge');
    expect(text).to.include('it never downloads a browser');
    expect(text).to.include('awsl login configure --profile work --browser-path PATH');
    expect(() => findBrowser('/nope', 'work', machine('linux', {}, []))).to.throw(BrowserNotFoundError, '/nope, is not a program');
  });
});
