// The contract between the build (scripts/build.mjs) and the loader (bundle-loader.ts): the shape
// of dist/awsl.cjs. Plain JavaScript with no imports, so that both can load it as it is.

/**
 * The bundle is `(function (exports, require, module, __filename, __dirname, __awslImport) {…})`,
 * then `.call(…)` on a last line of its own that starts with CALL_LINE: the loader compiles the
 * text before it with a code cache and calls the function itself; a plain require() (`oclif
 * manifest` does one) runs the whole file.
 */
export const CALL_LINE = '\n.call(';

/**
 * `code` with every character beyond ASCII written as a \u escape, so that the loader can decode
 * the file as Latin-1, a plain copy, where UTF-8 decoding of 1.6 MB costs every run ~2 ms; V8 then
 * also keeps it one byte per character. The escape means the same character in identifiers,
 * strings, template literals and regular expressions (esbuild leaves some there, e.g. ansis's
 * \u009b); it would change the raw text a template tag reads, and would not be an escape after a
 * backslash, so those two places are refused instead. Found by parsing with `ts`.
 */
export function escapeBeyondAscii(code, ts) {
  const beyond = [...code.matchAll(/[^\0-\x7f]/g)];
  if (beyond.length === 0) return code;
  const source = ts.createSourceFile('bundle.cjs', code, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
  const taggedTemplates = [];
  const visit = (node) => {
    if (ts.isTaggedTemplateExpression(node)) taggedTemplates.push([node.template.getStart(source), node.template.end]);
    ts.forEachChild(node, visit);
  };
  visit(source);
  const refuse = (index, where) => {
    throw new Error(`the bundle has ${JSON.stringify(code[index])} ${where}, at …${JSON.stringify(code.slice(Math.max(0, index - 60), index + 20))}…: write it as a \\u escape in the source.`);
  };
  let escaped = '';
  let last = 0;
  for (const { index } of beyond) {
    if (taggedTemplates.some(([start, end]) => index >= start && index < end)) refuse(index, 'in a tagged template');
    if (/(^|[^\\])(\\\\)*\\$/.test(code.slice(Math.max(0, index - 16), index))) refuse(index, 'after a backslash');
    escaped += `${code.slice(last, index)}\\u${code.charCodeAt(index).toString(16).padStart(4, '0')}`;
    last = index + 1;
  }
  return escaped + code.slice(last);
}

/**
 * Node 20 loses the import() callback of a script compiled from a code cache, so every import()
 * in the bundle becomes a call of __awslImport, which the loader defines outside the script.
 * `routedBundle` is the output of routeDynamicImports.
 */
export function wrapForCodeCache(routedBundle) {
  return `(function (exports, require, module, __filename, __dirname, __awslImport) {\n${routedBundle}\n})`
    + `${CALL_LINE}this, exports, require, module, __filename, __dirname, (specifier) => import(specifier));\n`;
}

/**
 * `code` with each import(…) call turned into __awslImport(…), found by parsing with the
 * TypeScript compiler `ts` (the build's), not by pattern.
 */
export function routeDynamicImports(code, ts) {
  const source = ts.createSourceFile('bundle.cjs', code, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
  const starts = [];
  const visit = (node) => {
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) starts.push(node.expression.getStart(source));
    ts.forEachChild(node, visit);
  };
  visit(source);
  let routed = '';
  let last = 0;
  for (const start of starts.sort((a, b) => a - b)) {
    routed += `${code.slice(last, start)}__awslImport`;
    last = start + 'import'.length;
  }
  return routed + code.slice(last);
}
