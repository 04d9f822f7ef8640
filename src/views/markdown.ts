// The plan as a pull-request comment, in this order: a hidden marker line (a CI job finds and updates its own
// comment by it), a header (stack, accounts, regions, tool version), the summary line visible while the rest
// is collapsed, banners (destroyed or replaced objects, vaults and keys that could lose data, access that
// broadens), an outline by account, per-resource details (changed attributes as diffs, policy statement
// tables), findings, a mermaid diagram of the copy routes, and the next steps. A comment holds at most
// 65,536 characters: past that, resource details go first (the least important first), then notes and
// warnings, then outline lines, then diagram edges; summary and banners always stay, and a note says what was
// left out. Pure: the same plan gives the same text.
import { hasChanges, type Plan, type ResourceChange } from "../core/plan-types.js";
import { routesOf, type PlanRoutes } from "./copy-routes.js";
import { changeDetail, driftDetail, mdCode, mdText } from "./markdown-details.js";
import { outlineMarkdown, type OutlineEntry } from "./markdown-outline.js";
import { policyTables, type PolicyTable } from "./policy-tables.js";
import { mermaidRoutes } from "./route-diagram.js";

export interface MarkdownOptions {
  /** The crossvault rendering the comment. */
  toolVersion: string;
  /** The saved plan the comment describes, for the exact apply command. */
  planFile?: string;
  /** Default 65,536 (the size limit of a GitHub comment). */
  maxChars?: number;
}

export const MARKDOWN_MAX_CHARS = 65_536;
const MAX_DIAGRAM_EDGES = 200;
const BANNER_LIST = 10;
const STATUS = { ok: "works", fail: "fails", unknown: "cannot tell" } as const;

export function markerLine(stack: string): string {
  return `<!-- crossvault:plan stack=${stack} -->`;
}

interface Facts {
  plan: Plan;
  tables: Map<string, PolicyTable[]>;
  broadening: ResourceChange[];
  broadens: ReadonlySet<ResourceChange>;
  shown: ResourceChange[];
  routes: PlanRoutes;
}

interface Detail {
  kind: "drift" | "change";
  priority: number;
  order: number;
  /** Rendered on first use: a large plan's comment shows only some of them. */
  text(): string;
}

interface Layout {
  details: ReadonlySet<Detail>;
  findings: "full" | "errors" | "none";
  outlineQuota: number;
  edges: number;
  note: string;
}

/** The parts of the comment, each rendered once per variant the size budget asks for. */
interface Sections {
  head: string;
  banners: string[];
  outline(quota: number): string;
  findings(level: Layout["findings"]): string | undefined;
  routes(edges: number): string | undefined;
  next: string;
}

export function renderMarkdown(plan: Plan, opts: MarkdownOptions): string {
  const max = opts.maxChars ?? MARKDOWN_MAX_CHARS;
  const shown = plan.changes.filter((c) => c.action !== "no-op" && c.action !== "read");
  const tables = new Map(shown.map((c) => [c.address, policyTables(c)]));
  const broadening = shown.filter((c) => tables.get(c.address)!.some((t) => t.verdict === "broadens"));
  const facts: Facts = { plan, tables, broadening, broadens: new Set(broadening), shown, routes: routesOf(plan) };
  const sections = sectionsOf(facts, opts);
  const details = detailsOf(facts);
  const ranked = [...details].sort((a, b) => a.priority - b.priority || a.order - b.order);
  const compose = (l: Layout): string => composeComment(facts, sections, l, details);

  const full: Layout = { details: new Set(details), findings: "full", outlineQuota: Infinity, edges: MAX_DIAGRAM_EDGES, note: "" };
  let total = compose({ ...full, details: new Set() }).length;
  // Only as many details are rendered as it takes to learn that they do not all fit.
  if (ranked.every((d) => (total += d.text().length + 40) <= max)) {
    const whole = compose(full);
    if (whole.length <= max) return whole;
  }

  // What must stay, made to fit first; the notice of what was left out is at most this long.
  const reserve = 700;
  const base: Layout = { ...full, details: new Set() };
  const fits = (l: Layout): boolean => compose(l).length + reserve <= max;
  if (!fits(base)) base.findings = "errors";
  if (!fits(base)) base.findings = "none";
  if (!fits(base)) base.outlineQuota = largest(0, mostInOneAccount(facts.shown), (q) => fits({ ...base, outlineQuota: q }));
  if (!fits(base)) base.edges = largest(0, MAX_DIAGRAM_EDGES, (e) => fits({ ...base, edges: e }));

  let budget = max - reserve - compose(base).length;
  const kept = new Set<Detail>();
  const kinds = new Set<Detail["kind"]>();
  // Once a detail does not fit, nothing less important takes its place (smaller ones of its rank may).
  let rankLimit = Infinity;
  for (const d of ranked) {
    if (budget < MIN_DETAIL || d.priority > rankLimit) break;
    // A section heading comes with the first detail of its kind.
    const cost = d.text().length + 2 + (kinds.has(d.kind) ? 0 : 40);
    if (cost > budget) {
      rankLimit = d.priority;
      continue;
    }
    kept.add(d);
    kinds.add(d.kind);
    budget -= cost;
  }
  const layout: Layout = { ...base, details: kept };
  layout.note = omissionNote(facts, opts, layout, details, max);
  let text = compose(layout);
  // The notice cost more than reserved (it cannot by much): give back details, the least important first.
  for (const d of [...ranked].reverse()) {
    if (text.length <= max) break;
    if (!kept.delete(d)) continue;
    layout.note = omissionNote(facts, opts, layout, details, max);
    text = compose(layout);
  }
  return text.length <= max ? text : `${text.slice(0, max - 200)}\n\n… (cut at ${max.toLocaleString("en")} characters)\n</details>\n`;
}

/** No resource's details are shorter than this: with less budget left, stop looking. */
const MIN_DETAIL = 120;

/** The largest n in [lo, hi] for which ok(n) holds (ok is monotone); lo when none does. */
function largest(lo: number, hi: number, ok: (n: number) => boolean): number {
  let best = lo;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (ok(mid)) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}

function mostInOneAccount(changes: readonly ResourceChange[]): number {
  const n = new Map<string, number>();
  for (const c of changes) n.set(c.accountId, (n.get(c.accountId) ?? 0) + 1);
  return Math.max(0, ...n.values());
}

function memo<K, V>(make: (k: K) => V): (k: K) => V {
  const cache = new Map<K, V>();
  return (k) => {
    if (!cache.has(k)) cache.set(k, make(k));
    return cache.get(k)!;
  };
}

function lazy(make: () => string): () => string {
  let text: string | undefined;
  return () => (text ??= make());
}

function detailsOf(f: Facts): Detail[] {
  const out: Detail[] = [];
  const byAccount = [...f.shown].sort((a, b) => compare(a.accountId, b.accountId) || compare(a.address, b.address));
  for (const [i, d] of [...f.plan.drift].sort((a, b) => compare(a.address, b.address)).entries()) out.push({ kind: "drift", priority: 1, order: i, text: lazy(() => driftDetail(d)) });
  for (const [i, c] of byAccount.entries()) {
    const tables = f.tables.get(c.address)!;
    const priority = f.broadens.has(c) ? 0 : c.action === "delete" || c.action === "replace" ? 2 : tables.length > 0 ? 3 : c.action === "create" ? 5 : 4;
    out.push({ kind: "change", priority, order: i, text: lazy(() => changeDetail(c, tables)) });
  }
  return out;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sectionsOf(f: Facts, opts: MarkdownOptions): Sections {
  const entries = outlineEntries(f);
  const drifted = f.plan.drift.map((d) => d.address);
  return {
    head: `${markerLine(f.plan.stack)}\n${header(f, opts)}\n\n<details><summary>${summaryLine(f)}</summary>`,
    banners: bannerBlocks(f),
    outline: memo((quota: number) => outlineMarkdown(entries, drifted, quota)),
    findings: memo((level: Layout["findings"]) => findingsBlock(f.plan, level)),
    routes: memo((edges: number) => routesBlock(f, edges)),
    next: nextSteps(f.plan, opts),
  };
}

function composeComment(f: Facts, s: Sections, l: Layout, all: Detail[]): string {
  const blocks: string[] = [s.head, ...s.banners];
  if (l.note) blocks.push(l.note);
  const outline = s.outline(l.outlineQuota);
  if (outline) blocks.push(outline);
  const kept = l.details.size === 0 ? [] : all.filter((d) => l.details.has(d));
  const drift = kept.filter((d) => d.kind === "drift");
  const changes = kept.filter((d) => d.kind === "change");
  if (drift.length > 0) blocks.push("#### Changed outside crossvault", ...drift.map((d) => d.text()));
  if (changes.length > 0) blocks.push("#### Details", ...changes.map((d) => d.text()));
  const findings = s.findings(l.findings);
  if (findings) blocks.push(findings);
  const routes = s.routes(l.edges);
  if (routes) blocks.push(routes);
  blocks.push(s.next, "</details>");
  return `${blocks.join("\n\n")}\n`;
}

function header(f: Facts, opts: MarkdownOptions): string {
  const p = f.plan;
  const accounts = new Set<string>();
  const regions = new Set<string>();
  for (const r of [...p.changes, ...p.drift]) {
    accounts.add(r.accountId);
    if (r.region !== "global") regions.add(r.region);
  }
  for (const r of f.routes.routes) {
    for (const e of [r.source, r.destination]) {
      accounts.add(e.accountId);
      regions.add(e.region);
    }
  }
  const list = (s: Set<string>): string => {
    const sorted = [...s].sort();
    if (sorted.length === 0) return "none";
    const head = sorted.slice(0, 12).join(", ");
    return sorted.length > 12 ? `${head} and ${sorted.length - 12} more (${sorted.length})` : head;
  };
  const kind = p.mode === "destroy" ? "destroy plan" : "plan";
  const made = p.tool_version !== opts.toolVersion ? ` (plan made by ${mdText(p.tool_version)})` : "";
  const targeted = p.targets.length > 0 ? `\n\nTargeted plan (partial): ${p.targets.map(mdCode).join(", ")}` : "";
  return [
    `### crossvault ${kind} for stack ${mdCode(p.stack)}`,
    "",
    "| Accounts | Regions | crossvault |",
    "| --- | --- | --- |",
    `| ${list(accounts)} | ${list(regions)} | ${mdText(opts.toolVersion)}${made} |`,
  ].join("\n") + targeted;
}

function summaryLine(f: Facts): string {
  const p = f.plan;
  if (!hasChanges(p) && p.applyable) return `<b>No changes.</b> ${p.mode === "destroy" ? "No objects need to be destroyed." : "Your infrastructure matches the configuration."}`;
  const s = p.summary;
  const flags: string[] = [];
  if (f.broadening.length > 0) flags.push(`${f.broadening.length} ${f.broadening.length === 1 ? "change broadens" : "changes broaden"} access`);
  const loss = dataLoss(f.shown).length;
  if (loss > 0) flags.push(`${loss} ${loss === 1 ? "vault or key" : "vaults or keys"} could lose data`);
  if (!p.applyable) flags.push("cannot be applied");
  const adopt = s.adopt > 0 ? `, ${s.adopt} to adopt` : "";
  return `<b>Plan: ${s.add} to add, ${s.change} to change, ${s.destroy} to destroy${adopt}.</b>${flags.length > 0 ? ` ${flags.join(" · ")}` : ""}`;
}

function dataLoss(shown: readonly ResourceChange[]): ResourceChange[] {
  return shown.filter((c) => (c.type === "vault" || c.type === "kms_key") && (c.action === "delete" || c.action === "replace"));
}

function listed(changes: readonly ResourceChange[], say: (c: ResourceChange) => string): string {
  const head = changes.slice(0, BANNER_LIST).map((c) => `${mdCode(c.address)} (${say(c)})`).join(", ");
  return changes.length > BANNER_LIST ? `${head} and ${changes.length - BANNER_LIST} more` : head;
}

function bannerBlocks(f: Facts): string[] {
  const out: string[] = [];
  const p = f.plan;
  if (!p.applyable) {
    const errors = p.findings.filter((x) => x.severity === "error").length;
    out.push(`> [!CAUTION]\n> **This plan cannot be applied**: ${errors} error${errors === 1 ? "" : "s"} (see Findings). Fix them and plan again.`);
  }
  const gone = f.shown.filter((c) => c.action === "delete" || c.action === "replace");
  if (gone.length > 0) {
    const replaced = gone.filter((c) => c.action === "replace").length;
    const what = `${gone.length - replaced} destroyed, ${replaced} replaced`;
    out.push(`> [!CAUTION]\n> **${gone.length} object${gone.length === 1 ? "" : "s"} destroyed or replaced** (${what}): ${listed(gone, (c) => (c.action === "replace" ? "replaced" : "destroyed"))}.`);
  }
  const loss = dataLoss(f.shown);
  if (loss.length > 0) {
    const say = (c: ResourceChange): string =>
      c.type === "kms_key" ? `key ${c.action === "replace" ? "replaced" : "destroyed"}${c.deletionWindowDays ? `, deleted after ${c.deletionWindowDays} days` : ""}` : `vault ${c.action === "replace" ? "replaced" : "destroyed"}`;
    const why = [
      loss.some((c) => c.type === "vault") ? "A vault is deleted only while it holds no recovery points (AWS refuses otherwise)." : "",
      loss.some((c) => c.type === "kms_key") ? "Whatever a deleted key encrypts can never be decrypted once its waiting period ends." : "",
    ].filter(Boolean).join(" ");
    out.push(`> [!WARNING]\n> **${loss.length} ${loss.length === 1 ? "vault or key" : "vaults or keys"} could lose data:** ${listed(loss, say)}. ${why}`);
  }
  if (f.broadening.length > 0) {
    const docs = (c: ResourceChange): string => [...new Set(f.tables.get(c.address)!.filter((t) => t.verdict === "broadens").map((t) => t.document))].join(", ");
    out.push(`> [!WARNING]\n> **${f.broadening.length} ${f.broadening.length === 1 ? "change broadens" : "changes broaden"} access:** ${listed(f.broadening, docs)}. Review their statement tables.`);
  }
  return out;
}

function outlineEntries(f: Facts): OutlineEntry[] {
  return f.shown.map((c) => ({
    accountId: c.accountId,
    region: c.region,
    address: c.address,
    action: c.action,
    note: f.broadens.has(c) ? "broadens access" : "",
    rank: f.broadens.has(c) ? 0 : c.action === "delete" || c.action === "replace" ? 1 : 2,
  }));
}

function findingsBlock(plan: Plan, level: Layout["findings"]): string | undefined {
  if (plan.findings.length === 0) return undefined;
  const label = { error: "Error", warning: "Warning", info: "Note" } as const;
  const kept = level === "full" ? plan.findings : level === "errors" ? plan.findings.filter((x) => x.severity === "error") : [];
  const lines = kept.map((x) => {
    const rule = x.rule ? ` ${mdText(x.rule)}` : "";
    const hint = x.hint ? `\n  ${x.hint.split("\n").map(mdText).join("\n  ")}` : "";
    return `- **${label[x.severity]}**${rule} ${mdText(x.message)}${hint}`;
  });
  const left = plan.findings.length - kept.length;
  if (left > 0) lines.push(`- … ${left} more finding${left === 1 ? "" : "s"} left out (see the note above)`);
  return `#### Findings\n\n${lines.join("\n")}`;
}

function routesBlock(f: Facts, edges: number): string | undefined {
  const { routes, source } = f.routes;
  if (routes.length === 0) return undefined;
  const diagram = mermaidRoutes(routes, edges);
  const failing = routes.filter((r) => r.failing);
  const intro = source === "check"
    ? `${routes.length} route${routes.length === 1 ? "" : "s"}, checked on the live state and on the planned state${failing.length > 0 ? `: **${failing.length} will fail after apply**` : ""}.`
    : `${routes.length} route${routes.length === 1 ? "" : "s"}, read from the backup plans' copy actions (this plan carries no route check, so whether they work is not shown).`;
  const parts = ["#### Copy routes", intro, diagram.text];
  if (diagram.omitted > 0) parts.push(`${diagram.omitted} of ${routes.length} routes are not drawn (the diagram shows failing, new, removed and changed routes first).`);
  const verdicts = f.plan.routes?.filter((r) => r.failures.length > 0 && r.change !== "removed") ?? [];
  if (verdicts.length > 0) {
    parts.push(verdicts.slice(0, 20).map((r) => {
      const why = r.failures.map((x) => `  - [${mdText(x.rule)}] ${mdText(x.message)}${x.policy ? ` (${mdText(x.policy)}${x.statement ? `, statement ${mdText(x.statement)}` : ""})` : ""}. Fix: ${mdText(x.fix)}`);
      return [`- ${mdCode(r.id)}: ${STATUS[r.now]} now, ${STATUS[r.afterApply]} after apply`, ...why].join("\n");
    }).join("\n") + (verdicts.length > 20 ? `\n- … and ${verdicts.length - 20} more failing routes` : ""));
  }
  return parts.join("\n\n");
}

function nextSteps(plan: Plan, opts: MarkdownOptions): string {
  const head = "#### Next steps";
  if (!plan.applyable) return `${head}\n\nThis plan cannot be applied: fix the errors under Findings, then plan again.`;
  if (!hasChanges(plan)) return `${head}\n\nNothing to apply.`;
  if (!opts.planFile) {
    return `${head}\n\nSave the plan and apply exactly it:\n\n\`\`\`sh\ncrossvault plan --out plan.json${plan.mode === "destroy" ? " --destroy" : ""}\ncrossvault apply plan.json\n\`\`\`\n\nA saved plan is refused once anything it read has changed since it was made: plan again then.`;
  }
  return `${head}\n\nTo carry out exactly this plan:\n\n\`\`\`sh\ncrossvault apply ${shellWord(opts.planFile)}\n\`\`\`\n\ncrossvault refuses the saved plan once anything it read has changed since it was made (\`plan is stale\`): plan again then.`;
}

function shellWord(s: string): string {
  return /^[A-Za-z0-9_./:@=+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function omissionNote(f: Facts, opts: MarkdownOptions, l: Layout, all: Detail[], max: number): string {
  const left: string[] = [];
  const changes = all.filter((d) => d.kind === "change");
  const droppedChanges = changes.filter((d) => !l.details.has(d)).length;
  const droppedDrift = all.filter((d) => d.kind === "drift" && !l.details.has(d)).length;
  if (droppedChanges > 0) left.push(`the details of ${droppedChanges.toLocaleString("en")} of ${changes.length.toLocaleString("en")} resources`);
  if (droppedDrift > 0) left.push(`the details of ${droppedDrift.toLocaleString("en")} objects changed outside crossvault`);
  const findingsLeft = l.findings === "full" ? 0 : f.plan.findings.filter((x) => l.findings === "none" || x.severity !== "error").length;
  if (findingsLeft > 0) left.push(`${findingsLeft.toLocaleString("en")} findings`);
  if (l.outlineQuota !== Infinity) left.push("part of the outline (changes that broaden access, destroy or replace are listed first, the rest counted)");
  if (l.edges < MAX_DIAGRAM_EDGES && f.routes.routes.length > l.edges) left.push(`${(f.routes.routes.length - l.edges).toLocaleString("en")} routes of the diagram`);
  if (left.length === 0) return "";
  const show = opts.planFile ? `\`crossvault show ${shellWord(opts.planFile)}\`` : "`crossvault show PLANFILE`";
  return `> [!NOTE]\n> Shortened to fit the ${max.toLocaleString("en")}-character limit of a comment. Left out: ${left.join("; ")}. ${show} prints the whole plan.`;
}
