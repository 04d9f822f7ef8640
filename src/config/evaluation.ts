// Evaluation of the configuration's expressions: variables, locals, `each`, and references to declared blocks,
// all resolved lazily and memoised, so each value is computed (and each of its errors reported) once.
// A reference back into a value that is still being computed is a cycle, reported with its path.
import type { Diagnostic } from "./diagnostics.js";
import { instanceAddress, isResourceKind, resourceKinds, type Declarations } from "./declarations.js";
import { suggest } from "./expr/suggest.js";
import { isUnknown, type EvalError, type EvalScope, type FunctionImpl, type ResolveResult, type ResolvedStep, type Span, type Value } from "./expr/types.js";
import { exportAttr, exportNames, exportObject } from "./exports.js";
import type { ResourceKind } from "./model.js";
import type { RawAttr, RawBlock } from "./raw.js";
import { compileAttr, evaluateTree, locPos, setKey, type LocatedError, type Loc } from "./values.js";

export interface EvalContext {
  /** Address shown in diagnostics. */
  address: string;
  each?: { key: Value; value: Value };
  /** Variable validation: only `var.<name>` may be referenced. */
  onlyVar?: string;
}

export interface AttrResult {
  value: Value;
  /** False when evaluating it gave an error (already reported). */
  ok: boolean;
}

export interface Instance {
  kind: ResourceKind;
  label: string;
  /** The `for_each` key; null for the template instance of a deferred set. */
  key?: string | null;
  address: string;
  block: RawBlock;
  ctx: EvalContext;
}

export type InstanceSet =
  | { kind: "instances"; forEach: boolean; instances: Instance[]; byKey: Map<string, Instance> }
  /** `for_each` known only after refresh: one template instance (each.* unknown) is still checked. */
  | { kind: "deferred"; reason: string; template: Instance }
  | { kind: "failed" };

interface At {
  loc: Loc;
  span: Span;
}

const roots = ["var", "local", "each", ...resourceKinds];

function fail(span: Span, code: string, message: string, hint?: string): ResolveResult {
  const error: EvalError = hint === undefined ? { start: span.start, end: span.end, code, message } : { start: span.start, end: span.end, code, message, hint };
  return { ok: false, error };
}

const upstream = (span: Span): ResolveResult => fail(span, "upstream-error", "depends on a value with an error");

function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  const s = suggest(name, [...candidates]);
  return s === undefined ? undefined : `Did you mean "${s}"?`;
}

export function stepName(step: ResolvedStep | undefined): string | undefined {
  if (!step) return undefined;
  if (step.kind === "attr") return step.name;
  return typeof step.key === "string" ? step.key : undefined;
}

export class Evaluator {
  readonly diagnostics: Diagnostic[] = [];
  private readonly busy: string[] = [];
  private readonly busySet = new Set<string>();
  private readonly cycles = new Set<string>();
  private readonly attrCache = new Map<string, AttrResult>();
  private readonly sets = new Map<string, InstanceSet>();

  constructor(
    readonly decls: Declarations,
    /** Declared variables; undefined for one without a usable value (already reported). */
    readonly variables: Map<string, Value | undefined>,
    readonly functions: Record<string, FunctionImpl>,
  ) {}

  /** Evaluates one attribute in a context; errors become diagnostics. */
  evalAttr(attr: RawAttr, ctx: EvalContext): AttrResult {
    const { tree, diagnostics } = compileAttr(attr, ctx.address);
    this.diagnostics.push(...diagnostics);
    const errors: LocatedError[] = [];
    const value = evaluateTree(tree, (loc) => new ConfigScope(this, ctx, loc), this.functions, errors);
    for (const { error, loc } of errors) {
      if (error.code === "cycle" || error.code === "upstream-error") continue;
      this.diagnostics.push({
        severity: "error", code: error.code, pos: locPos(loc, error.start), address: ctx.address,
        summary: error.message, detail: error.hint ?? "Fix the expression; docs/configuration.md lists the references and functions.",
      });
    }
    return { value, ok: errors.length === 0 };
  }

  /** Runs `compute` as node `id`; re-entering a node that is being computed is a cycle, reported at `at`. */
  private guard<T>(id: string, at: At | undefined, compute: () => T): T | "cycle" {
    if (this.busySet.has(id)) {
      const path = [...this.busy.slice(this.busy.indexOf(id)), id];
      const key = [...new Set(path)].sort().join(" ");
      if (!this.cycles.has(key)) {
        this.cycles.add(key);
        this.diagnostics.push({
          severity: "error", code: "reference-cycle", pos: at ? locPos(at.loc, at.span.start) : undefined, address: path[path.length - 2],
          summary: `reference cycle: ${path.join(" -> ")}`,
          detail: "Each of these values depends on the next; make one of them independent of the others.",
        });
      }
      return "cycle";
    }
    this.busy.push(id);
    this.busySet.add(id);
    try {
      return compute();
    } finally {
      this.busy.pop();
      this.busySet.delete(id);
    }
  }

  /** A top-level attribute of an instance, computed once; undefined when the block does not set it. */
  instanceAttr(inst: Instance, name: string, at?: At): AttrResult | undefined {
    const attr = inst.block.attrs.get(name);
    if (!attr) return undefined;
    const id = `${inst.address}.${name}`;
    const hit = this.attrCache.get(id);
    if (hit) return hit;
    const r = this.guard(id, at, () => this.evalAttr(attr, inst.ctx));
    const result = r === "cycle" ? { value: null, ok: false } : r;
    this.attrCache.set(id, result);
    return result;
  }

  /** A `crossvault { }` setting (e.g. default_region), computed once. */
  setting(name: string, at?: At): AttrResult | undefined {
    const block = this.decls.settings;
    if (!block) return undefined;
    return this.instanceAttr({ kind: "account", label: "", address: "crossvault", block, ctx: { address: "crossvault" } }, name, at);
  }

  local(name: string, at?: At): AttrResult | undefined {
    const attr = this.decls.locals.get(name);
    if (!attr) return undefined;
    const id = `local.${name}`;
    const hit = this.attrCache.get(id);
    if (hit) return hit;
    const r = this.guard(id, at, () => this.evalAttr(attr, { address: id }));
    const result = r === "cycle" ? { value: null, ok: false } : r;
    this.attrCache.set(id, result);
    return result;
  }

  /** The instances of a declared block: one, one per `for_each` element, or deferred. */
  instanceSet(kind: ResourceKind, label: string, at?: At): InstanceSet {
    const id = instanceAddress(kind, label);
    const hit = this.sets.get(id);
    if (hit) return hit;
    const block = this.decls.resources.get(kind)?.get(label);
    if (!block) return { kind: "failed" };
    const forEach = block.attrs.get("for_each");
    let set: InstanceSet;
    if (!forEach || kind === "account") {
      const inst: Instance = { kind, label, address: id, block, ctx: { address: id } };
      set = { kind: "instances", forEach: false, instances: [inst], byKey: new Map() };
    } else {
      const r = this.guard(`${id}.for_each`, at, () => this.evalAttr(forEach, { address: id }));
      set = r === "cycle" || !r.ok ? { kind: "failed" } : this.expand(kind, label, block, forEach, r.value);
    }
    this.sets.set(id, set);
    return set;
  }

  private expand(kind: ResourceKind, label: string, block: RawBlock, forEach: RawAttr, value: Value): InstanceSet {
    const make = (key: string | null, each: { key: Value; value: Value }): Instance => {
      const address = instanceAddress(kind, label, key);
      return { kind, label, key, address, block, ctx: { address, each } };
    };
    if (isUnknown(value)) {
      const unknown: Value = { $unknown: "after-refresh", reason: value.reason };
      return { kind: "deferred", reason: value.reason, template: make(null, { key: unknown, value: unknown }) };
    }
    const pairs: Array<[string, Value]> = [];
    let problem: string | undefined;
    if (Array.isArray(value)) {
      const seen = new Set<string>();
      for (const item of value) {
        if (typeof item !== "string") problem = "a list or set given to for_each must contain only strings";
        else if (seen.has(item)) problem = `for_each has "${item}" twice; keys must be unique (use toset())`;
        else {
          seen.add(item);
          pairs.push([item, item]);
        }
      }
    } else if (value !== null && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) pairs.push([k, v]);
    } else {
      problem = `for_each must be a map, or a set or list of strings, not ${value === null ? "null" : typeof value}`;
    }
    if (problem) {
      this.diagnostics.push({
        severity: "error", code: "invalid-for-each", pos: forEach.pos, address: instanceAddress(kind, label), summary: problem,
        detail: 'Give for_each a map (each.key, each.value) or a set of strings, e.g. toset(["prod", "staging"]).',
      });
      return { kind: "failed" };
    }
    const instances = pairs.map(([k, v]) => make(k, { key: k, value: v }));
    return { kind: "instances", forEach: true, instances, byKey: new Map(instances.map((i) => [i.key as string, i])) };
  }

  resolveVar(steps: ResolvedStep[], span: Span, ctx: EvalContext): ResolveResult {
    const name = stepName(steps[0]);
    if (name === undefined) return fail(span, "unresolved-reference", "var must be followed by a variable name, e.g. var.retention_days");
    if (ctx.onlyVar !== undefined && name !== ctx.onlyVar) {
      return fail(span, "unresolved-reference", `a validation of var.${ctx.onlyVar} may only refer to var.${ctx.onlyVar}`);
    }
    if (!this.variables.has(name)) {
      return fail(span, "unresolved-reference", `no variable "${name}" is declared`,
        didYouMean(name, this.variables.keys()) ?? `Declare it: variable "${name}" { type = string }`);
    }
    const value = this.variables.get(name);
    return value === undefined ? upstream(span) : { ok: true, value, consumed: 1 };
  }

  resolveLocal(steps: ResolvedStep[], span: Span, at: At): ResolveResult {
    const name = stepName(steps[0]);
    if (name === undefined) return fail(span, "unresolved-reference", "local must be followed by a name, e.g. local.central_region");
    const r = this.local(name, at);
    if (!r) {
      return fail(span, "unresolved-reference", `no local value "${name}" is declared`,
        didYouMean(name, this.decls.locals.keys()) ?? `Declare it in a locals block: locals { ${name} = ... }`);
    }
    return r.ok ? { ok: true, value: r.value, consumed: 1 } : upstream(span);
  }

  resolveResource(kind: ResourceKind, steps: ResolvedStep[], span: Span, at: At): ResolveResult {
    const declared = this.decls.resources.get(kind)!;
    if (steps.length === 0) {
      // `account` alone: every declared block of the kind, by label (e.g. for_each = account).
      const all: { [k: string]: Value } = {};
      for (const label of declared.keys()) {
        const r = this.resolveResource(kind, [{ kind: "attr", name: label, start: span.start, end: span.end }], span, at);
        if (!r.ok) return r;
        setKey(all, label, r.value);
      }
      return { ok: true, value: all, consumed: 0 };
    }
    const label = stepName(steps[0]);
    if (label === undefined || !declared.has(label)) {
      const shown = label ?? "?";
      return fail(span, "unresolved-reference", `no ${kind} "${shown}" is declared`,
        (label !== undefined ? didYouMean(label, declared.keys()) : undefined) ?? `Declare it: ${kind} "${shown}" { ... }`);
    }
    const set = this.instanceSet(kind, label, at);
    if (set.kind === "failed") return upstream(span);
    if (set.kind === "deferred") {
      return { ok: true, value: { $unknown: "after-refresh", reason: `${instanceAddress(kind, label)} has instances known only after refresh` }, consumed: steps.length };
    }
    let inst: Instance;
    let i = 1;
    if (set.forEach) {
      const step = steps[1];
      if (!step) {
        const byKey: { [k: string]: Value } = {};
        for (const each of set.instances) {
          const v = exportObject(this, each, at);
          if (v === undefined) return upstream(span);
          setKey(byKey, each.key as string, v);
        }
        return { ok: true, value: byKey, consumed: 1 };
      }
      if (step.kind !== "index" || typeof step.key !== "string") {
        return fail(step, "unresolved-reference", `${instanceAddress(kind, label)} has for_each: select an instance by key, e.g. ${kind}.${label}["${[...set.byKey.keys()][0] ?? "key"}"]`);
      }
      const found = set.byKey.get(step.key);
      if (!found) {
        const keys = [...set.byKey.keys()];
        return fail(step, "unresolved-reference", `${instanceAddress(kind, label)} has no instance "${step.key}"`,
          didYouMean(step.key, keys) ?? `Its for_each keys are: ${keys.map((k) => JSON.stringify(k)).join(", ") || "(none)"}.`);
      }
      inst = found;
      i = 2;
    } else {
      inst = set.instances[0]!;
    }
    const next = steps[i];
    if (!next) {
      const v = exportObject(this, inst, at);
      return v === undefined ? upstream(span) : { ok: true, value: v, consumed: i };
    }
    if (next.kind !== "attr") {
      return fail(next, "unresolved-reference", `${inst.address} has no for_each and cannot be indexed`, `Refer to it as ${inst.address}.`);
    }
    const r = exportAttr(this, inst, next.name, at);
    if (r === "unknown-attribute") {
      const names = exportNames(kind);
      return fail(next, "unresolved-reference", `${inst.address} has no attribute "${next.name}"`,
        didYouMean(next.name, names) ?? `Its attributes are: ${names.join(", ")}.`);
    }
    return r === undefined ? upstream(span) : { ok: true, value: r, consumed: i + 1 };
  }

  resolveEach(steps: ResolvedStep[], span: Span, ctx: EvalContext): ResolveResult {
    if (!ctx.each) {
      return fail(span, "unresolved-reference", "each.key and each.value exist only in a block with for_each",
        "Add for_each to the block, or refer to a fixed value instead.");
    }
    const name = stepName(steps[0]);
    if (name !== "key" && name !== "value") return fail(span, "unresolved-reference", "each has only the attributes key and value");
    return { ok: true, value: ctx.each[name], consumed: 1 };
  }
}

class ConfigScope implements EvalScope {
  constructor(private readonly ev: Evaluator, private readonly ctx: EvalContext, private readonly loc: Loc) {}

  resolve(root: string, steps: ResolvedStep[], span: Span): ResolveResult {
    const at: At = { loc: this.loc, span };
    if (root === "var") return this.ev.resolveVar(steps, span, this.ctx);
    if (this.ctx.onlyVar !== undefined) return fail(span, "unresolved-reference", `a validation of var.${this.ctx.onlyVar} may only refer to var.${this.ctx.onlyVar}`);
    if (root === "local") return this.ev.resolveLocal(steps, span, at);
    if (root === "each") return this.ev.resolveEach(steps, span, this.ctx);
    if (isResourceKind(root)) return this.ev.resolveResource(root, steps, span, at);
    return fail(span, "unresolved-reference", `unknown name "${root}"`,
      didYouMean(root, roots) ?? `References start with one of: ${roots.join(", ")}.`);
  }
}

export type { At };
