// The copy-route check's verdicts as lines: each route (source vault -> destination vault), how the plan
// changes it, whether it works now and after apply, and for a failing route the rule, the deciding policy and
// statement, and the fix. Words and symbols carry the verdict; colour only repeats it.
import type { RouteFailure, RouteStatus, RouteVerdict } from "../../core/plan-types.js";
import { hang, seg, type Line, type Tone } from "./lines.js";

const CHANGE: Record<RouteVerdict["change"], [string, Tone | undefined]> = {
  new: ["+ new    ", "add"],
  changed: ["~ changed", "change"],
  removed: ["- removed", "remove"],
  unchanged: ["  same   ", undefined],
};

const STATUS: Record<RouteStatus, [string, Tone]> = {
  ok: ["✓ works", "good"],
  fail: ["✗ fails", "danger"],
  unknown: ["? cannot tell", "warn"],
};

const WHEN: Record<NonNullable<RouteFailure["when"]>, string> = { now: " (now only)", "after-apply": " (after apply only)" };

function failureLines(f: RouteFailure, kind: "failure" | "warning"): Line[] {
  const mark = kind === "failure" ? seg("✗", "danger", true) : seg("!", "warn", true);
  const where = [f.policy, f.statement ? `statement ${f.statement}` : undefined].filter(Boolean).join(", ");
  return [
    [seg("      "), mark, hang(seg(" ")), seg(`[${f.rule}] ${f.message}${f.when ? WHEN[f.when] : ""}`)],
    ...(where ? [[seg("        "), hang(seg("decided by: ", "muted")), seg(where, "muted")]] : []),
    [seg("        "), hang(seg("fix: ")), seg(f.fix)],
  ];
}

export function routeLines(routes: readonly RouteVerdict[] | undefined): Line[] {
  if (!routes || routes.length === 0) return [];
  const failing = routes.filter((r) => r.afterApply === "fail").length;
  const out: Line[] = [[seg("Copy routes", "heading", true), seg(failing > 0 ? ` (${failing} of ${routes.length} will fail after apply)` : ` (${routes.length})`)]];
  for (const r of routes) {
    const [change, tone] = CHANGE[r.change];
    const [now, nowTone] = STATUS[r.now];
    const [after, afterTone] = STATUS[r.afterApply];
    out.push([seg(`  ${change}`, tone, true), hang(seg(" ")), seg(r.id)]);
    out.push([seg("      now: "), seg(now, nowTone, r.now === "fail"), seg("   after apply: "), seg(after, afterTone, r.afterApply === "fail"), ...(r.address ? [seg(`   ${r.address}`, "muted")] : [])]);
    for (const f of r.failures) out.push(...failureLines(f, "failure"));
    for (const w of r.warnings) out.push(...failureLines(w, "warning"));
  }
  return out;
}
