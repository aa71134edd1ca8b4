import { prose } from './prose.js';

export const summary = 'Show who you are logged in as: role, account, time left, IdP session.';

export const description = prose(`
For the profile (or every awsl profile with --all): the provider, the role and account of the
current credentials (the configured role when logged out; account names from awsl_account_names),
how long the credentials last, whether an IdP session is saved (so the next login needs no
password), and where the credentials live (~/.aws/credentials, or awsl's private cache for
credential_process profiles). Reads local files only: no network, nothing changes. Also available
as "awsl whoami".
`);

export const examples = [
  { description: 'The default profile', command: '<%= config.bin %> status' },
  { description: 'Profile prod, by its alias', command: '<%= config.bin %> whoami --profile prod' },
  { description: 'Every awsl profile, as a table', command: '<%= config.bin %> status --all' },
  { description: 'Seconds left, for scripts', command: '<%= config.bin %> status --json | jq \'.profiles[0].secondsLeft\'' },
];
