// Reading one block's attributes as typed values: evaluates them, converts as HCL does ("30" to 30, 30 to
// "30"), turns `$ref` objects back into typed references, and reports wrong types and values that must be
// known but are not, each at the attribute.
import { setKey } from "./values.js";
import type { Diagnostic, SourcePos } from "./diagnostics.js";
import { isUnknown, type UnknownValue, type Value } from "./expr/types.js";
import type { EvalContext, Evaluator, Instance } from "./evaluation.js";
import type { AccountTarget, Known, ResourceKind, ResourceRef } from "./model.js";
import type { RawBlock } from "./raw.js";
import { ACCOUNT_ID } from "./rules.js";

export function describeValue(v: Value): string {
  if (v === null) return "null";
  if (isUnknown(v)) return "a value known only later";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") {
    const ref = refOf(v);
    return ref ? `a reference to ${ref.kind}.${ref.name}` : "an object";
  }
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
  return String(v);
}

/** The typed reference a `$ref` object stands for. */
export function refOf(v: Value): ResourceRef<ResourceKind> | undefined {
  if (v === null || typeof v !== "object" || Array.isArray(v) || isUnknown(v)) return undefined;
  const r = v.$ref;
  if (r === null || r === undefined || typeof r !== "object" || Array.isArray(r) || isUnknown(r)) return undefined;
  if (typeof r.kind !== "string" || typeof r.name !== "string") return undefined;
  return typeof r.key === "string" ? { kind: r.kind as ResourceKind, name: r.name, key: r.key } : { kind: r.kind as ResourceKind, name: r.name };
}

export class BlockReader {
  /** Attributes whose evaluation failed (already reported): checks on them are skipped. */
  private readonly failed = new Set<string>();

  constructor(
    readonly ev: Evaluator,
    readonly block: RawBlock,
    readonly ctx: EvalContext,
    readonly address: string,
    private readonly diags: Diagnostic[],
    /** Top-level attributes of an instance are shared with references (evaluated once). */
    private readonly inst?: Instance,
    /** The template instance of a deferred set: unknown values are expected, not errors. */
    readonly deferred = false,
    /** Declaration -> the reader it was decoded with, so later checks can point at its attributes. */
    private readonly readers?: WeakMap<object, BlockReader>,
  ) {}

  nested(block: RawBlock, address: string): BlockReader {
    return new BlockReader(this.ev, block, { ...this.ctx, address }, address, this.diags, undefined, this.deferred, this.readers);
  }

  /** Records that `decl` was decoded from this block; returns it. */
  own<T extends object>(decl: T): T {
    this.readers?.set(decl, this);
    return decl;
  }

  has(name: string): boolean {
    return this.block.attrs.has(name);
  }

  pos(name?: string): SourcePos {
    return (name !== undefined ? this.block.attrs.get(name)?.pos : undefined) ?? this.block.pos;
  }

  problem(name: string | undefined, code: string, summary: string, detail: string, rule?: string): void {
    this.diags.push({ severity: "error", code, pos: this.pos(name), address: this.address, summary, detail, ...(rule ? { rule } : {}) });
  }

  warn(name: string | undefined, code: string, summary: string, detail: string, rule?: string): void {
    this.diags.push({ severity: "warning", code, pos: this.pos(name), address: this.address, summary, detail, ...(rule ? { rule } : {}) });
  }

  /** The evaluated value; undefined when unset, failed, or null. */
  value(name: string): Value | undefined {
    const attr = this.block.attrs.get(name);
    if (!attr) return undefined;
    const r = this.inst ? this.ev.instanceAttr(this.inst, name) : this.ev.evalAttr(attr, this.ctx);
    if (!r || !r.ok) {
      this.failed.add(name);
      return undefined;
    }
    return r.value === null ? undefined : r.value;
  }

  private unknown(name: string, v: UnknownValue): undefined {
    if (!this.deferred) {
      this.problem(name, "value-unknown", `${name} must be known when the configuration is read, but ${v.reason}`,
        "Use a value that does not depend on resources crossvault creates; only for_each and account lists may depend on accounts_in_ou().");
    }
    return undefined;
  }

  private wrong(name: string, want: string, v: Value): undefined {
    this.problem(name, "wrong-type", `${name} must be ${want}, got ${describeValue(v)}`, `Set ${name} to ${want}.`);
    return undefined;
  }

  string(name: string): string | undefined {
    const v = this.value(name);
    if (v === undefined) return undefined;
    if (isUnknown(v)) return this.unknown(name, v);
    if (typeof v === "string") return v;
    if (typeof v === "number" || typeof v === "boolean") return String(v);
    return this.wrong(name, "a string", v);
  }

  number(name: string): number | undefined {
    const v = this.value(name);
    if (v === undefined) return undefined;
    if (isUnknown(v)) return this.unknown(name, v);
    if (typeof v === "number" && Number.isInteger(v)) return v;
    if (typeof v === "string" && /^-?\d+$/.test(v.trim())) return Number(v.trim());
    return this.wrong(name, "a whole number", v);
  }

  bool(name: string, fallback: boolean): boolean {
    const v = this.value(name);
    if (v === undefined) return fallback;
    if (isUnknown(v)) return this.unknown(name, v) ?? fallback;
    if (typeof v === "boolean") return v;
    if (v === "true" || v === "false") return v === "true";
    return this.wrong(name, "true or false", v) ?? fallback;
  }

  /** A list attribute's elements; unknown when the whole list is (e.g. accounts_in_ou before refresh). */
  list(name: string, allowUnknown: boolean): Known<Value[]> | undefined {
    const v = this.value(name);
    if (v === undefined) return undefined;
    if (isUnknown(v)) return allowUnknown ? v : this.unknown(name, v);
    if (Array.isArray(v)) return v;
    return this.wrong(name, "a list", v);
  }

  stringList(name: string): string[] {
    const items = this.list(name, false);
    if (!items || isUnknown(items)) return [];
    const out: string[] = [];
    for (const item of items) {
      if (isUnknown(item)) this.unknown(name, item);
      else if (typeof item === "string") out.push(item);
      else if (typeof item === "number" || typeof item === "boolean") out.push(String(item));
      else return this.wrong(name, "a list of strings", item) ?? [];
    }
    return out;
  }

  stringMap(name: string): Record<string, string> {
    const v = this.value(name);
    if (v === undefined) return {};
    if (isUnknown(v)) return this.unknown(name, v) ?? {};
    if (v === null || typeof v !== "object" || Array.isArray(v) || refOf(v)) return this.wrong(name, "a map of strings", v) ?? {};
    const out: Record<string, string> = {};
    for (const [k, item] of Object.entries(v)) {
      if (isUnknown(item)) return this.unknown(name, item) ?? {};
      if (typeof item === "string") setKey(out, k, item);
      else if (typeof item === "number" || typeof item === "boolean") setKey(out, k, String(item));
      else return this.wrong(name, `a map of strings (the value of "${k}" is not)`, item) ?? {};
    }
    return out;
  }

  /** One account: a reference to a declared account, or a 12-digit id. */
  accountOf(name: string, v: Value): AccountTarget | undefined {
    if (isUnknown(v)) return this.unknown(name, v);
    const ref = refOf(v);
    if (ref) return ref.kind === "account" ? { kind: "account", name: ref.name } : this.wrong(name, "an account reference or a 12-digit account id", v);
    const id = typeof v === "number" ? String(v) : v;
    if (typeof id === "string") {
      if (ACCOUNT_ID.test(id)) return { kind: "account_id", id };
      this.problem(name, "invalid-account-id", `${JSON.stringify(id)} is not a 12-digit account id`, "Refer to a declared account (account.prod) or give its 12-digit id as a string.", "[S1]");
      return undefined;
    }
    return this.wrong(name, "an account reference or a 12-digit account id", v);
  }

  account(name: string): AccountTarget | undefined {
    const v = this.value(name);
    return v === undefined ? undefined : this.accountOf(name, v);
  }

  isFailed(name: string): boolean {
    return this.failed.has(name);
  }
}
