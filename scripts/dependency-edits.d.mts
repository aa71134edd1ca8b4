/** Types of dependency-edits.mjs, for its test. */
import type { Plugin } from 'esbuild';

export const DEPENDENCY_EDITS: Record<string, Array<[string, string]>>;
export function editDependency(file: string, contents: string): string;
export const dependencyEdits: Plugin;
