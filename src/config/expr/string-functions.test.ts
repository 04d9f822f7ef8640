import { describe, expect, it } from "vitest";
import { failure, ok } from "./function-test-support.js";

describe("string functions", () => {
  it("lower and upper", () => {
    expect(ok("lower", "HeLLo É")).toBe("hello é");
    expect(ok("upper", "hello é")).toBe("HELLO É");
    expect(ok("upper", 12)).toBe("12");
  });

  it("join, over one or more lists, converting numbers and bools", () => {
    expect(ok("join", ", ", ["a", "b"])).toBe("a, b");
    expect(ok("join", "-", ["a"], [1, true])).toBe("a-1-true");
    expect(ok("join", "-", [])).toBe("");
    expect(failure("join", "-", ["a", ["b"]])).toMatchObject({ start: 20, message: expect.stringContaining("element 1") });
    expect(failure("join", "-", ["a", null]).message).toContain("null");
    expect(failure("join", ",").message).toContain("at least 2 arguments");
  });

  it("split, including an empty separator", () => {
    expect(ok("split", ",", "a,b,,c")).toEqual(["a", "b", "", "c"]);
    expect(ok("split", ",", "")).toEqual([""]);
    expect(ok("split", "", "añ😀")).toEqual(["a", "ñ", "😀"]);
  });

  it("replace, with plain substrings and /regular expressions/", () => {
    expect(ok("replace", "a.b.c", ".", "-")).toBe("a-b-c");
    expect(ok("replace", "cost", "s", "$1")).toBe("co$1t");
    expect(ok("replace", "abc", "", "-")).toBe("-a-b-c-");
    expect(ok("replace", "hello world", "/o(\\w)/", "0$1")).toBe("hello w0rld");
    expect(ok("replace", "2024-05", "/(?P<y>\\d+)-(\\d+)/", "${2}/${y}")).toBe("05/2024");
    expect(failure("replace", "x", "/(/", "y")).toMatchObject({ start: 20, message: expect.stringContaining("invalid regular expression") });
  });

  it("trimspace, trimprefix and trimsuffix", () => {
    expect(ok("trimspace", "  \t a b \n")).toBe("a b");
    expect(ok("trimprefix", "alias/key", "alias/")).toBe("key");
    expect(ok("trimprefix", "key", "alias/")).toBe("key");
    expect(ok("trimsuffix", "file.hcl", ".hcl")).toBe("file");
    expect(ok("trimsuffix", "file", "")).toBe("file");
  });

  it("startswith and endswith", () => {
    expect(ok("startswith", "arn:aws:kms", "arn:")).toBe(true);
    expect(ok("startswith", "x", "arn:")).toBe(false);
    expect(ok("endswith", "vault-copies", "-copies")).toBe(true);
    expect(ok("endswith", "vault", "x")).toBe(false);
  });

  it("substr, by character, with negative offsets and -1 for the rest", () => {
    expect(ok("substr", "hello", 1, 3)).toBe("ell");
    expect(ok("substr", "hello", -3, -1)).toBe("llo");
    expect(ok("substr", "h😀llo", 1, 1)).toBe("😀");
    expect(ok("substr", "hello", 2, 100)).toBe("llo");
    expect(failure("substr", "hello", 9, 1).message).toContain("beyond the end");
    expect(failure("substr", "hello", 0, -2).message).toContain("length");
  });

  it("format delegates to the formatter and reports its errors at the format", () => {
    expect(ok("format", "%s-%d", "a", 3)).toBe("a-3");
    expect(failure("format", "%s %s", "a")).toMatchObject({ start: 10, message: expect.stringContaining("not enough arguments") });
  });
});
