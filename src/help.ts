/**
 * awsl's help, through oclif's (package.json oclif.helpClass). The root help gives a way in: where
 * to start, the global flags and what goes to the AWS CLI (src/messages/root.ts), then every
 * command, `login configure` included, instead of a topic list that repeats `login`.
 */
import { Help } from '@oclif/core';
import { sections } from './messages/root.js';

export class AwslHelp extends Help {
  protected override async showRootHelp(): Promise<void> {
    // oclif leaves the first line, package.json's description, unwrapped.
    const [summary = '', ...rest] = this.formatRoot().split('\n');
    this.log([this.wrap(summary), ...rest].join('\n'));
    this.log('');
    for (const [header, rows] of sections) {
      this.log(this.section(header, rows));
      this.log('');
    }
    this.log(this.formatCommands(this.sortedCommands));
    this.log('');
  }
}
