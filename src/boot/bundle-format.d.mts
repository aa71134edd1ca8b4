/** Types of bundle-format.mjs, for the loader and the tests that build bundles of that shape. */
import type ts from 'typescript';

export const CALL_LINE: string;
export function wrapForCodeCache(routedBundle: string): string;
export function routeDynamicImports(code: string, compiler: typeof ts): string;
export function escapeBeyondAscii(code: string, compiler: typeof ts): string;
