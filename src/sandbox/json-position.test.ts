import { describe, expect, it } from "vitest";
import { jsonErrorOffset, lineColumn } from "./json-position.js";

describe("jsonErrorOffset", () => {
  it.each([
    ['{"a": }', 6],
    ['{\n  "a": "b",\n  oops\n}', 16],
    ['{"a": [1, 2,, 3]}', 12],
    ['{"a": tru}', 9],
    ['{"a": "unterminated', 19],
    ['{"a": 1} extra', 9],
    ['{"a": -}', 6],
    ['{"a": "\\q"}', 8],
  ])("finds the first wrong character of %j", (text, offset) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(jsonErrorOffset(text)).toBe(offset);
  });

  it("agrees that valid JSON has no error", () => {
    const text = JSON.stringify({ a: [1, -2.5e3, true, false, null, "x\u00e9\n\"y\""], b: {} }, null, 2);
    expect(jsonErrorOffset(text)).toBe(text.length);
  });

  it("turns offsets into 1-based line:column", () => {
    expect(lineColumn("ab\ncd", 4)).toBe("2:2");
    expect(lineColumn("x", 0)).toBe("1:1");
  });
});
