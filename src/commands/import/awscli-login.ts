import { Flags } from '@oclif/core';
import { credentialProcessCommand } from '../../aws/credential-process.js';
import { runningAwslProgram } from '../../aws/install.js';
import { AwslCommand } from '../../command-base.js';
import { importAwscliLogin, type ImportOutcome } from '../../pipeline/import-awscli-login.js';
import * as messages from '../../messages/import-awscli-login.js';

export default class ImportAwscliLogin extends AwslCommand {
  static override summary = messages.summary;
  static override description = messages.description;
  static override examples = messages.examples;
  static override enableJsonFlag = true;
  static override flags = {
    yes: Flags.boolean({ char: 'y', summary: 'Rewrite awscli-login\'s credential_process lines and unload its plugin without asking.' }),
  };

  async run(): Promise<ImportOutcome> {
    const { flags } = await this.parse(ImportAwscliLogin);
    const outcome = await importAwscliLogin(this.context(), {
      yes: flags.yes,
      credentialProcessCommand: (profile) => credentialProcessCommand(runningAwslProgram(this.config.root), profile),
    });
    for (const profile of outcome.profiles) {
      const count = Object.keys(profile.settings).length;
      this.log(profile.skipped
        ? `Profile ${profile.profile}: not imported.`
        : `Profile ${profile.profile}: imported ${count} setting${count === 1 ? '' : 's'}${profile.lineRewritten ? '; credential_process now runs awsl' : ''}.`);
      for (const note of profile.notes) this.logger.warn(`profile ${profile.profile}: ${note}`);
    }
    if (outcome.pluginUnloaded) this.log('Unloaded the awscli-login plugin from the AWS CLI.');
    if (outcome.linesLeft.length > 0) {
      this.logger.warn(`awscli-login's credential_process lines of ${outcome.linesLeft.join(', ')} are still in place, so the AWS CLI still runs aws-login for them. To switch them to awsl: awsl import awscli-login --yes`);
    }
    return outcome;
  }
}
