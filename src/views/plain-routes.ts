// The copy-route check's verdicts as plain lines, for the plain plan view: each route (source vault ->
// destination vault), how the plan changes it, whether it works now and after apply, and for a failing route
// the rule, the policy and statement that decide it, and the fix. Words carry the verdict; colour repeats it.
import type { RouteFailure, RouteStatus, RouteVerdict } from "../core/plan-types.js";
import type { Paint } from "./plain.js";

const CHANGE: Record<RouteVerdict["change"], string> = { new: "+ new    ", changed: "~ changed", removed: "- removed", unchanged: "  same   " };
const CHANGE_STYLE = { new: "green", changed: "yellow", removed: "red", unchanged: undefined } as const;
const STATUS: Record<RouteStatus, string> = { ok: "works", fail: "FAILS", unknown: "cannot tell" };
const WHEN: Record<NonNullable<RouteFailure["when"]>, string> = { now: " (now only)", "after-apply": " (after apply only)" };

function status(s: RouteStatus, paint: Paint): string {
  return s === "fail" ? paint("red", paint("bold", STATUS[s])) : s === "unknown" ? paint("yellow", STATUS[s]) : STATUS[s];
}

function failureLines(f: RouteFailure, kind: "Error" | "Warning", paint: Paint): string[] {
  const label = kind === "Error" ? paint("red", "fails:") : paint("yellow", "warning:");
  const where = [f.policy, f.statement ? `statement ${f.statement}` : undefined].filter(Boolean).join(", ");
  return [
    `      ${label} [${f.rule}] ${f.message}${f.when ? WHEN[f.when] : ""}`,
    ...(where ? [`          decided by: ${where}`] : []),
    `          fix: ${f.fix}`,
  ];
}

export function renderRoutesText(routes: readonly RouteVerdict[], paint: Paint): string {
  const failing = routes.filter((r) => r.afterApply === "fail" && r.change !== "removed").length;
  const count = `${routes.length} route${routes.length === 1 ? "" : "s"}`;
  const lines = [`${paint("bold", "Copy routes")} (${failing > 0 ? `${failing} of ${count} will fail after apply` : count}; checked on the live state and on the planned state):`];
  for (const r of [...routes].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const style = CHANGE_STYLE[r.change];
    lines.push("", `  ${style ? paint(style, CHANGE[r.change]) : CHANGE[r.change]} ${r.id}`);
    const after = r.change === "removed" ? "removed by this plan" : status(r.afterApply, paint);
    lines.push(`      now: ${status(r.now, paint)}   after apply: ${after}${r.address ? `   ${r.address}` : ""}`);
    for (const f of r.failures) lines.push(...failureLines(f, "Error", paint));
    for (const w of r.warnings) lines.push(...failureLines(w, "Warning", paint));
  }
  return lines.join("\n");
}
