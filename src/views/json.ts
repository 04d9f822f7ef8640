// `--json`: the plan value itself, in the same stable text a saved plan has, so tools read one format.
import { planJson } from "../core/planfile.js";
import type { Plan } from "../core/plan-types.js";

export function renderPlanJson(plan: Plan): string {
  return planJson(plan);
}
