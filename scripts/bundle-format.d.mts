/** Types of bundle-format.mjs, for the tests that build bundles of that shape. */
export function wrapForCodeCache(bundle: string): string;
export function routeDynamicImports(code: string): string;
