// String functions, as in Terraform: lower, upper, format, join, split, replace, trim*, startswith, endswith, substr.
import type { Value } from "./types.js";
import type { FunctionDef } from "./function-signature.js";
import { describe, toText } from "./convert.js";
import { FormatError, formatValues } from "./format.js";

const str = (name: string) => ({ name, type: "string" as const });

/** Go's regexp syntax, as far as JavaScript can follow it: named groups and `${n}` references. */
function goRegex(pattern: string): RegExp {
  return new RegExp(pattern.replace(/\(\?P</g, "(?<"), "gu");
}

function goReplacement(replacement: string): string {
  return replacement.replace(/\$\{(\d+)\}/g, "$$$1").replace(/\$\{(\w+)\}/g, "$$<$1>");
}

export const STRING_FUNCTIONS: FunctionDef[] = [
  {
    name: "lower", description: "Converts all cased letters in a string to lowercase.",
    params: [str("string")], impl: ([s]) => (s as string).toLowerCase(),
  },
  {
    name: "upper", description: "Converts all cased letters in a string to uppercase.",
    params: [str("string")], impl: ([s]) => (s as string).toUpperCase(),
  },
  {
    name: "format",
    description: "Formats values into a string like printf: %s string, %d whole number, %v any value, %q quoted string, %% a percent sign (also %t %f %e %g %x %o %b, widths and precisions).",
    params: [str("format")], variadic: { name: "args", type: "any", nullable: true },
    impl: ([fmt, ...args], call) => {
      const r = formatValues(fmt as string, args);
      return r instanceof FormatError ? call.fail(r.message, 0) : r;
    },
  },
  {
    name: "join", description: "Joins the strings of one or more lists into one string, with a separator between them.",
    params: [str("separator")], variadic: { name: "lists", type: "list", min: 1 },
    impl: ([sep, ...lists], call) => {
      const parts: string[] = [];
      for (const [l, list] of lists.entries()) {
        for (const [i, item] of (list as Value[]).entries()) {
          const s = toText(item);
          if (s === undefined) return call.fail(`element ${i} of the list must be a string, got ${describe(item)}`, l + 1);
          parts.push(s);
        }
      }
      return parts.join(sep as string);
    },
  },
  {
    name: "split", description: "Splits a string into a list of strings at every occurrence of a separator.",
    params: [str("separator"), str("string")],
    impl: ([sep, s]) => ((sep as string) === "" ? [...(s as string)] : (s as string).split(sep as string)),
  },
  {
    name: "replace",
    description: "Replaces every occurrence of a substring; a substring written /like this/ is a regular expression, and $1 in the replacement refers to its groups.",
    params: [str("string"), str("substring"), str("replacement")],
    impl: ([s, sub, rep], call) => {
      const text = s as string;
      const pattern = sub as string;
      if (pattern.length > 1 && pattern.startsWith("/") && pattern.endsWith("/")) {
        let re: RegExp;
        try {
          re = goRegex(pattern.slice(1, -1));
        } catch (err) {
          return call.fail(`invalid regular expression ${pattern}: ${(err as Error).message}`, 1);
        }
        return text.replace(re, goReplacement(rep as string));
      }
      return text.replaceAll(pattern, () => rep as string);
    },
  },
  {
    name: "trimspace", description: "Removes spaces, tabs and newlines from the start and the end of a string.",
    params: [str("string")], impl: ([s]) => (s as string).trim(),
  },
  {
    name: "trimprefix", description: "Removes a prefix from a string if it starts with it.",
    params: [str("string"), str("prefix")],
    impl: ([s, p]) => ((s as string).startsWith(p as string) ? (s as string).slice((p as string).length) : s!),
  },
  {
    name: "trimsuffix", description: "Removes a suffix from a string if it ends with it.",
    params: [str("string"), str("suffix")],
    impl: ([s, x]) => ((x as string) !== "" && (s as string).endsWith(x as string) ? (s as string).slice(0, -(x as string).length) : s!),
  },
  {
    name: "startswith", description: "Whether a string starts with a prefix.",
    params: [str("string"), str("prefix")], impl: ([s, p]) => (s as string).startsWith(p as string),
  },
  {
    name: "endswith", description: "Whether a string ends with a suffix.",
    params: [str("string"), str("suffix")], impl: ([s, x]) => (s as string).endsWith(x as string),
  },
  {
    name: "substr",
    description: "Extracts part of a string by character offset and length; a negative offset counts from the end, a length of -1 means to the end.",
    params: [str("string"), { name: "offset", type: "number" }, { name: "length", type: "number" }],
    impl: ([s, o, l], call) => {
      const chars = [...(s as string)];
      let offset = o as number;
      const length = l as number;
      if (!Number.isInteger(offset) || !Number.isInteger(length)) return call.fail("offset and length must be whole numbers");
      if (offset < 0) offset = Math.max(0, chars.length + offset);
      if (offset > chars.length) return call.fail(`offset ${offset} is beyond the end of the string (${chars.length} characters)`, 1);
      if (length < -1) return call.fail("length must be -1 (to the end) or more", 2);
      return chars.slice(offset, length === -1 ? undefined : offset + length).join("");
    },
  },
];
