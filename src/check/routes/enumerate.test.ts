import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isPending } from "../../model/resource.js";
import { SelectionsByPlan, type PlanRecord, type SelectionRecord } from "./enumerate.js";

/** The rule, one selection and one plan at a time (what the index must agree with). */
function belongsTo(selection: SelectionRecord, plan: PlanRecord): boolean {
  const ref = selection.attributes.plan_id;
  if (isPending(ref)) return ref.$pending.address === plan.address;
  if (typeof ref === "string" && plan.id !== undefined) return ref === plan.id;
  return selection.address.startsWith(`backup_selection.${plan.address.replace(/^backup_plan\./, "")}.`);
}

// Few names, so that ids, pending references and address prefixes collide often (`a` is a prefix of `a.b`).
const names = fc.constantFrom("a", "b", "a.b", 'm["x"]', 'm["x.y"]');
const ids = fc.constantFrom("id-1", "id-2", "id-3");

const plan = fc.record({ name: names, id: fc.option(ids, { nil: undefined }) }).map(({ name, id }): PlanRecord => ({
  address: `backup_plan.${name}`, accountId: "111111111111", region: "eu-west-1", ...(id !== undefined ? { id } : {}),
  attributes: { name, rules: [] } as unknown as PlanRecord["attributes"],
}));

const selection = fc.record({
  plan: names,
  name: fc.constantFrom("s", "t.u"),
  ref: fc.oneof(fc.constant(undefined), ids, names.map((n) => ({ $pending: { address: `backup_plan.${n}` } }))),
}).map(({ plan: p, name, ref }): SelectionRecord => ({
  address: `backup_selection.${p}.${name}`,
  attributes: { name, iam_role_arn: "r", ...(ref !== undefined ? { plan_id: ref } : {}) } as unknown as SelectionRecord["attributes"],
}));

describe("SelectionsByPlan", () => {
  it("finds the same selections of a plan as testing each one with belongsTo", () => {
    fc.assert(fc.property(fc.array(plan, { maxLength: 6 }), fc.array(selection, { maxLength: 12 }), (plans, selections) => {
      const index = new SelectionsByPlan(selections);
      for (const p of plans) {
        const key = (s: SelectionRecord): string => `${s.address}|${JSON.stringify(s.attributes.plan_id)}`;
        const expected = selections.filter((s) => belongsTo(s, p)).map(key).sort();
        expect(index.of(p).map(key).sort()).toEqual(expected);
      }
    }));
  });
});
