// `status --json`: the report value itself, versioned (`format_version`), for monitoring scripts. Keys of the
// routes are those of the check's JSON (id, source, destination) plus what status adds (health, jobs, ...).
import type { StatusReport } from "../check/health.js";

export function renderStatusJson(report: StatusReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
