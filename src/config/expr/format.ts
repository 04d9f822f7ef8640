// format(): Go/Terraform-style formatting verbs over HCL values. Supported: %% %v %#v %s %q %d %t %f %e %g
// %x %X %o %b, with the flags - + 0 space, width, .precision and explicit argument indexes (%[2]s).
import type { Value } from "./types.js";
import { canonicalJson, describe, formatNumber, isList, isMap, toBool, toNumber, toText, typeName } from "./convert.js";

export class FormatError {
  constructor(readonly message: string) {}
}

const SPEC = /%([-+# 0]*)(?:\[(\d+)\])?(\d+)?(?:\.(\d*))?(?:\[(\d+)\])?(.?)/y;

/** Formats, or returns a FormatError saying what is wrong and where. */
export function formatValues(fmt: string, args: Value[]): string | FormatError {
  let out = "";
  let next = 0;
  let reordered = false;
  let i = 0;
  while (i < fmt.length) {
    const pct = fmt.indexOf("%", i);
    if (pct < 0) {
      out += fmt.slice(i);
      break;
    }
    out += fmt.slice(i, pct);
    SPEC.lastIndex = pct;
    const m = SPEC.exec(fmt)!;
    i = SPEC.lastIndex;
    const [, flags = "", index1, widthText, precisionText, index2, verb = ""] = m;
    if (verb === "%" && !flags && !widthText && precisionText === undefined && !index1 && !index2) {
      out += "%";
      continue;
    }
    if (verb === "") return new FormatError(`the format ends with an incomplete verb at offset ${pct}`);
    const index = index1 ?? index2;
    if (index !== undefined) {
      next = Number(index) - 1;
      reordered = true;
      if (next < 0 || next >= args.length) return new FormatError(`invalid argument index [${index}] at offset ${pct}: there are ${args.length} arguments`);
    }
    if (next >= args.length) return new FormatError(`not enough arguments for "%${verb}" at offset ${pct}`);
    const arg = args[next++]!;
    const text = formatOne(verb, flags, precisionText === undefined ? undefined : Number(precisionText || "0"), arg, pct);
    if (text instanceof FormatError) return text;
    out += pad(text, widthText === undefined ? 0 : Number(widthText), flags, verb);
  }
  if (!reordered && next < args.length) return new FormatError(`too many arguments: no verb left for argument ${next + 1}`);
  return out;
}

function pad(text: string, width: number, flags: string, verb: string): string {
  const length = [...text].length;
  if (length >= width) return text;
  const fill = width - length;
  if (flags.includes("-")) return text + " ".repeat(fill);
  if (flags.includes("0") && "dfegxXob".includes(verb)) {
    const sign = /^[+\- ]/.test(text) ? text[0]! : "";
    return sign + "0".repeat(fill) + text.slice(sign.length);
  }
  return " ".repeat(fill) + text;
}

function signed(text: string, n: number, flags: string): string {
  if (n < 0 || Object.is(n, -0)) return text;
  return flags.includes("+") ? `+${text}` : flags.includes(" ") ? ` ${text}` : text;
}

function formatOne(verb: string, flags: string, precision: number | undefined, arg: Value, at: number): string | FormatError {
  const bad = (need: string) => new FormatError(`"%${verb}" at offset ${at} needs ${need}, got ${typeName(arg)} ${describe(arg)}`);
  switch (verb) {
    case "v": {
      if (flags.includes("#") || isList(arg) || isMap(arg)) return canonicalJson(arg);
      if (arg === null) return "null";
      const s = toText(arg)!;
      return precision === undefined ? s : [...s].slice(0, precision).join("");
    }
    case "s":
    case "q": {
      const s = toText(arg);
      if (s === undefined) return bad("a string");
      const cut = precision === undefined ? s : [...s].slice(0, precision).join("");
      return verb === "s" ? cut : JSON.stringify(cut);
    }
    case "t": {
      const b = toBool(arg);
      return b === undefined ? bad("a bool") : String(b);
    }
    case "d":
    case "x":
    case "X":
    case "o":
    case "b": {
      const n = toNumber(arg);
      if (n === undefined || !Number.isInteger(n)) return bad("a whole number");
      const radix = { d: 10, x: 16, X: 16, o: 8, b: 2 }[verb];
      const digits = BigInt(Math.abs(n)).toString(radix);
      const body = (n < 0 ? "-" : "") + (verb === "X" ? digits.toUpperCase() : digits);
      return signed(body, n, flags);
    }
    case "f":
    case "e":
    case "E":
    case "g":
    case "G": {
      const n = toNumber(arg);
      if (n === undefined) return bad("a number");
      let s: string;
      if (verb === "f") s = n.toFixed(Math.min(precision ?? 6, 100));
      else if (verb === "e" || verb === "E") s = goExponent(n.toExponential(Math.min(precision ?? 6, 100)));
      else s = precision === undefined ? formatNumber(n) : goExponent(String(Number(n.toPrecision(Math.max(1, Math.min(precision, 100))))));
      if (verb === "E" || verb === "G") s = s.toUpperCase();
      return signed(s, n, flags);
    }
    default:
      return new FormatError(`unsupported format verb "%${verb}" at offset ${at}`);
  }
}

/** Go writes exponents with at least two digits: 1e+06, not 1e+6. */
function goExponent(s: string): string {
  return s.replace(/e([+-])(\d)$/, "e$10$2");
}
