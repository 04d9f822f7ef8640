// The built-in functions available to expressions, and their documentation table. The config layer adds
// its own by spreading: evaluate(expr, scope, { ...builtinFunctions, accounts_in_ou }).
import type { FunctionImpl } from "./types.js";
import { signatureOf, toImpl, type FunctionDef } from "./function-signature.js";
import { STRING_FUNCTIONS } from "./string-functions.js";
import { COLLECTION_FUNCTIONS } from "./collection-functions.js";
import { CONVERSION_FUNCTIONS } from "./conversion-functions.js";
import { NUMERIC_FUNCTIONS } from "./numeric-functions.js";

const DEFINITIONS: FunctionDef[] = [...STRING_FUNCTIONS, ...COLLECTION_FUNCTIONS, ...CONVERSION_FUNCTIONS, ...NUMERIC_FUNCTIONS]
  .sort((a, b) => (a.name < b.name ? -1 : 1));

export const builtinFunctions: Record<string, FunctionImpl> = Object.freeze(
  Object.fromEntries(DEFINITIONS.map((d) => [d.name, toImpl(d)])),
);

export interface FunctionDoc {
  name: string;
  /** e.g. `lookup(map, key, default?)`, `concat(lists...)`. */
  signature: string;
  description: string;
}

/** One row per built-in function, sorted by name, for docs/configuration.md. */
export const FUNCTION_DOCS: FunctionDoc[] = DEFINITIONS.map((d) => ({ name: d.name, signature: signatureOf(d), description: d.description }));
