import { describe, expect, it } from "vitest";
import { identLength, scanToken, skipTrivia } from "./lexer.js";

describe("lexer", () => {
  it("scans identifiers with dashes and Unicode letters", () => {
    expect(identLength("my-name.x", 0)).toBe(7);
    expect(identLength("_a1", 0)).toBe(3);
    expect(identLength("1a", 0)).toBe(0);
    expect(identLength("café", 0)).toBe(4);
    expect(scanToken("ñame ", 0)).toMatchObject({ kind: "ident", text: "ñame", start: 0, end: 4 });
  });

  it("scans numbers, punctuation (longest first) and heredoc openers", () => {
    expect(scanToken("1.5e-3x", 0)).toMatchObject({ kind: "number", text: "1.5e-3" });
    expect(scanToken("1.x", 0)).toMatchObject({ kind: "number", text: "1" });
    expect(scanToken("...", 0)).toMatchObject({ kind: "punct", text: "..." });
    expect(scanToken("=>", 0)).toMatchObject({ kind: "punct", text: "=>" });
    expect(scanToken("==", 0)).toMatchObject({ kind: "punct", text: "==" });
    expect(scanToken("<=", 0)).toMatchObject({ kind: "punct", text: "<=" });
    expect(scanToken("<<-EOT\nx", 0)).toMatchObject({ kind: "heredoc", text: "EOT", flush: true, end: 7 });
    expect(scanToken("<<EOT x", 0)).toMatchObject({ kind: "invalid" });
  });

  it("marks invalid characters, naming control characters by code point", () => {
    expect(scanToken("@", 0)).toMatchObject({ kind: "invalid", text: expect.stringContaining('"@"') });
    expect(scanToken("\u0001", 0)).toMatchObject({ kind: "invalid", text: expect.stringContaining("U+0001") });
    expect(scanToken("😀", 0)).toMatchObject({ kind: "invalid", end: 2 });
  });

  it("skips whitespace and all three comment styles", () => {
    const text = "  # a\n // b\n /* c\n */ x";
    expect(skipTrivia(text, 0)).toBe(text.indexOf("x"));
    expect(skipTrivia("/* open", 0)).toBe(0);
    expect(scanToken("", 0).kind).toBe("eof");
  });
});
