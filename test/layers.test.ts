/**
 * The import rule of docs/ARCHITECTURE.md is enforced by eslint.config.js (part of npm test). These
 * cases keep the rule itself honest: each upward import is refused, each allowed one accepted.
 */
import { expect } from 'chai';
import { ESLint } from 'eslint';

const eslint = new ESLint();

async function problems(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${source}\nexport {};\n`, { filePath: file });
  return (result?.messages ?? []).filter((message) => message.ruleId === '@typescript-eslint/no-restricted-imports').map((message) => message.message);
}

describe('layers (eslint no-restricted-imports)', function () {
  this.timeout(60_000);

  const refused: Array<[string, string]> = [
    ['src/providers/ecp/x.ts', "import { login } from '../../pipeline/login.js';"],
    ['src/providers/x.ts', "import type { Request } from '../pipeline/login.js';"],
    ['src/aws/x.ts', "import { AwslCommand } from '../command-base.js';"],
    ['src/saml/x.ts', "import { parseRoleArn } from '../aws/arn.js';"],
    ['src/saml/x.ts', "import { PROVIDERS } from '../providers/registry.js';"],
    ['src/state/x.ts', "import { COMMON_SETTINGS } from '../settings.js';"],
    ['src/ui/prompter.ts', "import type { ProfileStatus } from '../pipeline/status.js';"],
    ['src/ui/status-view.ts', "import { profileStatuses } from '../pipeline/status.js';"],
    ['src/http.ts', "import { loadProvider } from './providers/registry.js';"],
    ['src/pipeline/x.ts', "import { idpFlags } from '../login-flags.js';"],
    ['src/errors.ts', "import { text } from './settings.js';"],
  ];
  for (const [file, source] of refused) {
    it(`refuses in ${file}: ${source}`, async () => {
      expect(await problems(file, source)).to.have.length(1);
    });
  }

  const allowed: Array<[string, string]> = [
    ['src/pipeline/x.ts', "import { loadProvider } from '../providers/registry.js';"],
    ['src/providers/ecp/x.ts', "import { CookieJarStore } from '../../state/cookie-jar-store.js';"],
    ['src/aws/x.ts', "import { readProfileSettings } from '../providers/registry.js';"],
    ['src/ui/status-view.ts', "import type { ProfileStatus } from '../pipeline/status.js';"],
  ];
  for (const [file, source] of allowed) {
    it(`allows in ${file}: ${source}`, async () => {
      expect(await problems(file, source)).to.deep.equal([]);
    });
  }
});
