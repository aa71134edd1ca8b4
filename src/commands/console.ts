import { Flags } from '@oclif/core';
import { AwslCommand } from '../command-base.js';
import { buildConsoleUrl } from '../pipeline/console.js';
import { openInBrowser } from '../ui/browser.js';
import { SECRET_VARIABLES } from '../providers/registry.js';
import { formatLocalTime } from '../ui/render.js';

export interface ConsoleResult {
  profile: string;
  partition: string;
  roleArn: string | null;
  region: string | null;
  destination: string;
  /** The sign-in URL; only with --print (it opens the console without a password). */
  url?: string;
  /** Whether a browser was started. */
  opened: boolean;
  credentialsExpiration: string;
}

export default class Console extends AwslCommand {
  static override summary = 'Open the AWS console signed in with the profile\'s credentials.';
  static override description = `Logs in first when the profile's credentials are missing or have less than 15 minutes left (through the saved IdP session when there is one), then exchanges the credentials for a sign-in token at the AWS federation endpoint of their partition (aws, aws-us-gov or aws-cn) and opens the console in the browser (BROWSER, else xdg-open, open or the Windows URL handler). With --print, or when no browser can be started, the sign-in URL goes to stdout instead. The URL opens the console without a password for as long as the console session lasts: treat it like a password; awsl never logs it.

The region is --region, else AWS_REGION, AWS_DEFAULT_REGION or the profile's region when they are in the credentials' partition. AWSL_FEDERATION_URL replaces the endpoint that issues the token (tests, private proxies); the browser always signs in at the partition's own sign-in host.`;
  static override examples = [
    { description: 'Open the console home of the default profile', command: '<%= config.bin %> console' },
    { description: 'Open S3 in eu-west-1 for profile prod', command: '<%= config.bin %> console --profile prod --service s3 --region eu-west-1' },
    { description: 'Open a console path', command: '<%= config.bin %> console --path \'/ec2/home#Instances\'' },
    { description: 'Print the sign-in URL instead of opening a browser', command: '<%= config.bin %> console --print' },
  ];
  static override enableJsonFlag = true;
  static override flags = {
    region: Flags.string({ char: 'r', summary: 'Region to open the console in, e.g. eu-west-1.' }),
    service: Flags.string({ char: 's', summary: 'Console service to open, e.g. s3, ec2, iam (opens /SERVICE/home).', exclusive: ['path'] }),
    path: Flags.string({ summary: 'Console path to open, e.g. /ec2/home#Instances.', exclusive: ['service'] }),
    duration: Flags.integer({ summary: 'Console session length in seconds (900–43200); AWS\'s default is one hour.' }),
    print: Flags.boolean({ summary: 'Print the sign-in URL on stdout instead of opening a browser.' }),
  };

  async run(): Promise<ConsoleResult> {
    const { flags } = await this.parse(Console);
    const outcome = await buildConsoleUrl(this.context(), {
      profile: this.profileName(flags.profile),
      region: flags.region,
      service: flags.service,
      path: flags.path,
      sessionDurationSeconds: flags.duration,
    });
    const result: ConsoleResult = {
      profile: outcome.profile, partition: outcome.partition, roleArn: outcome.roleArn, region: outcome.region,
      destination: outcome.destination, opened: false, credentialsExpiration: outcome.credentialsExpiration.toISOString(),
    };
    const until = `the credentials behind it expire at ${formatLocalTime(outcome.credentialsExpiration)}`;
    if (flags.print) {
      this.log(outcome.url);
      return { ...result, url: outcome.url };
    }
    const browser = await openInBrowser(outcome.url, { secretVariables: SECRET_VARIABLES });
    if (browser.opened) {
      this.logger.info(`Opened the AWS console for profile ${outcome.profile} at ${outcome.destination} (${browser.via}); ${until}.`);
      return { ...result, opened: true };
    }
    this.logger.warn(`No browser could be opened: ${browser.reason}. Open this sign-in URL yourself; it is a secret, like a password:`);
    this.log(outcome.url);
    return { ...result, url: outcome.url };
  }
}
