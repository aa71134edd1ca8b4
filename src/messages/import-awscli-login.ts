import { prose } from './prose.js';

export const summary = 'Take over awscli-login\'s profiles: its settings become awsl\'s, its credential_process lines awsl\'s.';

export const description = prose(`
Reads awscli-login's ~/.aws-login/config (AWSCLI_LOGIN_ROOT honoured) and writes the same settings
as awsl_ keys into each profile of ~/.aws/config (the README lists what each key becomes). A stored
password or one-time code is never copied into a file. Profiles already set up for awsl are left
as they are. Then, once you agree (or with --yes), awscli-login's "credential_process = aws-login
--profile P" lines become awsl's and its AWS CLI plugin ([plugins] login = awscli_login) is
unloaded. awscli-login's own files are never changed or deleted.
`);

export const examples = [
  { description: 'Import, and answer whether to rewrite the credential_process lines', command: '<%= config.bin %> import awscli-login' },
  { description: 'Unattended', command: '<%= config.bin %> import awscli-login --yes' },
];
