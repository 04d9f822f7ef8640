// Diff: desired resources against live ones, to changes (what to do to each object), drift (what changed
// outside crossvault since it last applied) and findings (what must not or cannot happen). Pure: no AWS,
// no clock (the time comes in the options), no output.
import { attributesHash } from "../model/ownership.js";
import { isPending, type AttrValue, type Attributes, type DesiredResource, type LiveResource } from "../model/resource.js";
import { compareValues, containsPending, isPlainObject } from "./diff-attributes.js";
import { matchResources, type Pair } from "./diff-match.js";
import { liveReferences } from "./diff-references.js";
import { CONTAINED_IN, DEFAULT_KEY_DELETION_WINDOW_DAYS, OWNERLESS, describeObject, forcesReplacement } from "./diff-rules.js";
import { safetyFindings } from "./diff-safety.js";
import { selectTargets } from "./diff-targets.js";
import type { Action, AttributeChange, Drift, Finding, ResourceChange } from "./plan-types.js";

export interface DiffOptions {
  stack: string;
  mode: "apply" | "destroy";
  /** `--target` addresses; empty or absent = everything. */
  targets?: string[];
  /** The time the plan is made, for vault lock dates. Without it a lock date counts as already passed. */
  now?: Date | string;
}

export interface DiffResult {
  changes: ResourceChange[];
  drift: Drift[];
  findings: Finding[];
}

interface Decision {
  desired: DesiredResource;
  live?: LiveResource;
  /** "blocked": a foreign object is in the way; no change, an error finding instead. */
  action: Action | "blocked";
  /** Desired attributes with references resolved where the referenced object already exists. */
  after: Attributes;
  /** The same, with values another object keeps (an ARN AWS did not return) taken from the live side. */
  compared: Attributes;
  changes: AttributeChange[];
  reason?: string;
}

/** A reference whose value another object keeps unchanged: equal to whatever is live at the same place. */
const KEEP: unique symbol = Symbol("keep");
type Resolved = AttrValue | typeof KEEP | undefined;

export function diffResources(desired: DesiredResource[], live: LiveResource[], opts: DiffOptions): DiffResult {
  const findings: Finding[] = [];
  const { pairs, unclaimed } = matchResources(desired, live, findings);
  const desiredByAddress = new Map(pairs.map((p) => [p.desired.address, p.desired]));
  // Destroy touches only what is ours: what the configuration would do to other objects is beside the point.
  const decisions = decideAll(pairs, desiredByAddress, opts.stack, opts.mode === "apply" ? findings : []);

  const liveByAddress = new Map<string, LiveResource>();
  const changes: ResourceChange[] = [];
  if (opts.mode === "apply") {
    for (const d of decisions.values()) {
      if (d.action === "blocked") continue;
      changes.push(changeOf(d, d.action));
      if (d.live) liveByAddress.set(d.desired.address, d.live);
    }
    for (const l of unclaimed) if (l.ownership === "ours") pushDelete(changes, liveByAddress, l, undefined);
  } else {
    for (const p of pairs) if (p.live?.ownership === "ours") pushDelete(changes, liveByAddress, p.live, p.desired);
    for (const l of unclaimed) if (l.ownership === "ours") pushDelete(changes, liveByAddress, l, undefined);
  }
  inferDeleteDependencies(changes);

  const now = opts.now === undefined ? undefined : new Date(opts.now);
  findings.push(...safetyFindings({ changes, desiredByAddress, liveByAddress, now }));
  const drift = detectDrift(decisions, unclaimed);

  const edges = new Map<string, readonly string[]>();
  for (const d of desired) edges.set(d.address, d.dependsOn);
  for (const c of changes) edges.set(c.address, c.dependsOn);
  const selected = selectTargets({ changes, drift, findings }, opts.targets ?? [], edges);
  return {
    changes: selected.changes.sort((a, b) => compareText(a.address, b.address)),
    drift: selected.drift.sort((a, b) => compareText(a.address, b.address)),
    findings: selected.findings,
  };
}

function decideAll(pairs: readonly Pair[], desiredByAddress: ReadonlyMap<string, DesiredResource>, stack: string, findings: Finding[]): Map<string, Decision> {
  const liveOf = new Map(pairs.map((p) => [p.desired.address, p.live]));
  const decisions = new Map<string, Decision>();
  const deciding = new Set<string>();

  const resolve = (v: AttrValue | undefined, self: DesiredResource, selfLive: LiveResource | undefined, keep: boolean): Resolved => {
    if (v === undefined) return undefined;
    if (isPending(v)) {
      const { address, attribute } = v.$pending;
      if (address === self.address) {
        const lv = selfLive?.attributes[attribute];
        if (lv !== undefined && !containsPending(lv)) return lv;
        return selfLive && keep ? KEEP : v;
      }
      const target = desiredByAddress.get(address);
      const dec = target ? decide(target) : undefined;
      if (!dec || dec.action === "create" || dec.action === "replace" || dec.action === "blocked") return v;
      const fromLive = dec.live?.attributes[attribute];
      const fromDesired = dec.after[attribute];
      const value = dec.action === "read" ? (fromLive ?? fromDesired) : fromDesired !== undefined && !containsPending(fromDesired) ? fromDesired : fromLive;
      if (value !== undefined && !containsPending(value)) return value;
      return keep ? KEEP : v;
    }
    if (Array.isArray(v)) return v.map((e) => resolve(e, self, selfLive, keep)) as AttrValue;
    if (isPlainObject(v)) {
      const out: Record<string, Resolved> = {};
      for (const [k, e] of Object.entries(v)) out[k] = resolve(e as AttrValue, self, selfLive, keep);
      return out as AttrValue;
    }
    return v;
  };

  const decide = (d: DesiredResource): Decision | undefined => {
    const memo = decisions.get(d.address);
    if (memo) return memo;
    if (deciding.has(d.address)) return undefined;
    deciding.add(d.address);
    const live = liveOf.get(d.address);
    const after = resolve(d.attributes, d, live, false) as Attributes;
    const compared = live ? (withKept(resolve(d.attributes, d, live, true), live.attributes) as Attributes) : after;
    let decision: Decision;
    if (!live) {
      const changes: AttributeChange[] = [];
      for (const k of Object.keys(after).sort()) compareValues(k, undefined, after[k], changes);
      decision = { desired: d, action: "create", after, compared, changes };
    } else if (live.ownership === "unmanaged" && !OWNERLESS.has(d.type)) {
      decision = { desired: d, live, action: "read", after, compared, changes: [] };
    } else {
      const { changes, replaceReason } = compareWithLive(d, live, compared);
      let action: Decision["action"] = replaceReason ? "replace" : changes.length > 0 ? "update" : "no-op";
      if (live.ownership === "foreign" && !d.adopt) {
        action = "blocked";
        findings.push(foreignFinding(d, live, stack));
      } else if (live.ownership === "foreign") {
        action = "adopt";
        if (replaceReason) findings.push(adoptionFinding(d, live, replaceReason));
        if (live.otherStack) findings.push(adoptFromStackFinding(d, live, live.otherStack));
      }
      decision = { desired: d, live, action, after, compared, changes };
      if (replaceReason && action === "replace") decision.reason = replaceReason;
    }
    deciding.delete(d.address);
    decisions.set(d.address, decision);
    return decision;
  };

  for (const p of pairs) decide(p.desired);
  cascadeReplacements(decisions);
  for (const p of pairs) {
    if (p.desired.adopt && !p.live) {
      findings.push({
        severity: "warning",
        code: "adopt-missing",
        address: p.desired.address,
        message: `${p.desired.address} asks to adopt an existing object, but there is none: it will be created`,
        hint: "Check its name, account and region if you expected one to exist.",
      });
    }
  }
  return decisions;
}

/** Values kept by another object (KEEP) take the live value at the same place, so they never differ. */
function withKept(after: Resolved, before: unknown): AttrValue | undefined {
  if (after === KEEP) return before as AttrValue | undefined;
  if (Array.isArray(after)) return after.map((e, i) => withKept(e as Resolved, Array.isArray(before) ? before[i] : undefined)) as AttrValue;
  if (isPlainObject(after)) {
    const b = isPlainObject(before) ? before : {};
    const out: Record<string, AttrValue> = {};
    for (const [k, e] of Object.entries(after)) {
      const v = withKept(e as Resolved, b[k]);
      if (v !== undefined) out[k] = v;
    }
    return out;
  }
  return after;
}

function compareWithLive(d: DesiredResource, live: LiveResource, compared: Attributes): { changes: AttributeChange[]; replaceReason?: string } {
  const writeOnly = new Set(d.writeOnly ?? []);
  const changes: AttributeChange[] = [];
  const keys = [...new Set([...Object.keys(compared), ...Object.keys(live.attributes)])].sort();
  for (const k of keys) {
    if (writeOnly.has(k)) continue;
    const before = live.attributes[k];
    const chunk: AttributeChange[] = [];
    compareValues(k, before, compared[k], chunk);
    // What AWS does not return is unknown, not different: it may update, never replace.
    if (before !== undefined && forcesReplacement(d.type, k)) for (const c of chunk) c.forcesReplacement = true;
    changes.push(...chunk);
  }
  const forcing = [...new Set(changes.filter((c) => c.forcesReplacement).map((c) => c.path.replace(/[.[].*$/, "")))];
  if (forcing.length === 0) return { changes };
  return { changes, replaceReason: d.type === "backup_selection" ? "selections cannot change in place" : `${forcing.join(" and ")} cannot change in place` };
}

/** Replacing a vault takes its policy and lock with it (a key its shares, a plan its selections). */
function cascadeReplacements(decisions: Map<string, Decision>): void {
  let changed = true;
  while (changed) {
    changed = false;
    for (const d of decisions.values()) {
      const container = CONTAINED_IN[d.desired.type];
      if (!container || (d.action !== "no-op" && d.action !== "update")) continue;
      const replaced = d.desired.dependsOn.find((a) => {
        const dep = decisions.get(a);
        return dep?.action === "replace" && dep.desired.type === container;
      });
      if (replaced) {
        d.action = "replace";
        d.reason = `${replaced} is replaced, and this goes with it`;
        changed = true;
      }
    }
  }
}

function foreignFinding(d: DesiredResource, live: LiveResource, stack: string): Finding {
  return {
    severity: "error",
    code: "foreign-resource",
    address: d.address,
    message: `${d.address}: ${describeObject(d.type, live.attributes, live.identity)} exists in ${live.accountId}/${live.region} and is not managed by stack ${stack}; ${ADOPTABLE.has(d.type) ? `adopt it with \`import { to = ${d.address} }\` or rename it` : "rename it"}`,
    hint: ADOPTABLE.has(d.type)
      ? "An import block hands the existing object to this stack, which then manages (and may change) it; renaming leaves it alone."
      : "Only vaults, KMS keys and backup plans can be adopted; choose another name so the existing object is left alone.",
  };
}

/** What an import block can adopt (docs/configuration.md, "import"). */
const ADOPTABLE: ReadonlySet<string> = new Set(["vault", "kms_key", "backup_plan"]);

/** Adopting what another stack made moves it: that stack sees it as someone else's from then on. */
function adoptFromStackFinding(d: DesiredResource, live: LiveResource, other: string): Finding {
  return {
    severity: "warning",
    code: "adopt-from-stack",
    address: d.address,
    message: `${d.address}: ${describeObject(d.type, live.attributes, live.identity)} belongs to stack ${other}; adopting it moves it to this stack`,
    hint: `After this apply, stack ${other} no longer manages it: remove its block from stack ${other}'s configuration, or its plans will report it as someone else's. Drop the import block if it should stay with stack ${other}.`,
  };
}

function adoptionFinding(d: DesiredResource, live: LiveResource, replaceReason: string | undefined): Finding {
  return {
    severity: "error",
    code: "adopt-would-replace",
    address: d.address,
    message: `${d.address}: adopting ${describeObject(d.type, live.attributes, live.identity)} would replace it (${replaceReason ?? "it differs"})`,
    hint: "Make the configuration match the existing object so it is adopted as it is, then change it in a later plan.",
  };
}

function changeOf(d: Decision, action: Action): ResourceChange {
  const r = d.desired;
  const change: ResourceChange = {
    address: r.address,
    type: r.type,
    accountId: r.accountId,
    region: r.region,
    action,
    before: d.live ? d.live.attributes : null,
    after: d.action === "read" && d.live ? d.live.attributes : d.after,
    changes: d.changes,
    dependsOn: [...r.dependsOn],
    identity: r.identity,
  };
  if (d.live) change.id = d.live.id;
  if (d.reason) change.reason = d.reason;
  if (r.type === "kms_key" && action === "replace") change.deletionWindowDays = windowOf(r);
  return change;
}

function windowOf(d: DesiredResource | undefined): number {
  const w = d?.attributes.deletion_window_days;
  return typeof w === "number" ? w : DEFAULT_KEY_DELETION_WINDOW_DAYS;
}

function pushDelete(changes: ResourceChange[], liveByAddress: Map<string, LiveResource>, l: LiveResource, d: DesiredResource | undefined): void {
  // A key already pending deletion is on its way out; scheduling it again would fail.
  if (l.type === "kms_key" && l.facts?.keyState === "PendingDeletion") return;
  const diffs: AttributeChange[] = [];
  for (const k of Object.keys(l.attributes).sort()) compareValues(k, l.attributes[k], undefined, diffs);
  // Two objects can claim one address (one left behind by a rename): keep addresses unique, as Terraform's
  // deposed objects are.
  const taken = changes.some((c) => c.address === l.address);
  const address = taken ? `${l.address} (deposed ${l.id})` : l.address;
  const change: ResourceChange = {
    address,
    type: l.type,
    accountId: l.accountId,
    region: l.region,
    action: "delete",
    before: l.attributes,
    after: null,
    changes: diffs,
    id: l.id,
    dependsOn: d ? [...d.dependsOn] : [],
    identity: l.identity,
  };
  if (l.type === "kms_key") {
    change.deletionWindowDays = windowOf(d);
    change.reason = `scheduled deletion: KMS deletes the key after a ${change.deletionWindowDays}-day waiting period`;
  }
  changes.push(change);
  liveByAddress.set(address, l);
}

/** A delete's dependencies also come from what its live object refers to (no desired resource says so). */
function inferDeleteDependencies(changes: ResourceChange[]): void {
  const refs = liveReferences(changes);
  for (const c of changes) {
    if (c.action !== "delete") continue;
    const inferred = refs.get(c.address) ?? [];
    c.dependsOn = [...new Set([...c.dependsOn, ...inferred])].filter((a) => a !== c.address).sort();
  }
}

function detectDrift(decisions: ReadonlyMap<string, Decision>, unclaimed: readonly LiveResource[]): Drift[] {
  const drift: Drift[] = [];
  const drifted = (l: LiveResource): boolean => l.ownership === "ours" && l.appliedHash !== undefined && l.appliedHash !== attributesHash(l.attributes);
  for (const d of decisions.values()) {
    if (!d.live || !drifted(d.live)) continue;
    // When the configuration still says what was applied, the desired attributes are the applied ones and
    // the drift can be shown attribute by attribute; otherwise only the fact of it is known.
    const applied: Attributes = { ...d.compared };
    for (const k of d.desired.writeOnly ?? []) delete applied[k];
    const changes: AttributeChange[] = [];
    if (attributesHash(applied) === d.live.appliedHash) {
      for (const k of [...new Set([...Object.keys(applied), ...Object.keys(d.live.attributes)])].sort()) compareValues(k, applied[k], d.live.attributes[k], changes);
      // Only spelled differently (statement order, an account id for its root ARN): the same thing, no drift.
      if (changes.length === 0) continue;
    }
    drift.push(driftOf(d.live, d.desired.address, changes));
  }
  for (const l of unclaimed) if (drifted(l)) drift.push(driftOf(l, l.address, []));
  return drift;
}

function driftOf(l: LiveResource, address: string, changes: AttributeChange[]): Drift {
  return { address, type: l.type, accountId: l.accountId, region: l.region, changes };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
