/**
 * awsl's help, through oclif's (package.json oclif.helpClass). The root help gives a way in: where
 * to start, the global flags and what goes to the AWS CLI (src/messages/root.ts), then every
 * command, `login configure` included, instead of a topic list that repeats `login`.
 */
import { stripVTControlCharacters } from 'node:util';
import { CommandHelp, Help } from '@oclif/core';
import { sections } from './messages/root.js';

type ListOptions = Parameters<Help['renderList']>[1];

/**
 * oclif's many-line list layout wraps a description for 2 columns fewer than it ends up indented
 * (it forgets the section's own indent), so at 40 columns lines ran to 42. A list that would pass
 * the width is laid out again with that indent counted; one that fits is left exactly as oclif made it.
 */
function listWithinWidth(render: (options: ListOptions) => string, options: ListOptions, maxWidth: number, sectionIndent: number): string {
  const list = render(options);
  const overflows = list.split('\n').some((line) => stripVTControlCharacters(line).length + sectionIndent > maxWidth);
  return overflows ? render({ ...options, indentation: options.indentation + sectionIndent }) : list;
}

class AwslCommandHelp extends CommandHelp {
  override renderList(input: (string | undefined)[][], options: ListOptions): string {
    return listWithinWidth((opts) => super.renderList(input, opts), options, this.opts.maxWidth, this.indentSpacing);
  }
}

export class AwslHelp extends Help {
  protected override CommandHelpClass = AwslCommandHelp;

  override renderList(input: (string | undefined)[][], options: ListOptions): string {
    return listWithinWidth((opts) => super.renderList(input, opts), options, this.opts.maxWidth, this.indentSpacing);
  }

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
