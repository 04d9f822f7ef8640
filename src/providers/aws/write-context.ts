// What every writer shares: the apply context the engine passes in, the change with its Pending values
// resolved, the clients of the change's account-region, waiting out propagation, and the applied-hash tag.
import type { BackupClient } from "@aws-sdk/client-backup";
import type { KMSClient } from "@aws-sdk/client-kms";
import type { EngineEvent } from "../../core/events.js";
import type { ResourceChange } from "../../core/plan-types.js";
import { attributesHash, ownershipTags } from "../../model/ownership.js";
import type { Attributes, AttrValue, Pending, ResourceType } from "../../model/resource.js";
import { isPending } from "../../model/resource.js";
import type { ClientPool } from "./clients.js";
import { KeyedMutex } from "./limiter.js";
import { untilPropagated } from "./propagation.js";
import type { PropagationRule } from "./propagation.js";

export interface ApplyContext {
  stack: string;
  /** The value of a Pending attribute, from the dependency applied before (a created key's ARN). */
  resolve(pending: Pending): unknown;
  /** apply-wait events while a propagation delay is waited out (and warnings). */
  notify(event: EngineEvent): void;
  signal?: AbortSignal;
  /** Bound on waiting out one propagation delay (default 2 minutes). */
  maxWaitMs?: number;
  /** For tests: how to pause between attempts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface ApplyResult {
  /** The attributes as applied, with values known only now (a key's arn, a plan's id) filled in. */
  attributes?: Record<string, unknown>;
  /** The physical id of the created or updated object. */
  id?: string;
}

/** A user-facing apply failure: names the resource and says what to do (no stack trace). */
export class ApplyError extends Error {
  constructor(readonly address: string, message: string) {
    super(`${address}: ${message}`);
    this.name = "ApplyError";
  }
}

/** Attributes AWS never returns: left out of the applied hash, since the reader never sees them. */
const WRITE_ONLY: Partial<Record<ResourceType, readonly string[]>> = {
  kms_key: ["deletion_window_days"],
  vault_lock: ["changeable_for_days"],
};

/** One policy document is written by one writer at a time (shares of one key apply in parallel). */
export const policyDocuments = new KeyedMutex();

function resolveValue(v: AttrValue, ctx: ApplyContext, address: string): AttrValue {
  if (isPending(v)) {
    // The resource's own values known after apply (a key's arn, a plan's id) are filled in by its writer.
    if (v.$pending.address === address) return v;
    const value = ctx.resolve(v);
    if (value === undefined) throw new ApplyError(address, `${v.$pending.address}.${v.$pending.attribute} is not known: apply ${v.$pending.address} first`);
    return value as AttrValue;
  }
  if (Array.isArray(v)) return v.map((x) => resolveValue(x, ctx, address));
  if (v && typeof v === "object") {
    const out: Record<string, AttrValue> = {};
    for (const [k, x] of Object.entries(v)) out[k] = resolveValue(x, ctx, address);
    return out;
  }
  return v;
}

export function resolveAttributes(attributes: Attributes, ctx: ApplyContext, address: string): Attributes {
  return resolveValue(attributes, ctx, address) as Attributes;
}

/** One change being written: its account-region's clients and the helpers writers use. */
export class Write {
  readonly backup: BackupClient;
  readonly kms: KMSClient;

  constructor(readonly pool: ClientPool, readonly change: ResourceChange, readonly ctx: ApplyContext) {
    this.backup = pool.backup(change.accountId, change.region);
    this.kms = pool.kms(change.accountId, change.region);
  }

  get address(): string {
    return this.change.address;
  }

  get stack(): string {
    return this.ctx.stack;
  }

  /** `ACCOUNT/REGION`, for messages. */
  get where(): string {
    return `${this.change.accountId}/${this.change.region}`;
  }

  /** Runs a write, waiting out the given propagation delays with visible back-off. */
  wait<T>(op: () => Promise<T>, ...rules: PropagationRule[]): Promise<T> {
    return untilPropagated(op, rules, {
      address: this.address,
      notify: (e) => this.ctx.notify(e),
      ...(this.ctx.signal ? { signal: this.ctx.signal } : {}),
      ...(this.ctx.maxWaitMs !== undefined ? { maxWaitMs: this.ctx.maxWaitMs } : {}),
      ...(this.ctx.sleep ? { sleep: this.ctx.sleep } : {}),
    });
  }

  /** The ownership tags for what is being applied: stack, address and the hash the reader will compute. */
  ownershipTags(applied: Attributes): Record<string, string> {
    const hashed: Attributes = { ...applied };
    for (const k of WRITE_ONLY[this.change.type] ?? []) delete hashed[k];
    return ownershipTags(this.stack, this.address, hashed);
  }

  appliedHash(applied: Attributes): string {
    const hashed: Attributes = { ...applied };
    for (const k of WRITE_ONLY[this.change.type] ?? []) delete hashed[k];
    return attributesHash(hashed);
  }
}

export const str = (v: unknown): string => (typeof v === "string" ? v : "");
export const record = (v: unknown): Record<string, string> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, string>) : {});
