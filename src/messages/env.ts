import { prose } from './prose.js';

export const summary = 'Print a profile\'s temporary credentials as environment variables for a shell, a dotenv file or JSON.';

export const description = prose(`
The same variables "awsl exec" sets: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN,
AWS_CREDENTIAL_EXPIRATION, AWS_ACCOUNT_ID and, when known, AWS_REGION and AWS_DEFAULT_REGION; the
shell formats also unset AWS_PROFILE and AWS_DEFAULT_PROFILE. Values are quoted for the chosen
shell. Logs in first when needed (prompts go to the terminal, never into the output).
`);

export const examples = [
  { description: 'sh, bash, zsh', command: 'eval "$(<%= config.bin %> env --profile prod)"' },
  { description: 'fish', command: '<%= config.bin %> env --profile prod --format fish | source' },
  { description: 'PowerShell', command: '<%= config.bin %> env --profile prod --format powershell | Invoke-Expression' },
  { description: 'A dotenv file for docker compose', command: '<%= config.bin %> env --profile prod --format dotenv > .env' },
];
