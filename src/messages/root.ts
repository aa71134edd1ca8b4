/** The sections of awsl's root help (`awsl`, `awsl --help`) that give a first-time user a way in. */
export const sections: Array<[header: string, rows: Array<[string, string]>]> = [
  ['START HERE', [
    ['awsl login configure --profile NAME', 'Set up a profile: the identity provider and its settings, asked one by one.'],
    ['awsl --profile NAME login', 'Log in: temporary AWS credentials for the profile.'],
    ['awsl --profile NAME s3 ls', 'Any AWS CLI command, with the profile\'s credentials kept fresh.'],
    ['awsl help COMMAND', 'A command\'s flags and examples (also COMMAND --help, or -h).'],
  ]],
  ['GLOBAL FLAGS', [
    ['-p, --profile=PROFILE', 'AWS profile to use, before or after the command (default: AWS_PROFILE, then "default").'],
    ['-v, --verbose', 'Show debug output on stderr (secrets are redacted).'],
    ['--json', 'After a command that reports: its result, or its error, as JSON.'],
    ['-h, --help', 'Show help.'],
    ['--version', 'Show the version (also: awsl -v).'],
  ]],
  ['AWS CLI', [
    ['awsl [-p PROFILE] AWS_CLI_COMMAND …', 'The AWS CLI\'s own commands (s3, ec2, sts, eks, …) go to the AWS CLI, after a login when the credentials are missing or near expiry. Any other word stops before any login.'],
    ['awsl [-p PROFILE] aws ARGS…', 'Passes anything to the AWS CLI, for example a command of a newer AWS CLI.'],
  ]],
];
