/**
 * Every hint works when pasted (issue 10.6): each awsl command that appears in a string of src/
 * (error messages and hints, prompts' unattended hints, help examples) is collected from the
 * source and parsed with awsl's own oclif command definitions, as oclif would parse it when typed.
 * A `${…}` inside a suggested command must be one this test knows how to fill in (PLACEHOLDERS).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Flags, Parser, type Interfaces } from '@oclif/core';
import { expect } from 'chai';
import ts from 'typescript';
import { awsCliCommandLine, leadingGlobalFlags, splitCommandLine } from '../src/boot/argv.js';
import awsCli from '../src/hooks/aws-cli-commands.json' with { type: 'json' };
import { COMMANDS } from '../src/main.js';
import { ENDPOINT_EXAMPLE } from '../src/providers/ecp/descriptor.js';
import { ALL_SETTINGS, PROVIDERS } from '../src/providers/registry.js';
import { configureHint } from '../src/settings.js';
import { createSandbox, runAwsl } from './support/cli.js';

const SOURCE = new URL('../src/', import.meta.url);

/** Functions that build suggested commands: their results are checked as placeholders, over every input. */
const HINT_BUILDERS = new Set(['configureHint']);

/** What each `${expression}` of a hint can be: sample values, or every command a hint builder returns. */
function placeholderValues(expression: string, file: string): string[] | undefined {
  if (/(^|\.)profile(\.name)?$/.test(expression)) return ['p'];
  if (/(^|\.)bin$/.test(expression)) return ['awsl'];
  if (/^(configureHint|configureCommand)\(/.test(expression)) return [configureHint('p'), ...ALL_SETTINGS.map((setting) => configureHint('p', setting))];
  return LOCAL_PLACEHOLDERS[file]?.[expression];
}

const commandIds = Object.keys(COMMANDS).map((id) => id.replaceAll(':', ' '));

/** Placeholders of one file: what its callers pass, or what it computes. */
const LOCAL_PLACEHOLDERS: Record<string, Record<string, string[]>> = {
  // Every command's flag errors end with its --help.
  'command-base.ts': { "(this.id ?? '').replaceAll(':', ' ')": commandIds, command: commandIds.map((id) => `awsl ${id}`) },
  // Each provider's unattended configure example.
  'messages/login-configure.ts': { 'descriptor.configureExample': PROVIDERS.map((descriptor) => descriptor.configureExample) },
  'providers/ecp/index.ts': { ENDPOINT_EXAMPLE: [ENDPOINT_EXAMPLE] },
  // The commands that read --password-stdin.
  'login-flags.ts': { command: ['awsl login', 'awsl roles'] },
  // The hook names awsl's own commands, and echoes a flag the user typed after the command that has it.
  'hooks/command-not-found.ts': {
    candidate: [...new Set(commandIds.map((id) => id.split(' ')[0]!))],
    "owner.id.replaceAll(':', ' ')": ['status'],
    "known.replaceAll(':', ' ')": commandIds,
    word: ['--json'],
    command: ['awsl login', 'awsl status'],
    sub: ['configure'],
  },
};

interface Hint { where: string; command: string[] }

const UNKNOWN = '\u0000';

/** The texts of a string literal or template, with each placeholder filled in every way it can be. */
function texts(node: ts.Node, source: ts.SourceFile, file: string): string[] {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [node.text];
  if (!ts.isTemplateExpression(node)) return [];
  let variants = [node.head.text];
  for (const span of node.templateSpans) {
    const values = placeholderValues(span.expression.getText(source), file) ?? [`${UNKNOWN}${span.expression.getText(source)}${UNKNOWN}`];
    variants = variants.flatMap((variant) => values.map((value) => variant + value + span.literal.text));
  }
  return variants;
}

/** Each `awsl …` command in a text: the words up to the first that cannot be part of it. */
function commandsIn(text: string): string[][] {
  const commands: string[][] = [];
  const normalised = text.replaceAll('<%= config.bin %>', 'awsl');
  for (const match of normalised.matchAll(/(?<![\w-])awsl /g)) {
    const words: string[] = [];
    for (const token of normalised.slice(match.index + match[0].length).split(/\s+/)) {
      // An empty value, quoted as a shell wants it: --idp-certificate "".
      if (/^(""|'')$/.test(token)) {
        words.push('');
        continue;
      }
      const word = token.replace(/[.,;:)"'`]+$/, '');
      if (word === '' || /^[|&>(]/.test(word)) break;
      words.push(word);
      if (word !== token) break;
    }
    commands.push(words);
  }
  return commands;
}

function collectHints(): Hint[] {
  const hints: Hint[] = [];
  const files = readdirSync(SOURCE, { recursive: true }).map(String).filter((file) => file.endsWith('.ts'));
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(new URL(file, SOURCE), 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionDeclaration(node) && HINT_BUILDERS.has(node.name?.text ?? '')) return;
      for (const text of texts(node, source, file)) {
        const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
        for (const command of commandsIn(text)) hints.push({ where: `src/${file}:${line}`, command });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return hints;
}

const ids = Object.keys(COMMANDS) as Array<keyof typeof COMMANDS>;

/**
 * The command a hint runs and its arguments after the command words, once a user types it;
 * undefined when the hint's words are prose ("awsl needs to ask…") or the AWS CLI's.
 */
function awslCommand(words: string[]): { id: keyof typeof COMMANDS; argv: string[] } | undefined {
  const { flags, rest } = leadingGlobalFlags(words);
  const id = [...ids].sort((a, b) => b.length - a.length).find((candidate) => {
    const parts = candidate.split(':');
    return parts.every((part, index) => rest[index] === part);
  });
  if (id === undefined) return undefined;
  // Flags, each with the word after it (a value, or a stray word a user would paste too); the
  // first other word is the sentence going on ("run awsl login again").
  const after = rest.slice(id.split(':').length);
  const argv: string[] = [];
  for (let index = 0; index < after.length && after[index]!.startsWith('-'); index += 1) {
    argv.push(after[index]!);
    if (after[index] === '--') {
      argv.push(...after.slice(index + 1));
      break;
    }
    if (!after[index]!.includes('=') && after[index + 1] !== undefined && !after[index + 1]!.startsWith('-')) argv.push(after[++index]!);
  }
  return { id, argv: [...flags.args, ...argv] };
}

/** Parses argv as oclif parses a typed command line: throws what oclif would print. */
async function parseAs(id: keyof typeof COMMANDS, argv: string[]): Promise<void> {
  const command = COMMANDS[id];
  // oclif answers a help flag before parsing anything (package.json additionalHelpFlags).
  if (argv.includes('--help') || argv.includes('-h')) return;
  let own = argv;
  if (id === 'exec') {
    const split = splitCommandLine(argv, new Set(Object.keys(command.flags ?? {}).map((flag) => `--${flag}`)));
    if (split.problem) throw new Error(split.problem);
    own = split.own;
  } else if (id === 'aws') {
    const line = awsCliCommandLine(argv);
    if (line.problem) throw new Error(line.problem);
    return;
  }
  await Parser.parse(own, {
    flags: { ...command.baseFlags, ...command.flags, ...(command.enableJsonFlag ? { json: Flags.boolean() } : {}) } as Interfaces.FlagInput,
    args: command.args ?? {},
    strict: command.strict ?? true,
    context: undefined,
  });
}

describe('hints (every awsl command that awsl suggests runs as printed)', function () {
  const hints = collectHints();

  it('finds the hints of errors, prompts and help examples', function () {
    const found = hints.map((hint) => hint.command.join(' '));
    for (const expected of ['login configure --profile p', 'login --profile p --password-stdin', 'login configure --profile p --enable-keyring']) {
      expect(found, expected).to.include(expected);
    }
    expect(hints.length).to.be.above(40);
  });

  it('each parses with the command\'s own flags, and fills in only placeholders the test knows', async function () {
    const failures: string[] = [];
    let parsed = 0;
    for (const hint of hints) {
      const typed = `awsl ${hint.command.join(' ')}`;
      const target = awslCommand(hint.command);
      const [first] = leadingGlobalFlags(hint.command).rest;
      if (!target) {
        // Prose, or a command of the AWS CLI: only a placeholder where a command should be is suspect.
        if (first?.startsWith(UNKNOWN) && !awsCli.commands.includes(first)) failures.push(`${hint.where}: ${typed}: a command built from an expression the test cannot check`);
        continue;
      }
      const unknown = target.argv.find((word) => word.includes(UNKNOWN));
      if (unknown !== undefined) {
        failures.push(`${hint.where}: ${typed}: add the placeholder ${unknown.split(UNKNOWN)[1]} to placeholderValues`);
        continue;
      }
      try {
        await parseAs(target.id, target.argv);
        parsed += 1;
      } catch (error) {
        failures.push(`${hint.where}: ${typed}: ${(error as Error).message.split('\n')[0]}`);
      }
    }
    expect(failures, failures.join('\n')).to.deep.equal([]);
    expect(parsed).to.be.above(30);
  });

  it('the checker refuses what it should: a value after a --no- flag, an unknown flag, a missing value', async function () {
    for (const words of [['login', 'configure', '--enable-keyring', 'true'], ['login', '--rol-arn', 'x'], ['status', '--profile'], ['exec', '--frobnicate', 'x']]) {
      const target = awslCommand(words)!;
      let refused = false;
      try {
        await parseAs(target.id, target.argv);
      } catch {
        refused = true;
      }
      expect(refused, words.join(' ')).to.equal(true);
    }
  });

  it('pasted as printed, the configure hint of a login without a terminal runs (ux-findings A3)', async function () {
    const sandbox = createSandbox();
    try {
      writeFileSync(sandbox.configFile, '[profile p]\nawsl_provider = ecp\nawsl_ecp_endpoint_url = https://127.0.0.1:9/idp\nawsl_username = u\n');
      const login = await runAwsl(['--profile', 'p', 'login'], { env: sandbox.env });
      expect(login.code, login.stderr).to.equal(6);
      const suggested = commandsIn(login.stderr).find((words) => words[0] === 'login' && words[1] === 'configure');
      expect(suggested).to.deep.equal(['login', 'configure', '--profile', 'p', '--enable-keyring']);
      const pasted = await runAwsl(suggested!, { env: sandbox.env });
      expect(pasted.code, pasted.stderr).to.equal(0);
      expect(readFileSync(sandbox.configFile, 'utf8')).to.match(/^awsl_enable_keyring = true$/m);
    } finally {
      sandbox.remove();
    }
  });
});
