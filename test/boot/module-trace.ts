/**
 * Which modules a node process loads: every URL the ESM loader resolves (a resolve hook, written to
 * a file) and every CommonJS load (NODE_DEBUG=module, on stderr); between them, every file of code.
 */
import { readFileSync } from 'node:fs';

const HOOKS = `
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(process.env.AWSL_MODULE_TRACE, result.url + '\\n');
  return result;
}`;

const REGISTER = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(HOOKS)}`)});`;

/** Node options that trace into `file`. */
export function traceArgs(): string[] {
  return ['--import', `data:text/javascript,${encodeURIComponent(REGISTER)}`];
}

export function traceEnv(file: string): NodeJS.ProcessEnv {
  return { AWSL_MODULE_TRACE: file, NODE_DEBUG: 'module' };
}

export function tracedModules(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n').filter(Boolean);
}

/** CommonJS files (not node's built-ins) NODE_DEBUG=module reports loading, from stderr. */
export function commonJsLoads(stderr: string): string[] {
  return stderr.split('\n').filter((line) => /^MODULE \d+: load /.test(line) && !/load built-in module/.test(line));
}
