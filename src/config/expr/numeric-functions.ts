// Numeric functions, as in Terraform: abs, ceil, floor, min, max, sum.
import type { Value } from "./types.js";
import type { FunctionDef } from "./function-signature.js";
import { describe, toNumber, typeName } from "./convert.js";

const num = (name: string) => ({ name, type: "number" as const });

export const NUMERIC_FUNCTIONS: FunctionDef[] = [
  { name: "abs", description: "The absolute value of a number.", params: [num("number")], impl: ([n]) => Math.abs(n as number) },
  { name: "ceil", description: "The smallest whole number not less than a number.", params: [num("number")], impl: ([n]) => Math.ceil(n as number) },
  { name: "floor", description: "The largest whole number not greater than a number.", params: [num("number")], impl: ([n]) => Math.floor(n as number) },
  {
    name: "min", description: "The smallest of one or more numbers.",
    params: [], variadic: { ...num("numbers"), min: 1 }, impl: (ns) => Math.min(...(ns as number[])),
  },
  {
    name: "max", description: "The largest of one or more numbers.",
    params: [], variadic: { ...num("numbers"), min: 1 }, impl: (ns) => Math.max(...(ns as number[])),
  },
  {
    name: "sum", description: "The total of a list of numbers.",
    params: [{ name: "list", type: "list" }],
    impl: ([l], call) => {
      let total = 0;
      for (const [i, item] of (l as Value[]).entries()) {
        const n = toNumber(item);
        if (n === undefined) return call.fail(`element ${i} must be a number, got ${typeName(item)} ${describe(item)}`, 0);
        total += n;
      }
      return total;
    },
  },
];
