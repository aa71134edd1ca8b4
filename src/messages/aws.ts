import { prose } from './prose.js';

export const summary = 'Run an AWS CLI command after making sure the profile\'s credentials are fresh.';

export const description = prose(`
"awsl aws ARGS…" and, shorter, any command awsl does not own ("awsl --profile prod s3 ls") log in
first when the profile's credentials are missing or near expiry, then run the AWS CLI with
AWS_PROFILE set to the profile (credentials in the environment, which would override it, are
removed) and exit with its exit code. --profile is awsl's and the AWS CLI's at once (it is passed
on); every other argument goes to the AWS CLI unchanged. The AWS CLI is AWSL_AWS_CLI when set,
else "aws" on PATH. For the AWS CLI's own help, use "awsl aws help" or "awsl s3 help".
`);

export const examples = [
  { description: 'List buckets with prod\'s credentials', command: '<%= config.bin %> --profile prod s3 ls' },
  { description: 'The same, explicitly (also for commands awsl owns, such as login)', command: '<%= config.bin %> --profile prod aws s3 ls' },
  { description: 'Who am I?', command: '<%= config.bin %> --profile prod sts get-caller-identity' },
];
