import { Flags } from '@oclif/core';
import { credentialProcessCommand } from '../../aws/credential-process.js';
import { runningAwslProgram } from '../../aws/install.js';
import { AwslCommand } from '../../command-base.js';
import { importAwscliLogin, type ImportOutcome } from '../../pipeline/import-awscli-login.js';

export default class ImportAwscliLogin extends AwslCommand {
  static override summary = 'Take over awscli-login\'s profiles: its settings become awsl\'s, its credential_process lines awsl\'s.';
  static override description = `Reads awscli-login's ~/.aws-login/config (AWSCLI_LOGIN_ROOT honoured) and writes the same settings as awsl_ keys into each profile of ~/.aws/config (the README lists what each key becomes). A stored password or one-time code is never copied into a file. Profiles already set up for awsl are left as they are. Then, once you agree (or with --yes), awscli-login's "credential_process = aws-login --profile P" lines become awsl's and its AWS CLI plugin ([plugins] login = awscli_login) is unloaded. awscli-login's own files are never changed or deleted.`;
  static override examples = [
    { description: 'Import, and answer whether to rewrite the credential_process lines', command: '<%= config.bin %> import awscli-login' },
    { description: 'Unattended', command: '<%= config.bin %> import awscli-login --yes' },
  ];
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
