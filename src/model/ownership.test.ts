import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { attributesHash, canonicalJson, isOurSid, sidPrefix, userTags, STACK_TAG, APPLIED_HASH_TAG, ADDRESS_TAG } from "./ownership.js";

const stackName = fc.stringMatching(/^[a-z0-9-]{1,32}$/);

describe("ownership", () => {
  it("gives alphanumeric Sid prefixes", () => {
    expect(sidPrefix("backup-core")).toBe("Crossvault11xbackupXcore");
    fc.assert(fc.property(stackName, (s) => /^[A-Za-z0-9]+$/.test(sidPrefix(s))));
  });

  it("never lets one stack claim another stack's statements", () => {
    fc.assert(fc.property(stackName, stackName, fc.stringMatching(/^[A-Za-z0-9]{0,12}$/), (a, b, rest) => {
      fc.pre(a !== b);
      expect(isOurSid(a, `${sidPrefix(b)}${rest}`)).toBe(false);
    }));
    expect(isOurSid("ab", `${sidPrefix("abc")}CopyInto`)).toBe(false);
    expect(isOurSid("ab", `${sidPrefix("ab")}CopyInto`)).toBe(true);
    expect(isOurSid("ab", undefined)).toBe(false);
  });

  it("hashes attributes independently of key order", () => {
    expect(attributesHash({ a: 1, b: { c: [1, 2], d: "x" } })).toBe(attributesHash({ b: { d: "x", c: [1, 2] }, a: 1 }));
    expect(attributesHash({ a: 1 })).not.toBe(attributesHash({ a: 2 }));
    expect(canonicalJson({ b: 1, a: undefined, c: null })).toBe('{"b":1,"c":null}');
  });

  it("separates user tags from ownership tags", () => {
    expect(userTags({ team: "x", [STACK_TAG]: "s", [APPLIED_HASH_TAG]: "h", [ADDRESS_TAG]: "vault.a" })).toEqual({ team: "x" });
  });
});

describe("crossvault's own tags", () => {
  it("are as many as validation keeps free of AWS's 50, all under the prefix validation keeps for them", async () => {
    const { OWN_TAGS, OWN_TAG_PREFIX } = await import("../config/rules.js");
    const { ownershipTags, PLAN_VERSION_TAG } = await import("./ownership.js");
    const own = Object.keys(ownershipTags("s", "vault.x", {}));
    expect(OWN_TAGS.vault).toBe(own.length);
    expect(OWN_TAGS.kms_key).toBe(own.length);
    expect(OWN_TAGS.backup_plan).toBe(own.length + 1);
    for (const k of [...own, PLAN_VERSION_TAG]) expect(k.startsWith(OWN_TAG_PREFIX)).toBe(true);
    expect(userTags({ [PLAN_VERSION_TAG]: "v", team: "a" })).toEqual({ team: "a" });
  });
});
