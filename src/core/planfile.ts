// Saved plans (`plan --out FILE`, `apply FILE`): the plan value as stable JSON, written atomically, read back
// with a clear refusal for anything that is not a plan of this format; and the staleness check that makes
// apply refuse a plan whose live objects changed since it was made.
import { randomBytes } from "node:crypto";
import { open, readFile, rename, unlink } from "node:fs/promises";
import { fileErrorReason, UserError } from "../cli/errors.js";
import { ACTION_SYMBOLS, PLAN_FORMAT_VERSION, summarize, type Plan } from "./plan-types.js";
import { checkGraph, GraphCycleError } from "./walk.js";

/** The order a reader expects at the top; everything below is sorted by key, so equal plans are equal texts. */
const TOP_KEYS: ReadonlyArray<keyof Plan> = [
  "format_version", "tool_version", "created_at", "stack", "mode", "applyable", "summary", "config", "variables",
  "targets", "changes", "drift", "findings", "unreadable", "fingerprints",
];

/** The plan as JSON text with a stable key order, two-space indented, ending in a newline. */
export function planJson(plan: Plan): string {
  const record = plan as unknown as Record<string, unknown>;
  const keys = [...TOP_KEYS.filter((k) => k in record), ...Object.keys(record).filter((k) => !(TOP_KEYS as string[]).includes(k)).sort()];
  const top: Record<string, unknown> = {};
  for (const k of keys) top[k] = sortKeys(record[k]);
  return `${JSON.stringify(top, null, 2)}\n`;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const e = (v as Record<string, unknown>)[k];
      if (e !== undefined) out[k] = sortKeys(e);
    }
    return out;
  }
  return v;
}

/** Write the plan so that FILE is either the old content or the whole new plan, never half of one. */
export async function savePlan(path: string, plan: Plan): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    // Plans carry variable values: readable by the owner only.
    const handle = await open(tmp, "wx", 0o600);
    try {
      await handle.writeFile(planJson(plan), "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw new UserError(`cannot write the plan to ${path}: ${fileErrorReason(e, "the directory does not exist")}`, "Check that the directory exists and that you may write to it.");
  }
}

export async function loadPlan(path: string): Promise<Plan> {
  const again = `Make the plan again with \`crossvault plan --out ${path}\`.`;
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new UserError(`plan file ${path} does not exist`, `Save a plan first with \`crossvault plan --out ${path}\`.`);
    throw new UserError(`cannot read plan file ${path}: ${fileErrorReason(e)}`, "Check the path and its permissions.");
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    // A saved plan is a JSON object whose first member is its format_version: a file that does not start like
    // one is something else (a config file passed by mistake, say), and advice to write a plan over it would be bad.
    if (!/^\s*\{\s*"format_version"/.test(text)) throw new UserError(`${path} is not a crossvault plan file (it is not a plan's JSON)`, "Pass a file written by `crossvault plan --out FILE`, or a configuration directory.");
    throw new UserError(`${path} is corrupt: it is not valid JSON (${(e as Error).message})`, `The file may be truncated or edited. ${again}`);
  }
  if (!isRecord(value) || typeof value.format_version !== "string") {
    throw new UserError(`${path} is not a crossvault plan file (it has no format_version)`, "Pass a file written by `crossvault plan --out FILE`.");
  }
  const major = (v: string): string => v.split(".")[0]!;
  if (major(value.format_version) !== major(PLAN_FORMAT_VERSION)) {
    const by = typeof value.tool_version === "string" ? ` (saved by crossvault ${value.tool_version})` : "";
    throw new UserError(
      `${path} has plan format ${value.format_version}${by}; this crossvault reads plan format ${major(PLAN_FORMAT_VERSION)}.x only`,
      `Saved plans do not carry over between incompatible versions. ${again}`,
    );
  }
  const problem = planShapeProblem(value);
  if (problem) throw new UserError(`${path} is a damaged plan file: ${problem}`, `A saved plan must not be edited. ${again}`);
  return value as unknown as Plan;
}

/**
 * What changed since the plan was made, one line per object, from the fingerprints the plan recorded and those
 * read now. An object gone, or one that was not there then, counts as changed.
 */
export function staleness(plan: Plan, currentFingerprints: Record<string, string>): string[] {
  const names = new Map<string, string>();
  for (const c of plan.changes) if (c.identity) names.set(c.identity, c.address);
  const out: Array<[string, string]> = [];
  for (const key of new Set([...Object.keys(plan.fingerprints), ...Object.keys(currentFingerprints)])) {
    const then = plan.fingerprints[key];
    const now = currentFingerprints[key];
    if (then === now) continue;
    const name = names.get(key) ?? key;
    const detail = then === undefined ? " (it did not exist then)" : now === undefined ? " (it no longer exists)" : "";
    out.push([name, `${name} changed since the plan was made${detail}`]);
  }
  return out.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, line]) => line);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const isString = (v: unknown): v is string => typeof v === "string";
const isStringList = (v: unknown): boolean => Array.isArray(v) && v.every(isString);
const ACTIONS = new Set(Object.keys(ACTION_SYMBOLS));
const SEVERITIES = new Set(["error", "warning", "info"]);

/** The first place where the value is not a plan, as a path (`changes[3].action is missing`). */
function planShapeProblem(p: Record<string, unknown>): string | undefined {
  const strings = ["tool_version", "created_at", "stack"] as const;
  for (const k of strings) if (!isString(p[k])) return `${k} is missing or not a string`;
  if (p.mode !== "apply" && p.mode !== "destroy") return "mode is neither apply nor destroy";
  if (!isRecord(p.config) || !isString(p.config.path) || !isString(p.config.hash)) return "config must have a path and a hash";
  if (!isRecord(p.variables)) return "variables is not an object";
  if (!isStringList(p.targets)) return "targets is not a list of addresses";
  if (typeof p.applyable !== "boolean") return "applyable is missing";
  if (!isRecord(p.fingerprints) || !Object.values(p.fingerprints).every(isString)) return "fingerprints is not a map of hashes";
  if (!Array.isArray(p.unreadable)) return "unreadable is not a list";
  for (const [i, u] of p.unreadable.entries()) if (!isRecord(u) || !isString(u.accountId) || !isString(u.message)) return `unreadable[${i}] needs an accountId and a message`;
  if (!Array.isArray(p.changes)) return "changes is not a list";
  for (const [i, c] of p.changes.entries()) {
    const problem = changeProblem(c);
    if (problem) return `changes[${i}]${problem}`;
  }
  if (!Array.isArray(p.drift)) return "drift is not a list";
  for (const [i, d] of p.drift.entries()) {
    if (!isRecord(d) || !isString(d.address) || !isString(d.type) || !Array.isArray(d.changes)) return `drift[${i}] needs an address, a type and changes`;
  }
  if (!Array.isArray(p.findings)) return "findings is not a list";
  for (const [i, f] of p.findings.entries()) {
    if (!isRecord(f) || !SEVERITIES.has(f.severity as string) || !isString(f.code) || !isString(f.message)) return `findings[${i}] needs a severity, a code and a message`;
  }
  // Apply walks the changes by their dependencies: an edited file must not make it go round in circles.
  const addresses = new Set((p.changes as Plan["changes"]).map((c) => c.address));
  try {
    checkGraph((p.changes as Plan["changes"]).map((c) => ({ id: c.address, dependsOn: c.dependsOn.filter((d) => addresses.has(d)), lane: "", payload: c })));
  } catch (e) {
    if (e instanceof GraphCycleError) return `its changes depend on each other in a circle (${e.cycle.join(" -> ")})`;
    throw e;
  }
  const summary = summarize(p.changes as Plan["changes"]);
  if (!isRecord(p.summary) || (Object.keys(summary) as Array<keyof typeof summary>).some((k) => (p.summary as Record<string, unknown>)[k] !== summary[k])) {
    return "summary does not match its changes";
  }
  return undefined;
}

function changeProblem(c: unknown): string | undefined {
  if (!isRecord(c)) return " is not an object";
  for (const k of ["address", "type", "accountId", "region"] as const) if (!isString(c[k])) return `.${k} is missing`;
  if (!ACTIONS.has(c.action as string)) return `.action ${JSON.stringify(c.action)} is not an action`;
  for (const k of ["before", "after"] as const) if (c[k] !== null && !isRecord(c[k])) return `.${k} must be an object or null`;
  if (!Array.isArray(c.changes) || !c.changes.every((a) => isRecord(a) && isString(a.path))) return ".changes is not a list of attribute changes";
  if (!isStringList(c.dependsOn)) return ".dependsOn is not a list of addresses";
  return undefined;
}
