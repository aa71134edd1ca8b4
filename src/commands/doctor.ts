import { Flags } from '@oclif/core';
import { isSea } from 'node:sea';
import { credentialProcessCommand } from '../aws/credential-process.js';
import { runningAwslProgram } from '../aws/install.js';
import { AwslCommand } from '../command-base.js';
import { ExitCode } from '../errors.js';
import { runDoctor, type DoctorRequest, type Finding, type Severity } from '../pipeline/doctor.js';
import * as messages from '../messages/doctor.js';

export interface DoctorResult {
  ok: boolean;
  findings: Array<Omit<Finding, 'repair'> & { fixable: boolean }>;
  /** What --fix did. */
  fixed: string[];
}

export default class Doctor extends AwslCommand {
  static override summary = messages.summary;
  static override description = messages.description;
  static override examples = messages.examples;
  static override enableJsonFlag = true;
  static override flags = {
    fix: Flags.boolean({ summary: 'Repair what awsl can itself, then check again.' }),
  };

  async run(): Promise<DoctorResult> {
    const { flags } = await this.parse(Doctor);
    const context = this.context({ allowPrompts: false });
    const request: DoctorRequest = {
      credentialProcessCommand: (profile) => credentialProcessCommand(runningAwslProgram(this.config.root), profile),
      node: { version: process.versions.node, singleBinary: isSea() },
    };
    let findings = await runDoctor(context, request);
    const fixed: string[] = [];
    if (flags.fix) {
      // One repair may answer several findings (a profile's line and its shadowing keys).
      for (const repair of new Set(findings.map((finding) => finding.repair))) if (repair) fixed.push(await repair());
      if (fixed.length > 0) findings = await runDoctor(context, request);
    }
    const result: DoctorResult = {
      ok: !findings.some((finding) => finding.severity === 'problem'),
      findings: findings.map(({ repair, ...finding }) => ({ ...finding, fixable: repair !== undefined })),
      fixed,
    };
    if (this.jsonEnabled()) {
      if (result.ok) return result;
      this.logJson(result);
    } else {
      this.log(formatFindings(result));
      if (result.ok) return result;
    }
    this.exit(ExitCode.ProblemsFound);
  }
}

const LABEL: Record<Severity, string> = { ok: 'ok', note: 'note', problem: 'PROBLEM' };

function formatFindings(result: DoctorResult): string {
  const width = Math.max(...result.findings.map((finding) => finding.check.length));
  const lines = result.fixed.map((done) => `fixed    ${done}`);
  for (const finding of result.findings) {
    lines.push(`${LABEL[finding.severity].padEnd(8)} ${finding.check.padEnd(width)}  ${finding.message}`);
    if (finding.fix && finding.severity !== 'ok') lines.push(`${' '.repeat(9 + width)}  fix: ${finding.fix}`);
  }
  const problems = result.findings.filter((finding) => finding.severity === 'problem').length;
  lines.push(problems === 0 ? 'All is well.' : `${problems} problem${problems === 1 ? '' : 's'}: each comes with its fix above${result.findings.some((finding) => finding.fixable) ? '; to repair those it can: awsl doctor --fix' : ''}.`);
  return lines.join('\n');
}
