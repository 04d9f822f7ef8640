// What one rule says about one route in one world, and the helpers every rule shares: naming a statement
// (Sid, or `#index` when it has none), evaluating a policy whose syntax the evaluator may not accept, and the
// route's ends as the worlds hold them.
import type { RouteFailure } from "../../core/plan-types.js";
import { PolicySyntaxError, type PolicyDocument, type Statement, type StatementRef } from "../policy/index.js";
import type { CarriedTypes } from "./resource-types.js";
import { vaultKey, type CopyRoute, type Readable, type RouteWorld, type WorldKey, type WorldVault } from "./types.js";

export type RuleFailure = Omit<RouteFailure, "when">;

export interface RuleOutcome {
  /** Seed rule id without brackets: "S4". */
  rule: string;
  status: "ok" | "fail" | "unknown";
  /** Why it fails or cannot be decided. */
  failure?: RuleFailure;
  /** The statement that lets the route through, to name it where the other world lacks it. */
  allow?: { policy: string; statement: string };
}

export interface RouteContext {
  world: RouteWorld;
  route: CopyRoute;
  crossAccount: boolean;
  carried: CarriedTypes;
}

export function ok(rule: string, allow?: RuleOutcome["allow"]): RuleOutcome {
  return allow ? { rule, status: "ok", allow } : { rule, status: "ok" };
}

export function fail(failure: RuleFailure): RuleOutcome {
  return { rule: failure.rule, status: "fail", failure };
}

export function unknown(rule: string, message: string, fix: string, policy?: string): RuleOutcome {
  return { rule, status: "unknown", failure: { rule, message: `cannot tell: ${message}`, fix, ...(policy !== undefined ? { policy } : {}) } };
}

export function statementName(ref: Pick<StatementRef, "sid" | "index">): string {
  return ref.sid !== undefined && ref.sid !== "" ? ref.sid : `#${ref.index}`;
}

/** Runs an evaluation; a policy the evaluator cannot read becomes the error text. */
export function evaluated<T>(run: () => T): { value: T } | { error: string } {
  try {
    return { value: run() };
  } catch (e) {
    if (e instanceof PolicySyntaxError) return { error: e.message };
    throw e;
  }
}

/** `ACCOUNT/REGION/NAME` of a vault, for messages. */
export function vaultName(v: { accountId: string; region: string; name: string }): string {
  return `${v.accountId}/${v.region}/${v.name}`;
}

const NOT_READ: Readable<never> = { ok: false, reason: "it was not read" };

export function sourceVault(ctx: RouteContext): Readable<WorldVault | null> {
  const s = ctx.route.source;
  return ctx.world.vaults.get(vaultKey(s.accountId, s.region, s.vault)) ?? NOT_READ;
}

export function destinationVault(ctx: RouteContext): Readable<WorldVault | null> {
  const d = ctx.route.destination;
  if (!d) return { ok: true, value: null };
  return ctx.world.vaults.get(vaultKey(d.accountId, d.region, d.vault)) ?? NOT_READ;
}

export function keyOf(world: RouteWorld, ref: string): Readable<WorldKey | null> {
  return world.keys.get(ref) ?? NOT_READ;
}

/** The document the evaluator takes, built once per statement list. */
const documents = new WeakMap<object, PolicyDocument>();
export function documentOf(statements: unknown[]): PolicyDocument {
  let doc = documents.get(statements);
  if (!doc) {
    // The evaluator checks each statement's shape itself (PolicySyntaxError): no need to trust the type here.
    doc = { Version: "2012-10-17", Statement: statements as Statement[] };
    documents.set(statements, doc);
  }
  return doc;
}
