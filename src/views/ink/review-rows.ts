// The review's list as rows: account and region headings, one headline per resource change (the cursor and
// open/closed marks in front), and the details of the changes the user opened. Rows are broken to the
// terminal's width, so one row is one terminal line and the window that fits the screen is simple arithmetic.
import type { Plan, ResourceChange } from "../../core/plan-types.js";
import type { PolicyTable } from "../policy-tables.js";
import { detailLines, headline, tablesOf, verdictOf } from "./change-lines.js";
import { fitLines, indent, seg, type Line } from "./lines.js";
import { accountHeading, groupChanges, regionHeading, shownChanges } from "./plan-sections.js";

export interface ReviewEntry {
  change: ResourceChange;
  tables: PolicyTable[];
}

export interface ReviewRow {
  line: Line;
  /** The entry this row belongs to (headline or details); none for headings. */
  entry?: number;
  headline?: boolean;
}

/** Where a row's details start, right of the marks and the symbol. */
const DETAIL_INDENT = 10;

/** The changes in the order the plan shows them (account, region, address). */
export function reviewEntries(plan: Plan): ReviewEntry[] {
  return groupChanges(shownChanges(plan)).flatMap((a) => a.regions.flatMap((r) => r.changes.map((change) => ({ change, tables: tablesOf(change) }))));
}

export function reviewRows(entries: readonly ReviewEntry[], cursor: number, open: ReadonlySet<number>, width: number): ReviewRow[] {
  const rows: ReviewRow[] = [];
  let account: string | undefined;
  let region: string | undefined;
  entries.forEach((e, i) => {
    const c = e.change;
    if (c.accountId !== account) {
      account = c.accountId;
      region = undefined;
      rows.push({ line: accountHeading(c.accountId) });
    }
    if (c.region !== region) {
      region = c.region;
      rows.push({ line: regionHeading(c.region) });
    }
    const marks = `${i === cursor ? ">" : " "} ${open.has(i) ? "▾" : "▸"} `;
    const [first, ...more] = fitLines([[seg(`  ${marks}`, i === cursor ? "heading" : "muted", i === cursor), ...headline(c, verdictOf(e.tables))]], width);
    rows.push({ line: first!, entry: i, headline: true }, ...more.map((line) => ({ line, entry: i })));
    if (open.has(i)) {
      const details = detailLines(c, e.tables, Math.max(20, width - DETAIL_INDENT));
      const lines = details.length > 0 ? details : [[seg("(nothing to show: no attribute changes)", "muted")]];
      for (const line of fitLines(indent(lines, DETAIL_INDENT), width)) rows.push({ line, entry: i });
    }
  });
  return rows;
}

/**
 * The first row to show so that the cursor's headline (and as much of its open details as fit) is in view,
 * moving the window as little as possible from `top`.
 */
export function windowTop(rows: readonly ReviewRow[], cursor: number, top: number, height: number): number {
  if (rows.length <= height) return 0;
  const first = rows.findIndex((r) => r.entry === cursor && r.headline);
  if (first < 0) return Math.min(top, rows.length - height);
  let last = first;
  while (last + 1 < rows.length && rows[last + 1]!.entry === cursor) last++;
  let next = top;
  const wantedEnd = Math.min(last, first + height - 1);
  if (wantedEnd >= next + height) next = wantedEnd - height + 1;
  if (first < next) next = first;
  // Keep the headings just above the first entry in view when at the top of the list.
  if (first <= 2 && cursor === 0) next = 0;
  return Math.max(0, Math.min(next, rows.length - height));
}
