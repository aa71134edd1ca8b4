import { prose } from './prose.js';

export const summary = 'Open the AWS console signed in with the profile\'s credentials.';

export const description = prose(`
Logs in first when the profile's credentials are missing or have less than 15 minutes left
(through the saved IdP session when there is one), then exchanges the credentials for a sign-in
token at the AWS federation endpoint of their partition (aws, aws-us-gov or aws-cn) and opens the
console in the browser (BROWSER, else xdg-open, open or the Windows URL handler). With --print, or
when no browser can be started, the sign-in URL goes to stdout instead. The URL opens the console
without a password for as long as the console session lasts: treat it like a password; awsl never
logs it.

The region is --region, else AWS_REGION, AWS_DEFAULT_REGION or the profile's region when they are
in the credentials' partition. AWSL_FEDERATION_URL replaces the endpoint that issues the token
(tests, private proxies); the browser always signs in at the partition's own sign-in host.
`);

export const examples = [
  { description: 'Open the console home of the default profile', command: '<%= config.bin %> console' },
  { description: 'Open S3 in eu-west-1 for profile prod', command: '<%= config.bin %> console --profile prod --service s3 --region eu-west-1' },
  { description: 'Open a console path', command: '<%= config.bin %> console --path \'/ec2/home#Instances\'' },
  { description: 'Print the sign-in URL instead of opening a browser', command: '<%= config.bin %> console --print' },
];
