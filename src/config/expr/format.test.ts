import { describe, expect, it } from "vitest";
import { FormatError, formatValues } from "./format.js";
import type { Value } from "./types.js";

function fmt(f: string, ...args: Value[]): string {
  const r = formatValues(f, args);
  if (r instanceof FormatError) throw new Error(r.message);
  return r;
}

function fmtError(f: string, ...args: Value[]): string {
  const r = formatValues(f, args);
  if (!(r instanceof FormatError)) throw new Error(`no error: ${r}`);
  return r.message;
}

describe("formatValues", () => {
  it("formats %s, %d, %v, %q and %%", () => {
    expect(fmt("%s-%s", "a", 1)).toBe("a-1");
    expect(fmt("%d items", 42)).toBe("42 items");
    expect(fmt("%d", "7")).toBe("7");
    expect(fmt("%v %v %v %v %v", "s", 1.5, true, null, [1, { b: 2, a: "x" }])).toBe('s 1.5 true null [1,{"a":"x","b":2}]');
    expect(fmt("%#v", "s")).toBe('"s"');
    expect(fmt("%q", 'say "hi"')).toBe('"say \\"hi\\""');
    expect(fmt("100%%")).toBe("100%");
    expect(fmt("no verbs")).toBe("no verbs");
  });

  it("formats %t, %f, %e, %g and integer bases", () => {
    expect(fmt("%t", "true")).toBe("true");
    expect(fmt("%f", 1.5)).toBe("1.500000");
    expect(fmt("%.2f", 3.14159)).toBe("3.14");
    expect(fmt("%e", 1234.5)).toBe("1.234500e+03");
    expect(fmt("%g", 0.5)).toBe("0.5");
    expect(fmt("%x %X %o %b", 255, 255, 8, 5)).toBe("ff FF 10 101");
  });

  it("applies widths, flags and precision", () => {
    expect(fmt("%03d", 7)).toBe("007");
    expect(fmt("%-4s|", "ab")).toBe("ab  |");
    expect(fmt("%4s|", "ab")).toBe("  ab|");
    expect(fmt("%+d %+d", 3, -3)).toBe("+3 -3");
    expect(fmt("%05d", -42)).toBe("-0042");
    expect(fmt("%.3s", "abcdef")).toBe("abc");
  });

  it("takes explicit argument indexes", () => {
    expect(fmt("%[2]s %[1]s", "a", "b")).toBe("b a");
    expect(fmt("%[1]s %[1]s", "x")).toBe("x x");
  });

  it("says what is wrong", () => {
    expect(fmtError("%s %s", "a")).toContain('not enough arguments for "%s" at offset 3');
    expect(fmtError("%s", "a", "b")).toContain("too many arguments: no verb left for argument 2");
    expect(fmtError("%d", 1.5)).toContain("whole number");
    expect(fmtError("%d", "x")).toContain("whole number");
    expect(fmtError("%s", [1])).toContain("needs a string, got list");
    expect(fmtError("%s", null)).toContain("got null");
    expect(fmtError("%y", 1)).toContain('unsupported format verb "%y"');
    expect(fmtError("50%")).toContain("incomplete verb");
    expect(fmtError("%[3]s", "a")).toContain("invalid argument index [3]");
  });
});
