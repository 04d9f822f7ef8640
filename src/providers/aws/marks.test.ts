import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { creatorRequestId, isAnyMarkerAlias, isMarkerAlias, isStackToken, markerAlias, parseShareAlias, shareAlias } from "./marks.js";

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

describe("share aliases", () => {
  const label = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,40}$/);
  const key = fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/);
  const keyId = fc.oneof(fc.uuid(), fc.stringMatching(/^mrk-[0-9a-f]{32}$/));

  it("spell back the kms_key name of the share's address, and mark only their stack", () => {
    fc.assert(fc.property(stackName, stackName, keyId, label, fc.option(key, { nil: undefined }), (a, b, id, l, k) => {
      const name = k === undefined ? l : `${l}[${JSON.stringify(k)}]`;
      const alias = shareAlias(a, id, name);
      expect(alias).toMatch(/^alias\/[a-zA-Z0-9:/_-]{1,250}$/);
      expect(parseShareAlias(a, alias)).toEqual({ keyId: id, shareName: name });
      if (a !== b) expect(parseShareAlias(b, alias)).toBeUndefined();
      // Neither this stack's nor any other stack's marker of a created key.
      expect(isMarkerAlias(a, alias)).toBe(false);
      expect(isMarkerAlias(b, alias)).toBe(false);
      expect(isAnyMarkerAlias(alias)).toBe(true);
    }));
  });

  it("leave out a name the alias cannot spell, and one that would make the alias too long", () => {
    const id = "1234abcd-12ab-34cd-56ef-1234567890ab";
    const arnName = `["arn:aws:kms:eu-west-1:444444444444:key/${id}"]`;
    expect(shareAlias("core", id, arnName)).toBe(`alias/crossvault/core/share/${id}`);
    expect(shareAlias("core", id, 'workload["a b"]')).toBe(`alias/crossvault/core/share/${id}`);
    expect(shareAlias("core", id)).toBe(`alias/crossvault/core/share/${id}`);
    expect(shareAlias("core", id, "x".repeat(300))).toBe(`alias/crossvault/core/share/${id}`);
    expect(parseShareAlias("core", `alias/crossvault/core/share/${id}`)).toEqual({ keyId: id });
  });

  it("are told apart from marker aliases and other aliases", () => {
    const id = "1234abcd-12ab-34cd-56ef-1234567890ab";
    expect(parseShareAlias("core", markerAlias("core", id))).toBeUndefined();
    expect(isMarkerAlias("core", markerAlias("core", id))).toBe(true);
    // A stack named "share": its markers are not another stack's share aliases, and the other way round.
    expect(parseShareAlias("core", markerAlias("share", id))).toBeUndefined();
    expect(isMarkerAlias("share", shareAlias("core", id, "central"))).toBe(false);
    expect(parseShareAlias("core", "alias/crossvault/core/share/")).toBeUndefined();
    expect(parseShareAlias("core", `alias/crossvault/core/share/${id}/a/b/c`)).toBeUndefined();
    expect(parseShareAlias("core", "alias/team-a")).toBeUndefined();
    expect(parseShareAlias("core", undefined)).toBeUndefined();
  });
});
