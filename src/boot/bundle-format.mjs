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
