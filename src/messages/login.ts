import { prose } from './prose.js';

export const summary = 'Log in through your IdP and write temporary AWS credentials for a profile.';

export const description = prose(`
Tries the saved IdP session first (no password, no second factor); only when the IdP refuses it
does awsl ask for the password (keyring first) and the second factor. The role comes from
--role-arn, then the profile's awsl_role_arn, then the only role granted, then a menu. Credentials
go into the profile's section of ~/.aws/credentials (AWS_SHARED_CREDENTIALS_FILE), or into awsl's
private cache for profiles set up with --credential-process. --refresh-every keeps them fresh for
programs that only read ~/.aws/credentials. With --profile given several times the profiles log in
one after another, and profiles that share an IdP and username authenticate once; parallel awsl
runs do the same, waiting for the one that asks.
`);

export const examples = [
  { description: 'Log in with the default profile', command: '<%= config.bin %> login' },
  { description: 'Log in with profile prod', command: '<%= config.bin %> --profile prod login' },
  { description: 'The same, with the flag after the command', command: '<%= config.bin %> login --profile prod' },
  { description: 'The same, from the environment', command: 'AWS_PROFILE=prod <%= config.bin %> login' },
  { description: 'Switch role without a password while the IdP session lasts', command: '<%= config.bin %> logout && <%= config.bin %> login --role-arn arn:aws:iam::123456789012:role/ReadOnly' },
  { description: 'Several profiles on one IdP: one password and one second factor for all', command: '<%= config.bin %> login --profile dev --profile prod --profile audit' },
  { description: 'Keep-alive: renew every 50 minutes for 8 hours (Ctrl-C stops)', command: '<%= config.bin %> login --profile prod --refresh-every 50 --for 8' },
  { description: 'A session narrowed to read-only, whatever the role allows', command: '<%= config.bin %> login --profile prod --policy-arns arn:aws:iam::aws:policy/ReadOnlyAccess' },
  { description: 'Automation: password on standard input', command: 'secret-tool lookup service idp | <%= config.bin %> login --profile ci --password-stdin' },
];
