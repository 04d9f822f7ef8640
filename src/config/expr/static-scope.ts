// A scope over fixed values (`{ var: {...}, local: {...} }`): for expressions whose references are all known
// up front, such as variable defaults and --var values, and for tests. The evaluator walks the steps itself.
import type { EvalScope, Value } from "./types.js";
import { evalError } from "./errors.js";
import { didYouMean } from "./suggest.js";

export function staticScope(roots: Record<string, Value>): EvalScope {
  return {
    resolve(root, _steps, span) {
      if (Object.hasOwn(roots, root)) return { ok: true, value: roots[root]!, consumed: 0 };
      const names = Object.keys(roots);
      return {
        ok: false,
        error: evalError(span, "unresolved-reference", `Reference to undeclared name "${root}"${didYouMean(root, names)}`,
          names.length ? `Names available here: ${names.sort().join(", ")}.` : "No references are allowed here."),
      };
    },
  };
}
