// The plan as sections of lines, in the order a reviewer needs them: drift ("changed outside crossvault")
// first, a legend of only the symbols used, the changes grouped by account, then region, then resource, the
// copy routes, the findings, and the summary line last (with how many changes broaden access).
import { hasChanges, type Action, type Drift, type Finding, type Plan, type ResourceChange } from "../../core/plan-types.js";
import { attributeLines } from "./attribute-lines.js";
import { ACTION_TONE, changeLines, symbolOf, tablesOf } from "./change-lines.js";
import { hang, indent, plain, plural, seg, type Line } from "./lines.js";
import { routeLines } from "./route-lines.js";

/** The actions a plan shows (reads and no-ops are not changes). */
export const SHOWN: readonly Action[] = ["create", "update", "replace", "delete", "adopt"];

const LEGEND: Partial<Record<Action, string>> = {
  create: "create",
  update: "update in place",
  replace: "destroy and then create replacement",
  delete: "destroy",
  adopt: "adopt (take ownership of an existing object)",
};

export interface RegionGroup {
  region: string;
  changes: ResourceChange[];
}

export interface AccountGroup {
  accountId: string;
  regions: RegionGroup[];
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
/** "global" (Organizations) first, then regions by name. */
const byRegion = (a: string, b: string): number => (a === b ? 0 : a === "global" ? -1 : b === "global" ? 1 : byText(a, b));

export function shownChanges(plan: Plan): ResourceChange[] {
  return plan.changes.filter((c) => SHOWN.includes(c.action));
}

/** Changes by account, then region, then address: the order of the plan view and of the review. */
export function groupChanges(changes: readonly ResourceChange[]): AccountGroup[] {
  const accounts = new Map<string, Map<string, ResourceChange[]>>();
  for (const c of changes) {
    const regions = accounts.get(c.accountId) ?? new Map<string, ResourceChange[]>();
    accounts.set(c.accountId, regions);
    const list = regions.get(c.region) ?? [];
    regions.set(c.region, list);
    list.push(c);
  }
  return [...accounts.keys()].sort(byText).map((accountId) => {
    const regions = accounts.get(accountId)!;
    return {
      accountId,
      regions: [...regions.keys()].sort(byRegion).map((region) => ({ region, changes: [...regions.get(region)!].sort((a, b) => byText(a.address, b.address)) })),
    };
  });
}

export function accountHeading(accountId: string): Line {
  return [seg(`Account ${accountId}`, "heading", true)];
}

export function regionHeading(region: string): Line {
  return [seg(region === "global" ? "  global (Organizations)" : `  ${region}`, "heading")];
}

export function driftLines(drift: readonly Drift[]): Line[] {
  if (drift.length === 0) return [];
  const out: Line[] = [[seg("Objects changed outside crossvault", "heading", true)], [], plain("crossvault found these changes made outside crossvault since it last applied them:")];
  for (const d of [...drift].sort((a, b) => byText(a.address, b.address))) {
    const where = d.region === "global" ? d.accountId : `${d.accountId}/${d.region}`;
    out.push([], [seg("  ~", "change", true), seg(" "), seg(d.address, undefined, true), seg(` in ${where} has changed`)]);
    out.push(...indent(d.changes.length > 0 ? attributeLines(d.changes) : [[seg("(the attributes that changed cannot be shown: the configuration changed too)", "muted")]], 6));
  }
  out.push([], plain("Unless the configuration is changed to match, the actions below undo these changes."));
  return out;
}

export function legendLines(changes: readonly ResourceChange[]): Line[] {
  const used = SHOWN.filter((a) => changes.some((c) => c.action === a));
  if (used.length === 0) return [];
  return [plain("Resource actions are indicated with the following symbols:"), ...used.map((a): Line => [seg(`  ${symbolOf(a)}`, ACTION_TONE[a], true), seg(` ${LEGEND[a]}`)])];
}

export function changesLines(plan: Plan, width: number): Line[] {
  const shown = shownChanges(plan);
  if (shown.length === 0) return [];
  const intro = plan.mode === "destroy" ? `crossvault will destroy the following objects of stack ${plan.stack}:` : "crossvault will perform the following actions:";
  const out: Line[] = [plain(intro)];
  for (const account of groupChanges(shown)) {
    out.push([], accountHeading(account.accountId));
    for (const region of account.regions) {
      out.push(regionHeading(region.region));
      for (const c of region.changes) out.push(...indent(changeLines(c, width - 4), 4));
    }
  }
  return out;
}

const LABEL: Record<Finding["severity"], Line> = {
  error: [seg("✗", "danger", true), hang(seg(" ")), seg("Error:", "danger", true)],
  warning: [seg("!", "warn", true), hang(seg(" ")), seg("Warning:", "warn", true)],
  info: [seg("i", undefined, true), hang(seg(" ")), seg("Note:", undefined, true)],
};

export function findingLines(findings: readonly Finding[]): Line[] {
  if (findings.length === 0) return [];
  const out: Line[] = [[seg("Findings", "heading", true)]];
  for (const f of findings) {
    out.push([seg("  "), ...LABEL[f.severity], seg(` ${f.message}${f.rule ? ` ${f.rule}` : ""}`)]);
    if (f.hint) out.push(...f.hint.split("\n").map((l) => plain(`      ${l}`)));
  }
  return out;
}

/** policy-tables' countBroadening (changes with a table that broadens access), from the tables already made. */
export function broadeningCount(plan: Plan): number {
  return plan.changes.filter((c) => tablesOf(c).some((t) => t.verdict === "broadens")).length;
}

export function summaryLine(plan: Plan): Line {
  if (!hasChanges(plan) && plan.applyable) {
    const tail = plan.mode === "destroy" ? "No objects need to be destroyed." : "Your infrastructure matches the configuration.";
    return [seg("No changes.", undefined, true), seg(` ${tail}`)];
  }
  const s = plan.summary;
  const adopt = s.adopt > 0 ? `, ${s.adopt} to adopt` : "";
  const line: Line = [seg(`Plan: ${s.add} to add, ${s.change} to change, ${s.destroy} to destroy${adopt}.`, undefined, true)];
  const broadening = broadeningCount(plan);
  if (broadening > 0) line.push(seg(" "), seg(`! ${plural(broadening, "change")} ${broadening === 1 ? "broadens" : "broaden"} access.`, "danger", true));
  return line;
}

/** Every section of the plan, each a list of lines; empty sections left out. */
export function planSections(plan: Plan, width: number): Line[][] {
  const sections = [driftLines(plan.drift), legendLines(shownChanges(plan)), changesLines(plan, width), routeLines(plan.routes), findingLines(plan.findings)];
  if (!plan.applyable) sections.push([[seg("This plan cannot be applied: fix the errors above and plan again.", "danger", true)]]);
  sections.push([summaryLine(plan)]);
  return sections.filter((s) => s.length > 0);
}
