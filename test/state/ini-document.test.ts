import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { FileUnreadableError, InvalidInputError } from '../../src/errors.js';
import { IniDocument } from '../../src/state/ini-document.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'ini');

function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

function edited(name: string, edit: (document: IniDocument) => void): string {
  const document = IniDocument.parse(fixture(name), name);
  edit(document);
  const text = document.toString();
  // Whatever an edit produces must read back the same.
  expect(IniDocument.parse(text, name).toString()).to.equal(text);
  return text;
}

const crlf = (text: string) => text.replace(/\n/g, '\r\n');

function parseError(text: string): FileUnreadableError {
  try {
    IniDocument.parse(text, '/home/u/.aws/config');
  } catch (error) {
    expect(error).to.be.instanceOf(FileUnreadableError);
    return error as FileUnreadableError;
  }
  throw new Error('parsed without error');
}

describe('IniDocument', () => {
  describe('fixture corpus', () => {
    const names = readdirSync(FIXTURES).filter((name) => name.endsWith('.ini'));

    it('has the files the suite relies on', () => {
      expect(names).to.include.members([
        'comments-only.ini', 'config-commented.ini', 'config-crlf.ini',
        'config-nested.ini', 'config-no-final-newline.ini', 'config-odd-spacing.ini', 'credentials-windows.ini',
        'credentials.ini', 'empty.ini',
      ]);
    });

    for (const name of names) {
      it(`round-trips ${name} byte for byte`, () => {
        const bytes = readFileSync(join(FIXTURES, name));
        const document = IniDocument.parse(bytes.toString('utf8'), name);
        expect(Buffer.from(document.toString(), 'utf8').equals(bytes)).to.equal(true);
      });

      it(`changes nothing in ${name} when a value is set to what it already is`, () => {
        const text = fixture(name);
        const document = IniDocument.parse(text, name);
        for (const section of document.sections()) {
          for (const [key, value] of Object.entries(document.section(section) ?? {})) {
            // Values with " #" or " ;" are the AWS CLI's but read differently by the SDKs: awsl never writes one.
            if (!value.includes('\n') && !/^\s|\s$/.test(section) && !/\s[#;]/.test(value)) document.set(section, key, value);
          }
        }
        expect(document.toString()).to.equal(text);
      });
    }
  });

  describe('config-commented.ini', () => {
    const name = 'config-commented.ini';

    it('reads values as the AWS CLI does: comment lines left out, a trailing " ; text" part of the value', () => {
      const document = IniDocument.parse(fixture(name), name);
      expect(document.sections()).to.deep.equal(['default', 'profile sandbox', 'profile prod']);
      expect(document.section('default')).to.deep.equal({ region: 'eu-west-1', output: 'json ; the CLI default anyway' });
      expect(document.get('profile sandbox', 'awsl_duo_factor')).to.equal(undefined);
      expect(document.get('profile sandbox', 'awsl_ecp_endpoint_url')).to.equal('https://idp.example.edu/idp/profile/SAML2/SOAP/ECP');
      expect(document.section('profile nope')).to.equal(undefined);
    });

    it('adds a key after the last key of the profile, before its trailing comment', () => {
      expect(edited(name, (d) => d.set('profile sandbox', 'awsl_duo_factor', 'push'))).to.equal(`# ~/.aws/config for the platform team
# Edited by hand: awsl must keep these comments.

[default]
region = eu-west-1
output = json ; the CLI default anyway

; Personal sandbox
[profile sandbox]
region = us-east-2
awsl_provider = ecp
awsl_ecp_endpoint_url = https://idp.example.edu/idp/profile/SAML2/SOAP/ECP
awsl_username = jdoe
awsl_duo_factor = push
# awsl_duo_factor = push

# Production: read-only unless asked
[profile prod]
region = eu-central-1
awsl_provider = onelogin
awsl_role_arn = arn:aws:iam::123456789012:role/ReadOnly
`);
    });

    it('replaces a whole value, " ; text" included: to the AWS CLI it is no comment', () => {
      expect(edited(name, (d) => d.set('default', 'output', 'text'))).to.equal(fixture(name).replace('output = json ; the CLI default anyway', 'output = text'));
    });

    it('creates a new profile at the end after one blank line', () => {
      expect(edited(name, (d) => d.set('profile staging', 'region', 'us-west-1'))).to.equal(`${fixture(name)}
[profile staging]
region = us-west-1
`);
    });

    it('deletes a key line', () => {
      expect(edited(name, (d) => expect(d.delete('profile sandbox', 'awsl_username')).to.equal(true)))
        .to.equal(fixture(name).replace('awsl_username = jdoe\n', ''));
    });

    it('removes a section with the comment above it, keeping the next section\'s comment', () => {
      expect(edited(name, (d) => expect(d.removeSection('profile sandbox')).to.equal(true))).to.equal(`# ~/.aws/config for the platform team
# Edited by hand: awsl must keep these comments.

[default]
region = eu-west-1
output = json ; the CLI default anyway

# Production: read-only unless asked
[profile prod]
region = eu-central-1
awsl_provider = onelogin
awsl_role_arn = arn:aws:iam::123456789012:role/ReadOnly
`);
    });

    it('removes the first section but not the file comment separated from it by a blank line', () => {
      expect(edited(name, (d) => d.removeSection('default'))).to.equal(`# ~/.aws/config for the platform team
# Edited by hand: awsl must keep these comments.

; Personal sandbox
[profile sandbox]
region = us-east-2
awsl_provider = ecp
awsl_ecp_endpoint_url = https://idp.example.edu/idp/profile/SAML2/SOAP/ECP
awsl_username = jdoe
# awsl_duo_factor = push

# Production: read-only unless asked
[profile prod]
region = eu-central-1
awsl_provider = onelogin
awsl_role_arn = arn:aws:iam::123456789012:role/ReadOnly
`);
    });

    it('removes the last section with the blank line before it', () => {
      expect(edited(name, (d) => d.removeSection('profile prod'))).to.equal(`# ~/.aws/config for the platform team
# Edited by hand: awsl must keep these comments.

[default]
region = eu-west-1
output = json ; the CLI default anyway

; Personal sandbox
[profile sandbox]
region = us-east-2
awsl_provider = ecp
awsl_ecp_endpoint_url = https://idp.example.edu/idp/profile/SAML2/SOAP/ECP
awsl_username = jdoe
# awsl_duo_factor = push
`);
    });

    it('reports when there is nothing to delete or remove, and changes nothing', () => {
      const document = IniDocument.parse(fixture(name), name);
      expect(document.delete('profile sandbox', 'awsl_duo_factor')).to.equal(false);
      expect(document.delete('profile nope', 'region')).to.equal(false);
      expect(document.removeSection('profile nope')).to.equal(false);
      expect(document.toString()).to.equal(fixture(name));
    });
  });

  describe('config-nested.ini', () => {
    const name = 'config-nested.ini';

    it('exposes a nested block as its trimmed lines after a newline, comments left out', () => {
      const document = IniDocument.parse(fixture(name), name);
      expect(document.sections()).to.deep.equal(['default', 'sso-session corp', 'profile dev', 'services local-dev']);
      expect(document.section('default')).to.deep.equal({
        region: 'us-west-2',
        s3: '\nmax_concurrent_requests = 20\nmax_queue_size = 10000\nmultipart_threshold = 64MB',
        cli_pager: '',
      });
      expect(document.section('services local-dev')).to.deep.equal({
        sts: '\nendpoint_url = http://localhost:4566',
        dynamodb: '\nendpoint_url = http://localhost:8000\nregion = us-east-1',
      });
      expect(document.get('sso-session corp', 'sso_registration_scopes')).to.equal('sso:account:access');
    });

    it('adds a key after a nested block, not inside it', () => {
      expect(edited(name, (d) => d.set('profile dev', 'region', 'us-west-2'))).to.equal(`[default]
region = us-west-2
s3 =
  max_concurrent_requests = 20
  max_queue_size = 10000
  multipart_threshold = 64MB
cli_pager =

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access

[profile dev]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Developer
services = local-dev
s3 =
  addressing_style = path
region = us-west-2

[services local-dev]
sts =
  endpoint_url = http://localhost:4566
dynamodb =
  endpoint_url = http://localhost:8000
  # the emulator ignores the region
  region = us-east-1
`);
    });

    it('fills an empty value, adding the space the line style calls for', () => {
      expect(edited(name, (d) => d.set('default', 'cli_pager', 'less'))).to.equal(fixture(name).replace('cli_pager =\n', 'cli_pager = less\n'));
    });

    it('replaces a nested block when the key is set to a plain value', () => {
      expect(edited(name, (d) => d.set('default', 's3', 'off'))).to.equal(fixture(name).replace(
        's3 =\n  max_concurrent_requests = 20\n  max_queue_size = 10000\n  multipart_threshold = 64MB\n',
        's3 = off\n',
      ));
    });

    it('deletes a nested block with its comment lines', () => {
      expect(edited(name, (d) => d.delete('services local-dev', 'dynamodb'))).to.equal(`[default]
region = us-west-2
s3 =
  max_concurrent_requests = 20
  max_queue_size = 10000
  multipart_threshold = 64MB
cli_pager =

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access

[profile dev]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Developer
services = local-dev
s3 =
  addressing_style = path

[services local-dev]
sts =
  endpoint_url = http://localhost:4566
`);
    });

    it('removes an sso-session section', () => {
      expect(edited(name, (d) => d.removeSection('sso-session corp'))).to.equal(fixture(name).replace(
        '[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n\n',
        '',
      ));
    });

    it('removes the last section, a services section with nested blocks', () => {
      expect(edited(name, (d) => d.removeSection('services local-dev'))).to.equal(fixture(name).replace(
        /\n\[services local-dev\][^]*$/,
        '',
      ));
    });

    it('creates a section after a file that ends in a nested block', () => {
      expect(edited(name, (d) => d.set('sso-session other', 'sso_region', 'eu-west-1'))).to.equal(`${fixture(name)}
[sso-session other]
sso_region = eu-west-1
`);
    });
  });

  describe('config-crlf.ini', () => {
    const name = 'config-crlf.ini';

    it('writes new lines with CRLF', () => {
      expect(edited(name, (d) => d.set('profile work', 'awsl_username', 'jdoe'))).to.equal(crlf(`# Written on Windows
[default]
region = us-east-1

[profile work]
region = eu-west-2
awsl_provider = ecp
awsl_username = jdoe
`));
      expect(edited(name, (d) => d.set('default', 'output', 'json'))).to.equal(crlf(`# Written on Windows
[default]
region = us-east-1
output = json

[profile work]
region = eu-west-2
awsl_provider = ecp
`));
    });

    it('creates a section with CRLF', () => {
      expect(edited(name, (d) => d.set('profile new', 'region', 'us-east-2'))).to.equal(crlf(`# Written on Windows
[default]
region = us-east-1

[profile work]
region = eu-west-2
awsl_provider = ecp

[profile new]
region = us-east-2
`));
    });

    it('replaces, deletes and removes without touching line ends', () => {
      expect(edited(name, (d) => d.set('profile work', 'region', 'eu-west-1'))).to.equal(crlf(`# Written on Windows
[default]
region = us-east-1

[profile work]
region = eu-west-1
awsl_provider = ecp
`));
      expect(edited(name, (d) => d.delete('profile work', 'region'))).to.equal(crlf(`# Written on Windows
[default]
region = us-east-1

[profile work]
awsl_provider = ecp
`));
      expect(edited(name, (d) => d.removeSection('profile work'))).to.equal(crlf(`# Written on Windows
[default]
region = us-east-1
`));
      expect(edited(name, (d) => d.removeSection('default'))).to.equal(crlf(`[profile work]
region = eu-west-2
awsl_provider = ecp
`));
    });
  });

  describe('config-no-final-newline.ini', () => {
    const name = 'config-no-final-newline.ini';

    it('adds a key at the end without adding a final newline', () => {
      expect(edited(name, (d) => d.set('profile ci', 'awsl_username', 'ci-bot')))
        .to.equal('[default]\nregion = ap-northeast-1\n\n[profile ci]\noutput = yaml\nawsl_duration = 3600\nawsl_username = ci-bot');
    });

    it('replaces the last value', () => {
      expect(edited(name, (d) => d.set('profile ci', 'awsl_duration', '900')))
        .to.equal('[default]\nregion = ap-northeast-1\n\n[profile ci]\noutput = yaml\nawsl_duration = 900');
    });

    it('adds a key in the middle with a newline', () => {
      expect(edited(name, (d) => d.set('default', 'output', 'json')))
        .to.equal('[default]\nregion = ap-northeast-1\noutput = json\n\n[profile ci]\noutput = yaml\nawsl_duration = 3600');
    });

    it('creates a section at the end', () => {
      expect(edited(name, (d) => d.set('profile new', 'region', 'us-east-1')))
        .to.equal('[default]\nregion = ap-northeast-1\n\n[profile ci]\noutput = yaml\nawsl_duration = 3600\n\n[profile new]\nregion = us-east-1');
    });

    it('deletes the last line and still ends without a newline', () => {
      expect(edited(name, (d) => d.delete('profile ci', 'awsl_duration')))
        .to.equal('[default]\nregion = ap-northeast-1\n\n[profile ci]\noutput = yaml');
    });

    it('removes the last section and still ends without a newline', () => {
      expect(edited(name, (d) => d.removeSection('profile ci'))).to.equal('[default]\nregion = ap-northeast-1');
    });
  });

  describe('config-odd-spacing.ini', () => {
    const name = 'config-odd-spacing.ini';

    it('reads keys with any spacing; section names are taken literally', () => {
      const document = IniDocument.parse(fixture(name), name);
      expect(document.section('default')).to.deep.equal({ region: 'us-east-1', output: 'text', cli_pager: '', awsl_duration: '3600' });
      expect(document.sections()).to.deep.equal(['default', ' profile spaced ', 'profile tabbed']);
      expect(document.section('profile spaced')).to.equal(undefined);
      expect(document.section('profile tabbed')).to.deep.equal({ region: 'ap-southeast-2', awsl_provider: 'ecp' });
    });

    it('keeps each line\'s own spacing when replacing', () => {
      expect(edited(name, (d) => {
        d.set('default', 'region', 'eu-north-1');
        d.set('default', 'output', 'json');
        d.set('default', 'cli_pager', 'less');
        d.set('default', 'awsl_duration', '7200');
        d.set('profile tabbed', 'region', 'ap-east-1');
      })).to.equal(
        '[default]\nregion=eu-north-1\noutput   =   json\ncli_pager= less  \t\nawsl_duration\t=\t7200\n\n[ profile spaced ]\nregion = ap-south-1\n\n'
        + '[profile tabbed]\n\tregion\t=\tap-east-1\n\tawsl_provider=ecp\n',
      );
    });

    it('copies the indentation and the compact style of the line it follows', () => {
      expect(edited(name, (d) => d.set('profile tabbed', 'awsl_username', 'jdoe'))).to.equal(`${fixture(name)}\tawsl_username=jdoe\n`);
      expect(edited(name, (d) => d.set('default', 'awsl_username', 'jdoe')))
        .to.equal(fixture(name).replace('awsl_duration\t=\t3600\n', 'awsl_duration\t=\t3600\nawsl_username = jdoe\n'));
    });

    it('creates [profile spaced] rather than writing into [ profile spaced ], as the SDK reads them apart', () => {
      expect(edited(name, (d) => d.set('profile spaced', 'region', 'us-east-1')))
        .to.equal(`${fixture(name)}\n[profile spaced]\n\tregion=us-east-1\n`);
    });
  });

  describe('empty.ini and comments-only.ini', () => {
    it('reads an empty file as an empty document', () => {
      const document = IniDocument.parse(fixture('empty.ini'), 'empty.ini');
      expect(document.toString()).to.equal('');
      expect(document.sections()).to.deep.equal([]);
      expect(document.section('default')).to.equal(undefined);
      expect(document.get('default', 'region')).to.equal(undefined);
      expect(document.delete('default', 'region')).to.equal(false);
      expect(document.removeSection('default')).to.equal(false);
    });

    it('creates the first section without a blank line before it', () => {
      expect(edited('empty.ini', (d) => {
        d.set('default', 'region', 'us-east-1');
        d.set('default', 'output', 'json');
      })).to.equal('[default]\nregion = us-east-1\noutput = json\n');
    });

    it('creates a section after comments, separated by a blank line', () => {
      expect(edited('comments-only.ini', (d) => d.set('default', 'region', 'us-east-1'))).to.equal(`# Nothing configured yet.
; Run \`awsl login configure\` to add a profile.

[default]
region = us-east-1
`);
    });

    it('removing the only section leaves an empty file', () => {
      const document = IniDocument.parse('[default]\nregion = x\n', 'f');
      document.removeSection('default');
      expect(document.toString()).to.equal('');
    });
  });

  describe('credentials.ini', () => {
    const name = 'credentials.ini';

    it('replaces temporary credentials in place', () => {
      expect(edited(name, (d) => {
        d.set('prod', 'aws_access_key_id', 'ASIAAWSLTESTPROD0002');
        d.set('prod', 'aws_session_token', 'bmV3LXRva2Vu');
        d.set('prod', 'awsl_expiration', '2031-06-01T12:00:00.000Z');
      })).to.equal(`# Long-term keys for the CI user; the temporary ones below are written by awsl.
[default]
aws_access_key_id = AKIAAWSLTESTDEFAULT1
aws_secret_access_key = c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seS0wMDAx

[prod]
aws_access_key_id = ASIAAWSLTESTPROD0002
aws_secret_access_key = dGhpcy1pcy1hLWZha2Utc2VjcmV0LWZvci1wcm9k
aws_session_token = bmV3LXRva2Vu
awsl_expiration = 2031-06-01T12:00:00.000Z
awsl_role_arn = arn:aws:iam::123456789012:role/Admin
`);
    });

    it('adds a profile\'s credentials as a new bare section', () => {
      expect(edited(name, (d) => {
        d.set('staging', 'aws_access_key_id', 'ASIAAWSLTESTSTAGE001');
        d.set('staging', 'aws_secret_access_key', 'c3RhZ2luZw==');
        d.set('staging', 'aws_session_token', 'dG9rZW4=');
      })).to.equal(`${fixture(name)}
[staging]
aws_access_key_id = ASIAAWSLTESTSTAGE001
aws_secret_access_key = c3RhZ2luZw==
aws_session_token = dG9rZW4=
`);
    });

    it('deletes what awsl wrote and keeps the rest', () => {
      expect(edited(name, (d) => {
        for (const key of ['aws_session_token', 'awsl_expiration', 'awsl_role_arn']) d.delete('prod', key);
      })).to.equal(`# Long-term keys for the CI user; the temporary ones below are written by awsl.
[default]
aws_access_key_id = AKIAAWSLTESTDEFAULT1
aws_secret_access_key = c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seS0wMDAx

[prod]
aws_access_key_id = ASIAAWSLTESTPROD0001
aws_secret_access_key = dGhpcy1pcy1hLWZha2Utc2VjcmV0LWZvci1wcm9k
`);
    });

    it('removes the last section', () => {
      expect(edited(name, (d) => d.removeSection('prod'))).to.equal(`# Long-term keys for the CI user; the temporary ones below are written by awsl.
[default]
aws_access_key_id = AKIAAWSLTESTDEFAULT1
aws_secret_access_key = c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seS0wMDAx
`);
    });

    it('removes a section together with the comment line directly above its header', () => {
      expect(edited(name, (d) => d.removeSection('default'))).to.equal(`[prod]
aws_access_key_id = ASIAAWSLTESTPROD0001
aws_secret_access_key = dGhpcy1pcy1hLWZha2Utc2VjcmV0LWZvci1wcm9k
aws_session_token = RmFrZVNlc3Npb25Ub2tlbi8vL2Zvci10ZXN0cy0rKys9
awsl_expiration = 2030-01-01T00:00:00.000Z
awsl_role_arn = arn:aws:iam::123456789012:role/Admin
`);
    });
  });

  describe('credentials-windows.ini (CRLF, key=value)', () => {
    const name = 'credentials-windows.ini';

    it('adds a key in the compact style with CRLF', () => {
      expect(edited(name, (d) => d.set('default', 'aws_session_token', 'dG9rZW4=')))
        .to.equal(`${crlf('[default]\naws_access_key_id=AKIAAWSLTESTWINDOWS1\naws_secret_access_key=d2luZG93cy1zZWNyZXQtZm9yLXRlc3RzLW9ubHkwMQ\naws_session_token=dG9rZW4=\n')}`);
    });

    it('creates a section in the file\'s style', () => {
      expect(edited(name, (d) => d.set('prod', 'aws_access_key_id', 'ASIAAWSLTESTPROD0009')))
        .to.equal(`${fixture(name)}${crlf('\n[prod]\naws_access_key_id=ASIAAWSLTESTPROD0009\n')}`);
    });
  });

  describe('grammar details', () => {
    it('reads no inline comments, as the AWS CLI: "#" and ";" after a value are part of it', () => {
      const document = IniDocument.parse('[a]\nurl = https://idp/x#frag\nb = v ;c\nc = v;c\nd = #x\nregion = eu-west-1 # Dublin\n', 'f');
      expect(document.section('a')).to.deep.equal({ url: 'https://idp/x#frag', b: 'v ;c', c: 'v;c', d: '#x', region: 'eu-west-1 # Dublin' });
    });

    it('reads "key: value" and keys in any case, as the AWS CLI does; set matches the key in any case', () => {
      const document = IniDocument.parse('[a]\nRegion: eu-west-1\nOutput=json\n', 'f');
      expect(document.section('a')).to.deep.equal({ region: 'eu-west-1', output: 'json' });
      document.set('a', 'region', 'us-east-1');
      expect(document.toString()).to.equal('[a]\nRegion: us-east-1\nOutput=json\n');
    });

    it('takes a header up to its last "]", ignoring what follows, as configparser does', () => {
      const document = IniDocument.parse('[profile p] notes\nk = v\n[a] = b\nl = w\n[ ]\nm = x\n', 'f');
      expect(document.sections()).to.deep.equal(['profile p', 'a', ' ']);
      expect(document.get('profile p', 'k')).to.equal('v');
    });

    it('gives every section the keys of [DEFAULT] it does not set itself', () => {
      const document = IniDocument.parse('[DEFAULT]\nregion = eu-west-1\noutput = json\n[profile p]\noutput = text\n', 'f');
      expect(document.section('profile p')).to.deep.equal({ output: 'text', region: 'eu-west-1' });
      expect(document.get('profile p', 'region')).to.equal('eu-west-1');
    });

    it('accepts comments and headers with trailing comments and indentation', () => {
      const document = IniDocument.parse('  # c\n\t; c\n [a] # about a\nk = v\n', 'f');
      expect(document.sections()).to.deep.equal(['a']);
      expect(document.get('a', 'k')).to.equal('v');
    });

    it('continues a key on lines indented deeper than it, as the AWS CLI does', () => {
      const document = IniDocument.parse('[a]\nk = first\n  second\nnext = 1\n  s3 =\n[b]\n  s3 =\n    x = 1\n\n    y = 2\n  region = r\n', 'f');
      expect(document.section('a')).to.deep.equal({ k: 'first\nsecond', next: '1\ns3 =' });
      expect(document.section('b')).to.deep.equal({ s3: '\nx = 1\n\ny = 2', region: 'r' });
    });

    it('continues a key on an indented line that looks like a header or follows a comment line', () => {
      const document = IniDocument.parse('[a]\nk = first\n  [profile q]\n  # note\n  third\n', 'f');
      expect(document.sections()).to.deep.equal(['a']);
      expect(document.get('a', 'k')).to.equal('first\n[profile q]\nthird');
    });

    it('ends a line at a lone CR too, as Python\'s universal newlines do, and keeps it', () => {
      const text = '[a]\rk = x\r  y\r';
      const document = IniDocument.parse(text, 'f');
      expect(document.get('a', 'k')).to.equal('x\ny');
      expect(document.toString()).to.equal(text);
    });

    it('uses the most common line end for new lines in a mixed file', () => {
      const document = IniDocument.parse('[a]\r\nk = 1\nl = 2\r\n', 'f');
      document.set('b', 'm', '3');
      expect(document.toString()).to.equal('[a]\r\nk = 1\nl = 2\r\n\r\n[b]\r\nm = 3\r\n');
    });

    it('returns keys such as __proto__ as plain entries', () => {
      const section = IniDocument.parse('[a]\n__proto__ = x\n', 'f').section('a');
      expect(Object.keys(section ?? {})).to.deep.equal(['__proto__']);
      expect(section?.['__proto__']).to.equal('x');
    });

    it('writes into a section whose name starts with "#", which is no comment inside brackets', () => {
      const document = IniDocument.parse('[#team]\nk = v\n', 'f');
      document.set('#team', 'k', 'w');
      expect(document.toString()).to.equal('[#team]\nk = w\n');
    });

    it('writes an empty value as "key ="', () => {
      const document = IniDocument.parse('[a]\nk = v\n', 'f');
      document.set('a', 'empty', '');
      document.set('a', 'k', '');
      expect(document.toString()).to.equal('[a]\nk = \nempty =\n');
      expect(document.section('a')).to.deep.equal({ k: '', empty: '' });
    });

    it('fills "key=" compactly and "key = " after its space', () => {
      const document = IniDocument.parse('[a]\nk=\nl = \n', 'f');
      document.set('a', 'k', '1');
      document.set('a', 'l', '2');
      expect(document.toString()).to.equal('[a]\nk=1\nl = 2\n');
    });

    it('adds a key right after the header of a section that has none', () => {
      const document = IniDocument.parse('[a]\n# note\n\n[b]\nk = v\n', 'f');
      document.set('a', 'x', '1');
      expect(document.toString()).to.equal('[a]\nx = 1\n# note\n\n[b]\nk = v\n');
    });
  });

  describe('refused writes', () => {
    const refusals: [string, string, string][] = [
      ['default', 'k', 'line\nbreak'],
      ['default', 'k', 'carriage\rreturn'],
      ['default', 'k', 'x\n[profile evil]\ncredential_process = sh'],
      ['default', 'k', ' leading'],
      ['default', 'k', 'trailing '],
      ['default', 'k', 'value # comment'],
      ['default', 'k', ';starts like a comment'],
      ['default', 'a=b', 'v'],
      ['default', '', 'v'],
      ['default', '#k', 'v'],
      ['default', '[k', 'v'],
      ['default', 'k\n', 'v'],
      ['prof]ile', 'k', 'v'],
      ['', 'k', 'v'],
      [' default', 'k', 'v'],
      ['a\nb', 'k', 'v'],
      ['profile #1', 'k', 'v'],
    ];
    for (const [section, key, value] of refusals) {
      it(`refuses set(${JSON.stringify(section)}, ${JSON.stringify(key)}, ${JSON.stringify(value)}) and changes nothing`, () => {
        const text = '[default]\nregion = x\n';
        const document = IniDocument.parse(text, 'f');
        expect(() => document.set(section, key, value)).to.throw(InvalidInputError);
        expect(document.toString()).to.equal(text);
      });
    }

    it('never puts the refused value in the message', () => {
      const document = IniDocument.parse('', 'f');
      expect(() => document.set('default', 'aws_secret_access_key', 'sekrit\nvalue')).to.throw(InvalidInputError).that.satisfies(
        (error: Error) => !error.message.includes('sekrit'),
      );
    });
  });

  describe('unreadable files', () => {
    const cases: [string, string, number, RegExp][] = [
      ['a key before any section', 'region = us-east-1\n[default]\n', 1, /before the first \[section\]/],
      ['a line without "="', '[default]\nregion = x\njust some words\n', 3, /expected "key = value"/],
      ['an unclosed header', '# c\n[default\nregion = x\n', 2, /no closing "\]"/],
      ['empty brackets', '[a]\nk = v\n\n[]\n', 4, /has no name/],
      ['a section that appears twice', '[a]\nk = v\n[b]\n[a]\n', 4, /section \[a\] appears a second time \(first at line 1\)/],
      ['a key that appears twice, in another case', '[a]\nregion = x\nRegion = y\n', 3, /key region appears a second time in \[a\] \(first at line 2\)/],
      ['a nested block line without "="', '[a]\ns3 =\n  max = 1\n  words\n', 4, /nested block under s3 has no "="/],
      ['a key without a name', '[default]\n= value\n', 2, /no name before "="/],
      ['an indented line with no key above it', '[a]\n  orphan = 1\n  words\n', 3, /expected "key = value"/],
      ['an error in a CRLF file', '[a]\r\nk = v\r\nbad\r\n', 3, /expected "key = value"/],
      ['a byte order mark', '\uFEFF[default]\nregion = x\n', 1, /byte order mark/],
      ['a line before the first section', 'words\n[a]\n', 1, /before the first \[section\]/],
      ['an error on a last line without newline', '[a]\nk = v\nbad', 3, /expected "key = value"/],
    ];
    for (const [what, text, line, problem] of cases) {
      it(`rejects ${what} at line ${line}`, () => {
        const error = parseError(text);
        expect(error.line).to.equal(line);
        expect(error.file).to.equal('/home/u/.aws/config');
        expect(error.message).to.match(problem);
        expect(error.message.startsWith(`/home/u/.aws/config:${line}: `)).to.equal(true);
        expect(error.exitCode).to.equal(5);
      });
    }

    it('does not echo the offending line, which may hold a secret', () => {
      const error = parseError('[default]\naws_secret_access_key wJalrXUtnFEMIsecretK7MDENG\n');
      expect(error.message).not.to.include('wJalr');
    });
  });
});
