import { prose } from './prose.js';

export const summary = 'Run a command with a profile\'s temporary credentials in its environment.';

export const description = prose(`
Sets AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_CREDENTIAL_EXPIRATION,
AWS_ACCOUNT_ID and, when known, AWS_REGION and AWS_DEFAULT_REGION (environment first, then the
profile's region), and removes AWS_PROFILE and AWS_DEFAULT_PROFILE, so the command uses exactly
these credentials. Logs in first when the profile's credentials are missing, for another role or
have less than 15 minutes left. SIGINT, SIGTERM and SIGHUP are passed on to the command (a Ctrl-C
at the terminal reaches it once), and awsl exits with the command's exit code (128 + the signal's
number when a signal ended it). With --server the command gets no keys but a credentials endpoint
on 127.0.0.1 (AWS_CONTAINER_CREDENTIALS_FULL_URI and a random AWS_CONTAINER_AUTHORIZATION_TOKEN,
as in ECS), which the AWS SDKs and the AWS CLI ask whenever their credentials near expiry: each
request is answered with fresh credentials, refreshed through the IdP session or the keyring as
credential_process refreshes them (never with a prompt). Requests without the token, or from
another machine, are refused.
`);

export const examples = [
  { description: 'Run a program with prod\'s credentials', command: '<%= config.bin %> exec --profile prod -- terraform plan' },
  { description: 'A shell with the credentials', command: '<%= config.bin %> --profile prod exec -- $SHELL' },
  { description: 'A long-running program that refreshes its own credentials', command: '<%= config.bin %> exec --profile prod --server -- python3 long_job.py' },
  { description: 'Use -- before a command that has flags of its own', command: '<%= config.bin %> exec -- node -e "console.log(process.env.AWS_ACCESS_KEY_ID)"' },
];
