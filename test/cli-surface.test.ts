/**
 * awsl's command-line surface, kept as checked-in files that a change must update on purpose (as
 * salesforcecli's command-snapshot.json and schemas/): test/cli-surface/command-snapshot.json has
 * every command with its aliases and flags; test/cli-surface/schemas/ has a JSON Schema of each
 * command's --json result, derived from the TypeScript type its run() returns.
 * After an intended change: AWSL_UPDATE_SURFACE=1 npx mocha test/cli-surface.test.ts, and commit.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import ts from 'typescript';
import { COMMANDS } from '../src/main.js';

const FOLDER = new URL('./cli-surface/', import.meta.url);
const SCHEMAS = new URL('./cli-surface/schemas/', import.meta.url);
const update = process.env.AWSL_UPDATE_SURFACE === '1' && !process.env.CI;

interface FlagShape { type: string; char?: string; allowNo?: boolean; options?: readonly string[]; multiple?: boolean; dependsOn?: readonly string[]; exclusive?: readonly string[] }

/** What a user can type: the command, its aliases, and each flag with its letter, kind and choices. */
function commandSnapshot(): Array<{ command: string; aliases: string[]; json: boolean; flags: Record<string, FlagShape> }> {
  return Object.entries(COMMANDS).sort(([a], [b]) => a.localeCompare(b)).map(([id, command]) => {
    const definitions: Record<string, Partial<FlagShape> & { type: string }> = { ...command.baseFlags, ...command.flags };
    const flags: Record<string, FlagShape> = {};
    for (const name of Object.keys(definitions).sort()) {
      const { type, char, allowNo, options, multiple, dependsOn, exclusive } = definitions[name]!;
      flags[name] = JSON.parse(JSON.stringify({ type, char, allowNo: allowNo || undefined, options, multiple: multiple || undefined, dependsOn, exclusive })) as FlagShape;
    }
    if (command.enableJsonFlag) flags.json = { type: 'boolean' };
    return { command: id.replaceAll(':', ' '), aliases: [...command.aliases, ...command.hiddenAliases].sort(), json: command.enableJsonFlag, flags };
  });
}

type Schema = Record<string, unknown>;

/** A JSON Schema of a TypeScript type, for the plain data shapes --json results are made of. */
function schemaOf(type: ts.Type, checker: ts.TypeChecker, where: string): Schema {
  if (type.flags & ts.TypeFlags.String) return { type: 'string' };
  if (type.flags & ts.TypeFlags.Number) return { type: 'number' };
  if (type.flags & ts.TypeFlags.Boolean) return { type: 'boolean' };
  if (type.flags & ts.TypeFlags.Null) return { type: 'null' };
  if (type.isStringLiteral()) return { const: type.value };
  if (type.isUnion()) {
    const members = type.types.filter((member) => !(member.flags & ts.TypeFlags.Undefined));
    if (members.every((member) => member.isStringLiteral())) return { enum: members.map((member) => (member as ts.StringLiteralType).value).sort() };
    const booleans = members.filter((member) => member.flags & ts.TypeFlags.BooleanLiteral);
    const rest = members.filter((member) => !(member.flags & ts.TypeFlags.BooleanLiteral)).map((member) => schemaOf(member, checker, where));
    const all = booleans.length === 2 ? [{ type: 'boolean' }, ...rest] : [...booleans.map((member) => schemaOf(member, checker, where)), ...rest];
    if (all.length === 1) return all[0]!;
    // string | null and the like: one list of type names.
    const simple = all.every((schema) => Object.keys(schema).length === 1 && typeof schema.type === 'string');
    return simple ? { type: all.map((schema) => schema.type as string).sort() } : { anyOf: all };
  }
  if (type.flags & ts.TypeFlags.BooleanLiteral) return { const: checker.typeToString(type) === 'true' };
  if (checker.isArrayType(type)) return { type: 'array', items: schemaOf(checker.getTypeArguments(type as ts.TypeReference)[0]!, checker, where) };
  if (type.flags & ts.TypeFlags.Object || type.isIntersection()) {
    const properties: Record<string, Schema> = {};
    const required: string[] = [];
    for (const property of checker.getPropertiesOfType(type)) {
      const declaration = property.valueDeclaration ?? property.declarations?.[0];
      if (!declaration) throw new Error(`${where}: property ${property.name} has no declaration`);
      properties[property.name] = schemaOf(checker.getTypeOfSymbolAtLocation(property, declaration), checker, `${where}.${property.name}`);
      if (!(property.flags & ts.SymbolFlags.Optional)) required.push(property.name);
    }
    const index = checker.getIndexInfosOfType(type)[0];
    return { type: 'object', properties, required, additionalProperties: index ? schemaOf(index.type, checker, `${where}[]`) : false };
  }
  throw new Error(`${where}: no JSON Schema for ${checker.typeToString(type)}`);
}

/** The JSON Schema of each --json command's result: the type its run() resolves to. */
function resultSchemas(): Record<string, Schema> {
  const paths = Object.keys(COMMANDS).map((id) => {
    const path = fileURLToPath(new URL(`../src/commands/${id.replace(':', '/')}.ts`, import.meta.url));
    return existsSync(path) ? path : path.replace(/\.ts$/, '/index.ts');
  });
  const program = ts.createProgram(paths, { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, strict: true, noEmit: true, skipLibCheck: true, types: ['node'] });
  const checker = program.getTypeChecker();
  const schemas: Record<string, Schema> = {};
  for (const [index, id] of Object.keys(COMMANDS).entries()) {
    if (!Object.values(COMMANDS)[index]!.enableJsonFlag) continue;
    const source = program.getSourceFile(paths[index]!)!;
    const declaration = source.statements.find((statement): statement is ts.ClassDeclaration => ts.isClassDeclaration(statement));
    const run = declaration?.members.find((member) => member.name?.getText(source) === 'run');
    if (!run) throw new Error(`${id}: no run()`);
    const signature = checker.getSignatureFromDeclaration(run as ts.MethodDeclaration)!;
    const resolved = checker.getAwaitedType(checker.getReturnTypeOfSignature(signature))!;
    schemas[id] = { $schema: 'https://json-schema.org/draft/2020-12/schema', title: `awsl ${id.replaceAll(':', ' ')} --json`, ...schemaOf(resolved, checker, id) };
  }
  return schemas;
}

const schemaFile = (id: string) => `${id.replaceAll(':', '-')}.json`;
const pretty = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

describe('the CLI surface (test/cli-surface/)', function () {
  this.timeout(120_000);

  it('commands, aliases and flags are those of command-snapshot.json', function () {
    const file = new URL('command-snapshot.json', FOLDER);
    const actual = pretty(commandSnapshot());
    if (update) {
      mkdirSync(FOLDER, { recursive: true });
      writeFileSync(file, actual);
    }
    expect(actual, 'the CLI surface changed: update test/cli-surface (see the header of this test)').to.equal(readFileSync(file, 'utf8'));
  });

  it('each --json result has the shape of its schema in schemas/', function () {
    const schemas = resultSchemas();
    expect(Object.keys(schemas)).to.include.members(['login', 'login:configure', 'status', 'roles', 'logout', 'env', 'console']);
    if (update) {
      rmSync(SCHEMAS, { recursive: true, force: true });
      mkdirSync(SCHEMAS, { recursive: true });
      for (const [id, schema] of Object.entries(schemas)) writeFileSync(new URL(schemaFile(id), SCHEMAS), pretty(schema));
    }
    expect(readdirSync(SCHEMAS).sort()).to.deep.equal(Object.keys(schemas).map(schemaFile).sort());
    for (const [id, schema] of Object.entries(schemas)) {
      expect(pretty(schema), `awsl ${id} --json changed shape: update test/cli-surface (see the header of this test)`).to.equal(readFileSync(new URL(schemaFile(id), SCHEMAS), 'utf8'));
    }
  });
});
