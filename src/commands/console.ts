import { Flags } from '@oclif/core';
import { AwslCommand } from '../command-base.js';
import { buildConsoleUrl } from '../pipeline/console.js';
import { openInBrowser } from '../ui/browser.js';
import { SECRET_VARIABLES } from '../providers/registry.js';
import { formatLocalTime } from '../ui/render.js';
import * as messages from '../messages/console.js';

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
  static override summary = messages.summary;
  static override description = messages.description;
  static override examples = messages.examples;
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
