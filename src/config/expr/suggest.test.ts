import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { didYouMean, editDistance, suggest } from "./suggest.js";

describe("editDistance", () => {
  it("counts insertions, deletions, substitutions and adjacent swaps", () => {
    expect(editDistance("", "")).toBe(0);
    expect(editDistance("abc", "abc")).toBe(0);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("a😀", "a")).toBe(1);
    expect(editDistance("nmae", "name")).toBe(1);
    expect(editDistance("ab", "ba")).toBe(1);
  });

  it("is symmetric, zero only for equal strings, and bounded by the lengths", () => {
    const s = fc.string({ maxLength: 8 });
    fc.assert(fc.property(s, s, (a, b) => {
      const d = editDistance(a, b);
      const [la, lb] = [[...a].length, [...b].length];
      expect(editDistance(b, a)).toBe(d);
      expect(d === 0).toBe(a === b);
      expect(d).toBeGreaterThanOrEqual(Math.abs(la - lb));
      expect(d).toBeLessThanOrEqual(Math.max(la, lb));
    }));
  });
});

describe("suggest", () => {
  it("finds likely typos", () => {
    expect(suggest("nmae", ["name", "id", "arn"])).toBe("name");
    expect(suggest("managment_account", ["management_account", "stack"])).toBe("management_account");
    expect(suggest("ID", ["id", "arn"])).toBe("id");
    expect(suggest("aws_region", ["region", "default_region"])).toBe(undefined);
    expect(suggest("arm", ["arn", "id"])).toBe("arn");
  });

  it("stays quiet when nothing is close, and never suggests the name itself", () => {
    expect(suggest("zzzz", ["name", "id"])).toBeUndefined();
    expect(suggest("c", ["a", "b"])).toBeUndefined();
    expect(suggest("id", ["id"])).toBeUndefined();
    expect(suggest("x", [])).toBeUndefined();
  });

  it("prefers the closest candidate, then the first", () => {
    expect(suggest("vaults", ["vault_x", "vault"])).toBe("vault");
    expect(suggest("abcd", ["abce", "abcf"])).toBe("abce");
  });

  it("formats a did-you-mean suffix", () => {
    expect(didYouMean("nmae", ["name"])).toBe('; did you mean "name"?');
    expect(didYouMean("zzzz", ["name"])).toBe("");
  });
});
