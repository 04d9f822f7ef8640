import { describe, expect, it } from "vitest";
import type { AttributeChange } from "./plan-types.js";
import { childPath, compareValues, topLevelAttribute } from "./diff-attributes.js";

function diff(path: string, before: unknown, after: unknown): AttributeChange[] {
  const out: AttributeChange[] = [];
  compareValues(path, before, after, out);
  return out;
}

describe("compareValues", () => {
  it("writes paths with dots for names and brackets for other keys and indexes", () => {
    expect(childPath("tags", "team")).toBe("tags.team");
    expect(childPath("tags", "cost-center")).toBe('tags["cost-center"]');
    expect(childPath("", "name")).toBe("name");
    expect(topLevelAttribute('rules[0].lifecycle.delete_after_days')).toBe("rules");
    expect(topLevelAttribute('tags["a.b"]')).toBe("tags");
  });

  it("descends into lists of objects by index and reports only changed leaves", () => {
    const before = [{ name: "daily", lifecycle: { delete_after_days: 35 }, copy_actions: [] }];
    const after = [{ name: "daily", lifecycle: { delete_after_days: 40 }, copy_actions: [] }, { name: "weekly" }];
    expect(diff("rules", before, after)).toEqual([
      { path: "rules[0].lifecycle.delete_after_days", before: 35, after: 40 },
      { path: "rules[1].name", after: "weekly" },
    ]);
  });

  it("compares lists of plain values as whole values, in order", () => {
    expect(diff("resources", ["a", "b"], ["a", "b"])).toEqual([]);
    expect(diff("resources", ["a", "b"], ["b", "a"])).toEqual([{ path: "resources", before: ["a", "b"], after: ["b", "a"] }]);
  });

  it("flattens an absent side, keeping empty maps and lists visible", () => {
    expect(diff("tags", undefined, {})).toEqual([{ path: "tags", after: {} }]);
    expect(diff("tags", {}, {})).toEqual([]);
    expect(diff("statements", undefined, [])).toEqual([{ path: "statements", after: [] }]);
    expect(diff("x", { a: { b: 1 } }, undefined)).toEqual([{ path: "x.a.b", before: 1 }]);
  });

  it("marks values known only after apply, wherever they sit", () => {
    const p = { $pending: { address: "kms_key.a", attribute: "arn" } };
    expect(diff("arn", "arn:old", p)).toEqual([{ path: "arn", before: "arn:old", knownAfterApply: true }]);
    expect(diff("list", ["x"], ["x", p])).toEqual([{ path: "list", before: ["x"], after: ["x", p], knownAfterApply: true }]);
  });

  it("treats a change of shape as a change of the whole value", () => {
    expect(diff("v", "text", { a: 1 })).toEqual([{ path: "v", before: "text", after: { a: 1 } }]);
    expect(diff("v", 1, "1")).toEqual([{ path: "v", before: 1, after: "1" }]);
  });

  it("pairs statements with the same Sid and compares foreign-shaped ones as written", () => {
    const s = (sid: string, action: string | string[]) => ({ Sid: sid, Effect: "Allow", Principal: { AWS: "111111111111" }, Action: action, Resource: "*" });
    expect(diff("statements", [s("A", "kms:Decrypt"), s("B", ["x:Y", "x:Z"])], [s("B", ["x:Z", "x:Y"]), s("A", ["kms:Decrypt"])])).toEqual([]);
    expect(diff("statements", [s("", "a:B"), s("", "a:C")], [s("", "a:C"), s("", "a:B")])).toEqual([]);
    const changed = diff("statements", [s("A", "kms:Decrypt")], [{ ...s("A", "kms:Decrypt"), Principal: { AWS: ["111111111111", "222222222222"] } }]);
    expect(changed).toEqual([{ path: 'statements["A"].Principal.AWS', before: ["arn:aws:iam::111111111111:root"], after: ["arn:aws:iam::111111111111:root", "arn:aws:iam::222222222222:root"] }]);
  });

  it("compares policies kept as JSON text by meaning, not by spelling", () => {
    const a = JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "A", Effect: "Deny", Action: ["b:X", "b:Y"], Resource: "*" }] });
    const b = `{ "Version": "2012-10-17",\n  "Statement": { "Resource": ["*"], "Action": ["b:Y", "b:X"], "Effect": "Deny", "Sid": "A" } }`;
    expect(diff("content", a, b)).toEqual([]);
    const c = b.replace('"b:Y", ', "");
    expect(diff("content", a, c)).toEqual([{ path: 'content.Statement["A"].Action', before: ["b:X", "b:Y"], after: ["b:X"] }]);
    expect(diff("name", "a", "b")).toEqual([{ path: "name", before: "a", after: "b" }]);
  });
});
