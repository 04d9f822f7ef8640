// `crossvault check --markdown`: a summary table of the routes (for a pull-request comment), then the failures
// and warnings of each route that has any, with the deciding policy, statement and fix.
import type { CheckReport, CheckedRoute } from "./check-report.js";
import { stateTitle } from "./check-report.js";

const ICON: Record<CheckedRoute["status"], string> = { ok: "✅ ok", fail: "❌ fails", unknown: "❔ unknown" };

/** Text safe inside a table cell. */
function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

export function renderCheckMarkdown(report: CheckReport): string {
  const out: string[] = [`## Copy routes of stack ${code(report.stack)}`, "", `Checked ${stateTitle(report.mode)}.`, ""];
  const { ok, fail, unknown } = report.summary;
  out.push(`**${ok + fail + unknown} routes:** ${ok} ok, ${fail} failing, ${unknown} unknown.`, "");
  if (report.routes.length > 0) {
    out.push("| route | rule | status | rules broken |", "|---|---|---|---|");
    for (const r of report.routes) {
      const rules = [...new Set(r.failures.map((f) => `[${f.rule}]`))].join(" ");
      out.push(`| ${code(r.verdict.id)} | ${r.verdict.address ? code(r.verdict.address) : ""} | ${ICON[r.status]} | ${cell(rules)} |`);
    }
    out.push("");
  }
  for (const r of report.routes.filter((x) => x.failures.length > 0 || x.warnings.length > 0)) {
    out.push(`### ${code(r.verdict.id)}`, "");
    for (const f of r.failures) {
      const decided = f.policy ? ` Decided by ${code(f.policy)}${f.statement ? `, statement ${code(f.statement)}` : ""}.` : "";
      out.push(`- **[${f.rule}]** ${cell(f.message)}.${decided}`, `  - Fix: ${cell(f.fix)}`);
    }
    for (const f of r.warnings) out.push(`- ⚠️ **[${f.rule}]** ${cell(f.message)}.`, `  - Fix: ${cell(f.fix)}`);
    out.push("");
  }
  for (const u of report.unreadable) out.push(`> Could not read account ${u.accountId}${u.region ? ` in ${u.region}` : ""}: ${cell(u.message)}`);
  return `${out.join("\n").trimEnd()}\n`;
}
