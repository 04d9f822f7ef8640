import { describe, expect, it } from "vitest";
import { renderPlanJson } from "./json.js";
import { createOnlyPlan, mixedPlan } from "./plan-examples.js";

describe("renderPlanJson", () => {
  it("is the plan value, with a stable key order", () => {
    const plan = mixedPlan();
    const text = renderPlanJson(plan);
    expect(JSON.parse(text)).toEqual(plan);
    const reordered = JSON.parse(JSON.stringify(plan, Object.keys(plan).reverse().concat(...collectKeys(plan))));
    expect(renderPlanJson(reordered)).toBe(text);
    expect(Object.keys(JSON.parse(text))[0]).toBe("format_version");
  });

  it("renders a create-only plan", () => {
    expect(renderPlanJson(createOnlyPlan())).toMatchSnapshot();
  });
});

function collectKeys(v: unknown, out = new Set<string>()): string[] {
  if (Array.isArray(v)) v.forEach((e) => collectKeys(e, out));
  else if (v && typeof v === "object") for (const [k, e] of Object.entries(v)) { out.add(k); collectKeys(e, out); }
  return [...out].reverse();
}
