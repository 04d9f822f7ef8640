// Diagnostics: problems users cause, collected (never thrown) so that one run reports all of them.
// Every diagnostic names a place (file:line:col and/or a resource address), what is wrong and what to do.

export type Severity = "error" | "warning";

/** 1-based line and column, as editors show them. */
export interface SourcePos {
  file: string;
  line: number;
  column: number;
}

export interface Diagnostic {
  severity: Severity;
  /** Stable machine-readable code, e.g. "unknown-attribute"; tests and views match codes, not prose. */
  code: string;
  /** What is wrong, one line. */
  summary: string;
  /** What to do about it. */
  detail?: string;
  pos?: SourcePos;
  /** Resource address, e.g. `vault.central` or `backup_plan.daily["prod"]`. */
  address?: string;
  /** Seed rule id ([S3], [C5], ...) when the problem breaks one. */
  rule?: string;
}

export function formatPos(pos: SourcePos | undefined): string {
  return pos ? `${pos.file}:${pos.line}:${pos.column}` : "";
}

/** One line per diagnostic, compiler style: `file:line:col: error: summary [address] (rule)`, then the advice. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.pos ? `${formatPos(d.pos)}: ` : "";
  const addr = d.address ? ` [${d.address}]` : "";
  const rule = d.rule ? ` ${d.rule}` : "";
  const head = `${where}${d.severity}: ${d.summary}${addr}${rule}`;
  return d.detail ? `${head}\n  ${d.detail.split("\n").join("\n  ")}` : head;
}

export function hasErrors(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === "error");
}

/** Stable order: by file, line, column, then code, so output does not depend on evaluation order. */
export function sortDiagnostics(diags: readonly Diagnostic[]): Diagnostic[] {
  return [...diags].sort((a, b) => {
    const fa = a.pos?.file ?? "\uffff";
    const fb = b.pos?.file ?? "\uffff";
    if (fa !== fb) return fa < fb ? -1 : 1;
    const la = a.pos?.line ?? 0;
    const lb = b.pos?.line ?? 0;
    if (la !== lb) return la - lb;
    const ca = a.pos?.column ?? 0;
    const cb = b.pos?.column ?? 0;
    if (ca !== cb) return ca - cb;
    return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
  });
}
