import { prose } from './prose.js';

export const summary = 'Remove a profile\'s AWS credentials, keeping the IdP session for the next login.';

export const description = prose(`
Removes what awsl wrote into the profile's section of ~/.aws/credentials; other keys stay. The IdP
session is kept, so the next "awsl login" (for example with another --role-arn) needs no password
or second factor while the IdP session lasts. --forget also forgets the IdP session and the
password stored in the keyring. A profile already logged out is not an error (exit 0): the state
asked for is there.
`);

export const examples = [
  { description: 'Log out of the default profile', command: '<%= config.bin %> logout' },
  { description: 'Switch role without a password', command: '<%= config.bin %> logout && <%= config.bin %> login --role-arn arn:aws:iam::123456789012:role/ReadOnly' },
  { description: 'Log out of every awsl profile', command: '<%= config.bin %> logout --all' },
  { description: 'Also forget the IdP session and the stored password', command: '<%= config.bin %> logout --profile prod --forget' },
];
