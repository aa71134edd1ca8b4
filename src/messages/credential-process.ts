import { prose } from './prose.js';

export const summary = 'Print a profile\'s credentials as AWS credential_process JSON, refreshing them when needed.';

export const description = prose(`
For the AWS CLI and SDKs, not for people: "awsl login configure --credential-process" puts it into
the profile's credential_process. It prints {"Version": 1, "AccessKeyId", "SecretAccessKey",
"SessionToken", "Expiration", "AccountId"} and nothing else on stdout. Credentials come from
awsl's private cache while they have more than 15 minutes left (without loading oclif or the AWS
SDK): botocore refreshes from 15 minutes before expiry, so handing out less would make Python
tools run awsl on every call. Otherwise awsl logs in again silently through the saved IdP session
or the keyring. When a person is needed it asks on the terminal (/dev/tty) if there is one; with
none, it prints the cached credentials while they last another minute (with a one-line note on
stderr), and otherwise fails at once (exit 6) naming "awsl login --profile P".
`);

export const examples = [
  { description: 'What the AWS CLI runs (see ~/.aws/config)', command: '<%= config.bin %> credential-process --profile prod' },
  { description: 'Check the profile through the AWS CLI', command: 'aws configure export-credentials --profile prod' },
];
