// `crossvault status` as text: one block per route, failing routes first: its health and why, then a table of
// what decides it (the check on the live state, the last failure, the newest copy in the destination, the
// canary), then its newest copy jobs as a table; a closing count. Words carry the health; colour only repeats it
// (and is off when stdout is not a terminal).
import type { CanaryOutcome, CopyJobFact, Health, RouteHealth, StatusReport } from "../check/health.js";
import type { Paint } from "./plain.js";

export interface StatusTextOptions {
  color: boolean;
}

const CODES = { bold: "1", red: "31", green: "32", yellow: "33", cyan: "36", dim: "2" } as const;
const LABEL: Record<Health, string> = { failing: "FAILING", unknown: "UNKNOWN", healthy: "healthy" };
const RANK: Record<Health, number> = { failing: 0, unknown: 1, healthy: 2 };
const INDENT = "         ";

/** `2025-01-01 03:00:02Z` from an ISO time: readable, still sortable, still UTC. */
export function shortTime(iso: string | undefined): string {
  if (!iso) return "-";
  return iso.replace("T", " ").replace(/\.\d+Z$/, "Z");
}

function healthLabel(h: Health, paint: Paint): string {
  const text = LABEL[h].padEnd(8);
  return h === "failing" ? paint("red", paint("bold", text)) : h === "unknown" ? paint("yellow", text) : paint("green", text);
}

function stateText(state: string, paint: Paint, width = 0): string {
  const text = state.padEnd(width);
  return state === "COMPLETED" ? paint("green", text) : state === "FAILED" || state === "PARTIAL" || state === "ABORTED" ? paint("red", text) : text;
}

/** Rows of label + value lines, the values lined up after the widest label. */
function fieldTable(rows: Array<[string, string[]]>): string[] {
  const width = Math.max(...rows.map(([label]) => label.length));
  const out: string[] = [];
  for (const [label, lines] of rows) {
    lines.forEach((line, i) => out.push(`  ${(i === 0 ? label : "").padEnd(width)}  ${line}`.trimEnd()));
  }
  return out;
}

function checkLines(r: RouteHealth, paint: Paint): string[] {
  const c = r.check;
  const head = c.status === "fail" ? paint("red", "FAIL") : c.status === "unknown" ? paint("yellow", "cannot tell") : "ok";
  const lines = [head];
  for (const f of c.failures) {
    lines.push(`[${f.rule}] ${f.message}`);
    if (f.policy) lines.push(`  decided by: ${f.policy}${f.statement ? `, statement ${f.statement}` : ""}`);
    lines.push(`  fix: ${f.fix}`);
  }
  for (const w of c.warnings) lines.push(`warning [${w.rule}] ${w.message}`);
  return lines;
}

function recoveryPointLines(r: RouteHealth): string[] {
  if (r.recoveryPointError) return [`cannot tell: ${r.recoveryPointError}`];
  const p = r.newestRecoveryPoint;
  if (!p) return ["none yet"];
  return [`${p.arn}`, `backup of ${shortTime(p.createdAt)}, copied ${shortTime(p.completedAt)}${p.status && p.status !== "COMPLETED" ? `, ${p.status}` : ""}`];
}

function canaryLines(c: CanaryOutcome, paint: Paint): string[] {
  const took = c.elapsedMs !== undefined ? ` after ${Math.round(c.elapsedMs / 1000)}s` : "";
  const job = c.job ? `copy job ${c.job.id}` : "";
  switch (c.result) {
    case "completed":
      return [`${paint("green", "completed")}${took}: ${job}`, ...(c.job?.destinationRecoveryPointArn ? [`copy: ${c.job.destinationRecoveryPointArn}`] : [])];
    case "failed":
      return [`${paint("red", c.job?.state ?? "FAILED")}${took}: ${job}`, ...(c.message ? [c.message] : [])];
    case "timed-out":
      return [`${paint("yellow", "not ended")}${took}: ${job} still ${c.job?.state ?? "running"} (it goes on in AWS)`];
    case "skipped":
      return [`skipped: ${c.message ?? ""}`];
    case "error":
      return [`${paint("yellow", "could not run")}: ${c.message ?? ""}`];
  }
}

function jobTable(jobs: readonly CopyJobFact[], paint: Paint): string[] {
  const head = ["copy job", "state", "created", "completed", "message"];
  const rows = jobs.map((j) => [j.id, j.state, shortTime(j.createdAt), shortTime(j.completedAt), j.statusMessage ?? ""]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[], style?: (i: number, text: string) => string): string =>
    `  ${cells.map((c, i) => (i === cells.length - 1 ? c : style ? style(i, c.padEnd(widths[i]!)) : c.padEnd(widths[i]!))).join("  ")}`.trimEnd();
  return [
    line(head.map((h) => h)),
    line(widths.map((w, i) => "-".repeat(i === widths.length - 1 ? Math.max(head[i]!.length, Math.min(w, 40)) : w))),
    ...rows.map((row) => line(row, (i, text) => (i === 1 ? stateText(text.trimEnd(), paint, widths[1]!) : text))),
  ];
}

function routeBlock(r: RouteHealth, paint: Paint): string[] {
  const lines = [`${healthLabel(r.health, paint)} ${r.id}`];
  if (r.address) lines.push(`${INDENT}${r.address}`);
  for (const reason of r.reasons) lines.push(`${INDENT}${r.health === "failing" ? "why" : "note"}: ${reason}`);
  lines.push("");
  const rows: Array<[string, string[]]> = [["check (live)", checkLines(r, paint)]];
  if (r.lastFailedJob) {
    const j = r.lastFailedJob;
    rows.push(["last failure", [`${shortTime(j.completedAt ?? j.createdAt)}  copy job ${j.id} ${j.state}`, j.statusMessage ?? "(no status message)"]]);
  } else if (!r.jobsError) {
    rows.push(["last failure", ["none"]]);
  }
  rows.push(["newest copy", recoveryPointLines(r)]);
  if (r.canary) rows.push(["canary", canaryLines(r.canary, paint)]);
  lines.push(...fieldTable(rows), "");
  if (r.jobsError) lines.push(`  copy jobs: cannot tell: ${r.jobsError}`);
  else if (r.jobs.length === 0) lines.push("  copy jobs: none yet");
  else {
    lines.push(...jobTable(r.jobs, paint));
    if (r.jobsRead > r.jobs.length) lines.push(`  (the newest ${r.jobs.length} of ${r.jobsRead} copy jobs read)`);
  }
  return lines;
}

export function renderStatusText(report: StatusReport, opts: StatusTextOptions): string {
  const paint: Paint = opts.color ? (style, text) => `\x1b[${CODES[style]}m${text}\x1b[0m` : (_style, text) => text;
  const out: string[] = [`${paint("bold", "Copy route health")} of stack ${report.stack}, ${shortTime(report.created_at)} (live state):`, ""];
  if (report.routes.length === 0) out.push("  No copy routes exist yet.", "");
  const sorted = [...report.routes].sort((a, b) => RANK[a.health] - RANK[b.health] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const r of sorted) out.push(...routeBlock(r, paint), "");
  for (const u of report.unreadable) out.push(`Could not read account ${u.accountId}${u.region ? ` in ${u.region}` : ""}: ${u.message}`);
  if (report.notApplied > 0) {
    const one = report.notApplied === 1;
    out.push(`${report.notApplied} route${one ? " exists" : "s exist"} only in the configuration (not applied yet): crossvault check shows ${one ? "it" : "them"}.`);
  }
  const { healthy, failing, unknown } = report.summary;
  const total = healthy + failing + unknown;
  out.push(`${total} route${total === 1 ? "" : "s"}: ${healthy} healthy, ${failing} failing, ${unknown} unknown.`);
  return `${out.join("\n")}\n`;
}
