// Decoding `import` blocks. `to` is a static resource address, as in Terraform: read from the expression's
// syntax, never evaluated, and checked against the declared blocks and their for_each instances. `id`, when
// given, must name the object the configuration already names (a vault's name or ARN, a plan's name, a key's
// alias), because that name is what the engine finds the existing object by; an id that names another object
// would otherwise be silently ignored.
import type { Diagnostic, SourcePos } from "./diagnostics.js";
import { instanceAddress, isResourceKind } from "./declarations.js";
import type { Evaluator } from "./evaluation.js";
import { suggest } from "./expr/suggest.js";
import type { Expr, Span } from "./expr/types.js";
import type { AdoptableKind, BackupPlanDecl, Config, ImportDecl, KmsKeyDecl, VaultDecl } from "./model.js";
import type { RawAttr, RawBlock } from "./raw.js";
import { BlockReader } from "./reader.js";
import { compileAttr, locPos } from "./values.js";

const ADOPTABLE: readonly AdoptableKind[] = ["vault", "kms_key", "backup_plan"];

const EXAMPLE = 'For example to = vault.central, or to = vault.local["prod"] for one instance of a for_each block.';

type Declared = Pick<Config, "vaults" | "kmsKeys" | "backupPlans">;

interface Target {
  kind: AdoptableKind;
  name: string;
  key?: string;
  /** The reference as a whole, and its key step. */
  pos: SourcePos;
  keyPos?: SourcePos;
}

function isAdoptable(kind: string): kind is AdoptableKind {
  return (ADOPTABLE as readonly string[]).includes(kind);
}

/** A literal string key (`["prod"]`); undefined for anything computed. */
function literalKey(e: Expr): string | undefined {
  if (e.type === "parens") return literalKey(e.inner);
  if (e.type === "literal" && typeof e.value === "string") return e.value;
  if (e.type === "template" && e.parts.length === 1 && typeof e.parts[0] === "string") return e.parts[0];
  return undefined;
}

class ImportReader {
  constructor(
    private readonly ev: Evaluator,
    private readonly diags: Diagnostic[],
  ) {}

  problem(pos: SourcePos, address: string | undefined, code: string, summary: string, detail: string): undefined {
    this.diags.push({ severity: "error", code, pos, ...(address !== undefined ? { address } : {}), summary, detail });
    return undefined;
  }

  /** The resource `to` names, from the syntax alone. */
  target(attr: RawAttr): Target | undefined {
    const { tree, diagnostics } = compileAttr(attr, "import");
    this.diags.push(...diagnostics);
    if (tree.kind === "invalid") return undefined;
    const e = tree.kind === "expr" ? tree.expr : undefined;
    if (!e || e.type !== "traversal") {
      const quoted = e?.type === "literal" && typeof e.value === "string" ? e.value : undefined;
      return this.problem(attr.pos, undefined, "import-target", "to must be the address of a resource, not a value",
        quoted !== undefined ? `Write the address without quotes: to = ${quoted}.` : EXAMPLE);
    }
    const at = (span: Span): SourcePos => locPos(tree.loc, span.start);
    const pos = at(e);
    if (!isResourceKind(e.root) || !isAdoptable(e.root)) {
      const what = isResourceKind(e.root) ? `${e.root} resources cannot be imported` : `"${e.root}" is not a resource type`;
      return this.problem(pos, undefined, "import-target", `${what}: crossvault adopts vaults, KMS keys and backup plans`, EXAMPLE);
    }
    const [first, ...rest] = e.steps;
    const label = first === undefined ? undefined : first.kind === "attr" ? first.name : literalKey(first.key);
    if (label === undefined) {
      return this.problem(pos, undefined, "import-target", `to must name one ${e.root} block, not every ${e.root}`, EXAMPLE);
    }
    const keyStep = rest[0];
    if (keyStep === undefined) return { kind: e.root, name: label, pos };
    const key = keyStep.kind === "index" ? literalKey(keyStep.key) : undefined;
    const address = instanceAddress(e.root, label, key);
    if (keyStep.kind === "attr" || rest.length > 1) {
      const step = keyStep.kind === "attr" ? keyStep : rest[1]!;
      return this.problem(at(step), address, "import-target", `to names an attribute of ${address}; name the resource itself`, `Write to = ${address}.`);
    }
    if (key === undefined) {
      return this.problem(at(keyStep), instanceAddress(e.root, label), "import-target", "to must be a static address: an instance key is a literal string", EXAMPLE);
    }
    return { kind: e.root, name: label, key, pos, keyPos: at(keyStep) };
  }

  /** The instances `to` names, checked against the declared blocks; undefined when it names none. */
  instances(t: Target, block: RawBlock): { address: string; instances: string[]; all: boolean } | undefined {
    const declared = this.ev.decls.resources.get(t.kind)!;
    const bare = instanceAddress(t.kind, t.name);
    const resource = declared.get(t.name);
    if (!resource) {
      const s = suggest(t.name, [...declared.keys()]);
      return this.problem(t.pos, bare, "import-undeclared", `import names ${bare}, which the configuration does not declare`,
        s !== undefined
          ? `Did you mean "${s}"? An import adopts an existing object into a resource the configuration declares.`
          : `An import adopts an existing object into a resource the configuration declares: declare ${t.kind} "${t.name}" { ... } with the object's name, account and Region.`);
    }
    if (t.kind === "kms_key" && resource.attrs.has("arn")) {
      return this.problem(t.pos, bare, "import-target", `${bare} is an existing key named by arn: crossvault shares it but never owns it, so there is nothing to import`,
        "To have crossvault manage the key itself, declare it with account and alias (the alias it carries) instead of arn.");
    }
    const set = this.ev.instanceSet(t.kind, t.name);
    // A broken for_each was reported with the block.
    if (set.kind === "failed") return undefined;
    const address = t.key === undefined ? bare : instanceAddress(t.kind, t.name, t.key);
    const whole = t.key === undefined && (set.kind === "deferred" || set.forEach);
    if (whole && block.attrs.has("id")) {
      return this.problem(block.attrs.get("id")!.pos, bare, "import-id", `one id cannot name every instance of ${bare}`,
        `Leave id out (each instance adopts the object of its own name), or import one instance: to = ${bare}["KEY"].`);
    }
    // The instances are known only once the organization is read: plan checks the key then.
    if (set.kind === "deferred") return { address, instances: [], all: whole };
    if (t.key === undefined) return { address, instances: set.instances.map((i) => i.address), all: whole };
    if (!set.forEach) {
      return this.problem(t.keyPos ?? t.pos, bare, "import-target", `${bare} has no for_each, so it has no instance ${JSON.stringify(t.key)}`, `Write to = ${bare}.`);
    }
    if (!set.byKey.has(t.key)) {
      const keys = [...set.byKey.keys()];
      const s = suggest(t.key, keys);
      return this.problem(t.keyPos ?? t.pos, address, "import-undeclared", `import names ${address}, but ${bare} has no instance ${JSON.stringify(t.key)}`,
        s !== undefined ? `Did you mean "${s}"?` : `Its for_each keys are: ${keys.map((k) => JSON.stringify(k)).join(", ") || "(none)"}.`);
    }
    return { address, instances: [address], all: false };
  }
}

const KEY_ID = /^(?:mrk-)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$|^(?:mrk-)?[0-9a-f]{32}$/i;
const KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\//;
const ALIAS_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):(alias\/.+)$/;
const PLAN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Why `id` does not name the object the configuration names, as [summary, advice]; undefined when it does. */
function idMismatch(id: string, decl: VaultDecl | BackupPlanDecl | KmsKeyDecl, accountId: string | undefined): [string, string] | undefined {
  if ("vaultName" in decl) {
    if (id === decl.vaultName || id === decl.arn) return undefined;
    return [`id "${id}" is not the vault ${decl.address} declares ("${decl.vaultName}" in ${accountId ?? "its account"}/${decl.region})`,
      `crossvault finds an existing vault by its name in the vault's account and Region: to adopt the vault "${id}", set name = "${id}" on ${decl.address}; otherwise correct id, or leave it out.`];
  }
  if ("planName" in decl) {
    if (id === decl.planName) return undefined;
    const byId = PLAN_ID.test(id) || id.startsWith("arn:");
    return [`id "${id}" is not the backup plan ${decl.address} declares ("${decl.planName}")`,
      byId
        ? `crossvault finds an existing backup plan by its name, not by its id or ARN: give the plan's name (id = "${decl.planName}" if that is the one), or leave id out.`
        : `crossvault finds an existing backup plan by its name in the plan's account and Region: to adopt the plan "${id}", set name = "${id}" on ${decl.address}; otherwise correct id, or leave it out.`];
  }
  if (decl.mode !== "created") return undefined;
  const aliasArn = ALIAS_ARN.exec(id);
  if (id === decl.alias || (aliasArn && aliasArn[3] === decl.alias && aliasArn[1] === decl.region && (accountId === undefined || aliasArn[2] === accountId))) return undefined;
  if (KEY_ID.test(id) || KEY_ARN.test(id)) {
    return [`a kms_key is imported by its alias, not by its key id or key ARN`,
      `crossvault finds the keys it manages by their alias in the key's account and Region: give the alias the existing key carries (id = "${decl.alias}" if that is the one) and the same alias on ${decl.address}. A key without an alias needs one first (kms:CreateAlias).`];
  }
  return [`id "${id}" is not the alias ${decl.address} declares ("${decl.alias}")`,
    `crossvault finds an existing key by its alias in the key's account and Region: to adopt the key behind "${id}", set alias = "${id}" on ${decl.address}; otherwise correct id, or leave it out.`];
}

/**
 * Every `import` block of the configuration, once the resources are decoded (the id is checked against
 * them). Problems go to `diags`; an import with a problem is left out.
 */
export function decodeImports(ev: Evaluator, blocks: readonly RawBlock[], declared: Declared, accountIds: ReadonlyMap<string, string>, diags: Diagnostic[]): ImportDecl[] {
  const reader = new ImportReader(ev, diags);
  const byInstance = new Map<string, SourcePos>();
  const out: ImportDecl[] = [];
  for (const block of blocks) {
    const to = block.attrs.get("to");
    if (!to) continue; // reported by the structure check
    const target = reader.target(to);
    const named = target && reader.instances(target, block);
    if (!target || !named) continue;
    const r = new BlockReader(ev, block, { address: named.address }, named.address, diags);
    const id = r.string("id");
    const taken = [named.address, ...named.instances].map((a) => byInstance.get(a)).find((p) => p !== undefined);
    if (taken) {
      reader.problem(target.pos, named.address, "duplicate-import", `${named.address} is imported twice`, `The first import is at ${taken.file}:${taken.line}:${taken.column}; keep one.`);
      continue;
    }
    for (const a of [named.address, ...named.instances]) byInstance.set(a, target.pos);
    if (id !== undefined && named.instances.length === 1) {
      const decl = findDecl(declared, target.kind, named.instances[0]!);
      const account = decl?.account;
      const accountId = account === undefined ? undefined : account.kind === "account_id" ? account.id : accountIds.get(account.name);
      const mismatch = decl && idMismatch(id, decl, accountId);
      if (mismatch) {
        r.problem("id", "import-id", mismatch[0], mismatch[1]);
        continue;
      }
    }
    out.push({
      address: named.address, pos: block.pos, instances: named.instances,
      to: { kind: target.kind, name: target.name, ...(target.key !== undefined ? { key: target.key } : {}), ...(named.all ? { all: true } : {}) },
      ...(id !== undefined ? { id } : {}),
    });
  }
  return out;
}

function findDecl(c: Declared, kind: AdoptableKind, address: string): VaultDecl | BackupPlanDecl | KmsKeyDecl | undefined {
  if (kind === "vault") return c.vaults.find((v) => v.address === address);
  if (kind === "backup_plan") return c.backupPlans.find((p) => p.address === address);
  return c.kmsKeys.find((k) => k.address === address);
}
