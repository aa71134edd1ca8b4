/**
 * Whether a profile's credential_process line can still start its program: the AWS CLI gives only
 * "[Errno 2] No such file or directory" on every call once a Node upgrade removed the binary a
 * line names. Used by `awsl doctor` and `login configure`, which repair awsl's own lines.
 */
import { accessSync, closeSync, constants, openSync, readSync, statSync } from 'node:fs';
import { basename, delimiter, isAbsolute, join } from 'node:path';
import { splitCommandWords } from './credential-process.js';

export type LineVerdict =
  /** Starts, and names no versioned Node. */
  | { kind: 'ok' }
  /** Cannot start: `missing` is the file that is gone or not executable. */
  | { kind: 'broken'; missing: string }
  /** Starts today, but names the Node binary itself, so the next Node upgrade breaks it. */
  | { kind: 'pins-node'; node: string };

/** PATH lookup as execvp does it; undefined when no executable of that name is found. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (isAbsolute(name) || name.includes('/')) return isExecutable(name) ? name : undefined;
  for (const folder of (env.PATH ?? '').split(delimiter)) {
    const candidate = join(folder || '.', name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

const NODE_NAME = /^node(\.exe)?$/i;

/** The interpreter a script's #! line asks for through env (`#!/usr/bin/env node` → node). */
function envInterpreter(script: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(script, 'r');
    const head = Buffer.alloc(200);
    const length = readSync(fd, head, 0, head.length, 0);
    return /^#!\s*\S*\/env\s+(?:-S\s+)?(\S+)/.exec(head.toString('latin1', 0, length))?.[1];
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * A line that runs awsl though it carries no marker (CREDENTIAL_PROCESS_MARKER): what awsl wrote
 * before the marker, `<node> <…/bin/run.js> credential-process …` or `<…/awsl> credential-process …`.
 */
export function looksLikeAwslLine(line: string): boolean {
  const words = splitCommandWords(line) ?? [];
  const program = words.findIndex((word) => /(^|[/\\])(run\.js|awsl(\.exe)?)$/.test(word));
  return program >= 0 && program <= 1 && words[program + 1] === 'credential-process';
}

export function inspectCredentialProcessLine(line: string, env: NodeJS.ProcessEnv = process.env): LineVerdict {
  const words = splitCommandWords(line) ?? [];
  const [program, script] = words;
  if (program === undefined) return { kind: 'broken', missing: line };
  const found = findOnPath(program, env);
  if (!found) return { kind: 'broken', missing: program };
  if (NODE_NAME.test(basename(program))) {
    if (script === undefined || !looksLikeAwslLine(line)) return { kind: 'ok' };
    try {
      statSync(script);
    } catch {
      return { kind: 'broken', missing: script };
    }
    return isAbsolute(program) ? { kind: 'pins-node', node: program } : { kind: 'ok' };
  }
  const interpreter = envInterpreter(found);
  if (interpreter && !findOnPath(interpreter, env)) return { kind: 'broken', missing: `${interpreter} (on PATH, for ${found})` };
  return { kind: 'ok' };
}
