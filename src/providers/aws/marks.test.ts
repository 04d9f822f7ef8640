import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { creatorRequestId, isMarkerAlias, isStackToken, markerAlias } from "./marks.js";

const stackName = fc.stringMatching(/^[a-z0-9-]{1,32}$/);
const address = fc.string({ minLength: 1, maxLength: 80 });

describe("creatorRequestId", () => {
  it("is a valid CreatorRequestId, deterministic, and marks its own stack only", () => {
    fc.assert(fc.property(stackName, stackName, address, (a, b, addr) => {
      const token = creatorRequestId(a, addr);
      expect(token).toMatch(/^[A-Za-z0-9_.-]{1,50}$/);
      expect(creatorRequestId(a, addr)).toBe(token);
      expect(isStackToken(a, token)).toBe(true);
      if (a !== b) expect(isStackToken(b, token)).toBe(false);
    }));
  });

  it("differs by address and by salt", () => {
    expect(creatorRequestId("core", "vault.a")).not.toBe(creatorRequestId("core", "vault.b"));
    expect(creatorRequestId("core", "backup_selection.p.s", "1")).not.toBe(creatorRequestId("core", "backup_selection.p.s", "2"));
    expect(creatorRequestId("core", "vault.a")).toMatch(/^crossvault-core\./);
  });

  it("keeps some hash even for the longest stack name", () => {
    const token = creatorRequestId("x".repeat(32), "vault.a");
    expect(token.length).toBe(50);
    expect(token.length - "crossvault-".length - 32 - 1).toBeGreaterThanOrEqual(6);
  });

  it("ignores foreign tokens and non-strings", () => {
    expect(isStackToken("core", "terraform-123")).toBe(false);
    expect(isStackToken("core", undefined)).toBe(false);
    expect(isStackToken("core", "crossvault-core-x.abc")).toBe(false);
  });
});

describe("marker aliases", () => {
  it("name the stack and the key, and match only their stack", () => {
    fc.assert(fc.property(stackName, stackName, fc.uuid(), (a, b, keyId) => {
      const alias = markerAlias(a, keyId);
      expect(alias).toMatch(/^alias\/[a-zA-Z0-9:/_-]+$/);
      expect(isMarkerAlias(a, alias)).toBe(true);
      if (a !== b) expect(isMarkerAlias(b, alias)).toBe(false);
    }));
  });
});
