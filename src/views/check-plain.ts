// `crossvault check` as text: one block per route (status, the rule of each failure with the deciding policy and
// statement and the fix, then warnings), failing routes first, and a closing count.
import type { CheckedRoute, CheckReport } from "./check-report.js";
import { stateTitle, where } from "./check-report.js";

const LABEL: Record<CheckedRoute["status"], string> = { fail: "FAIL", unknown: "UNKNOWN", ok: "ok" };
const RANK: Record<CheckedRoute["status"], number> = { fail: 0, unknown: 1, ok: 2 };

function block(r: CheckedRoute): string[] {
  const v = r.verdict;
  const lines = [`${LABEL[r.status].padEnd(7)} ${v.id}`];
  if (v.address) lines.push(`        ${v.address}${v.change === "unchanged" ? "" : ` (${v.change} in the plan)`}`);
  for (const f of r.failures) {
    lines.push(`        [${f.rule}] ${f.message}`);
    const w = where(f);
    if (w) lines.push(`              decided by: ${w}`);
    lines.push(`              fix: ${f.fix}`);
  }
  for (const f of r.warnings) {
    lines.push(`        warning [${f.rule}] ${f.message}`);
    lines.push(`              fix: ${f.fix}`);
  }
  return lines;
}

export function renderCheckText(report: CheckReport): string {
  const out: string[] = [`Copy routes of stack ${report.stack}, ${stateTitle(report.mode)}:`, ""];
  if (report.routes.length === 0) out.push("  No copy routes.", "");
  const sorted = [...report.routes].sort((a, b) => RANK[a.status] - RANK[b.status] || (a.verdict.id < b.verdict.id ? -1 : 1));
  for (const r of sorted) out.push(...block(r), "");
  for (const u of report.unreadable) out.push(`Could not read account ${u.accountId}${u.region ? ` in ${u.region}` : ""}: ${u.message}`);
  if (report.elsewhere > 0) {
    const one = report.elsewhere === 1;
    out.push(report.mode === "live"
      ? `${report.elsewhere} route${one ? " exists" : "s exist"} only in the configuration (not applied yet): run check without --live to see ${one ? "it" : "them"}.`
      : `${report.elsewhere} route${one ? "" : "s"} the plan removes ${one ? "is" : "are"} left out: run check --live to see ${one ? "it" : "them"}.`);
  }
  const { ok, fail, unknown } = report.summary;
  const total = ok + fail + unknown;
  out.push(`${total} route${total === 1 ? "" : "s"}: ${ok} ok, ${fail} failing, ${unknown} unknown.`);
  return `${out.join("\n")}\n`;
}
