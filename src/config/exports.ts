// What a reference to a declared block evaluates to: `account.prod.id`, `vault.central.arn`, or the whole
// block as an object that also carries `$ref` (kind, name, key), so the model can turn it back into a typed
// reference. Values only apply can tell (a created key's ARN) are unknown.
import { setKey } from "./values.js";
import { isUnknown, type Value } from "./expr/types.js";
import type { At, Evaluator, Instance } from "./evaluation.js";
import type { ResourceKind } from "./model.js";

const names: Record<ResourceKind, string[]> = {
  account: ["id", "name", "role_arn", "profile"],
  kms_key: ["arn", "id", "alias", "account", "region", "name"],
  vault: ["name", "arn", "account", "region"],
  backup_plan: ["name", "arn", "id", "account", "region"],
  guardrail: ["name", "id", "arn"],
};

export function exportNames(kind: ResourceKind): string[] {
  return names[kind];
}

const afterApply = (reason: string): Value => ({ $unknown: "after-apply", reason });

type Got = Value | undefined;

/** An attribute's value; null when unset; undefined when it had an error. */
function attr(ev: Evaluator, inst: Instance, name: string, at: At | undefined): Got {
  const r = ev.instanceAttr(inst, name, at);
  if (!r) return null;
  return r.ok ? r.value : undefined;
}

function region(ev: Evaluator, inst: Instance, at: At | undefined): Got {
  const own = attr(ev, inst, "region", at);
  if (own !== null) return own;
  const fallback = ev.setting("default_region", at);
  if (!fallback) return null;
  return fallback.ok ? fallback.value : undefined;
}

/** The account id behind an `account` attribute value (a reference object or an id string). */
export function accountIdOf(v: Value): Value {
  if (v !== null && typeof v === "object" && !Array.isArray(v) && !isUnknown(v)) return v.id ?? null;
  if (typeof v === "number") return String(v);
  return v;
}

/** Part `index` of an ARN string (`arn:partition:service:region:account:resource`). */
function arnPart(arn: Value, index: number): Value {
  if (typeof arn !== "string") return arn;
  return arn.split(":")[index] ?? null;
}

/** Value of export `name` of an instance; undefined when it depends on an error; "unknown-attribute" when no such export. */
export function exportAttr(ev: Evaluator, inst: Instance, name: string, at?: At): Got | "unknown-attribute" {
  if (!names[inst.kind].includes(name)) return "unknown-attribute";
  const addr = inst.address;
  switch (inst.kind) {
    case "account":
      if (name === "name") return inst.label;
      if (name === "id") {
        const id = attr(ev, inst, "id", at);
        return typeof id === "number" ? String(id) : id;
      }
      return attr(ev, inst, name, at);
    case "kms_key": {
      if (name === "name") return inst.label;
      const arn = attr(ev, inst, "arn", at);
      if (arn === undefined) return undefined;
      if (arn !== null) {
        // An existing key: everything comes from its ARN.
        if (name === "arn") return arn;
        if (name === "id") return typeof arn === "string" ? arn.replace(/^.*:key\//, "") : arn;
        if (name === "region") return arnPart(arn, 3);
        if (name === "account") return arnPart(arn, 4);
        return null;
      }
      if (name === "arn" || name === "id") return afterApply(`${addr}.${name} is known after apply`);
      if (name === "region") return region(ev, inst, at);
      return attr(ev, inst, name, at);
    }
    case "vault": {
      if (name === "account") return attr(ev, inst, "account", at);
      if (name === "region") return region(ev, inst, at);
      const own = attr(ev, inst, "name", at);
      if (own === undefined) return undefined;
      const vaultName = own ?? inst.label;
      if (name === "name") return vaultName;
      const acct = attr(ev, inst, "account", at);
      const reg = region(ev, inst, at);
      if (acct === undefined || reg === undefined) return undefined;
      const id = accountIdOf(acct);
      for (const part of [id, reg, vaultName]) if (isUnknown(part)) return part;
      if (typeof id !== "string" || typeof reg !== "string" || typeof vaultName !== "string") return null;
      return `arn:aws:backup:${reg}:${id}:backup-vault:${vaultName}`;
    }
    case "backup_plan":
      if (name === "name") {
        const own = attr(ev, inst, "name", at);
        return own === null ? inst.label : own;
      }
      if (name === "region") return region(ev, inst, at);
      if (name === "account") return attr(ev, inst, "account", at);
      return afterApply(`${addr}.${name} is known after apply`);
    case "guardrail":
      if (name === "name") return inst.label;
      return afterApply(`${addr}.${name} is known after apply`);
  }
}

/**
 * The whole instance as a value; undefined when one of its exports depends on an error. Exports known only
 * after apply are left out (they are reachable as attributes): functions treat any value holding an unknown
 * as unknown, and `concat([kms_key.central], ...)` must stay a list of references.
 */
export function exportObject(ev: Evaluator, inst: Instance, at?: At): Value | undefined {
  const ref: { [k: string]: Value } = { kind: inst.kind, name: inst.label };
  if (typeof inst.key === "string") ref.key = inst.key;
  const out: { [k: string]: Value } = { $ref: ref };
  for (const name of names[inst.kind]) {
    const v = exportAttr(ev, inst, name, at);
    if (v === undefined) return undefined;
    if (v !== "unknown-attribute" && !isUnknown(v)) setKey(out, name, v);
  }
  return out;
}
