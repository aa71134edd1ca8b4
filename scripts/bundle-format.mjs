// The shape of dist/awsl.cjs that src/fast/bundle-loader.ts runs with V8's code cache.
import ts from 'typescript';

/**
 * Gives the bundle the shape src/fast/bundle-loader.ts expects:
 * `(function (exports, require, module, __filename, __dirname, __awslImport) {…})`, then `.call(…)`
 * on a last line of its own, so that a plain require() runs it too (`oclif manifest` does).
 * Node 20 loses the import() callback of a script compiled from a code cache, so every import()
 * in the bundle becomes a call of __awslImport, which the loader defines outside the script.
 */
export function wrapForCodeCache(bundle) {
  return `(function (exports, require, module, __filename, __dirname, __awslImport) {\n${routeDynamicImports(bundle)}\n})`
    + '\n.call(this, exports, require, module, __filename, __dirname, (specifier) => import(specifier));\n';
}

/** `code` with each import(…) call turned into __awslImport(…), found by parsing, not by pattern. */
export function routeDynamicImports(code) {
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
