import { prose } from './prose.js';

export const summary = 'List the roles your IdP grants you, grouped by account, without calling AWS.';

export const description = prose(`
Asks the IdP for a SAML assertion — through the saved IdP session when there is one, so no
password or second factor — and lists the AWS roles in it, grouped by account with the names from
awsl_account_names. STS is not called and no credentials change. Without a saved session (some
providers keep none) awsl asks for the password and second factor as login does; with no terminal
it fails at once.
`);

export const examples = [
  { description: 'The roles of the default profile\'s IdP', command: '<%= config.bin %> roles' },
  { description: 'The roles a profile can switch to', command: '<%= config.bin %> roles --profile prod' },
  { description: 'Role ARNs only, for scripts', command: '<%= config.bin %> roles --json | jq -r \'.accounts[].roles[].roleArn\'' },
];
