// Loading a configuration: files -> syntax -> structure -> variables -> evaluation -> typed declarations ->
// imports -> cross checks. Every problem becomes a diagnostic; nothing here throws for bad input. The Config
// comes back only when there is no error.
import { setKey } from "./values.js";
import type { Diagnostic } from "./diagnostics.js";
import { hasErrors, sortDiagnostics } from "./diagnostics.js";
import { checkDeclarations } from "./checks.js";
import { resourceKinds } from "./declarations.js";
import type { DecodeContext } from "./decode-common.js";
import { decodeImports } from "./decode-imports.js";
import { decodeBackupPlan } from "./decode-plans.js";
import { decodeAccount, decodeGuardrail, decodeKmsKey, decodeOrganization, decodeSettings, decodeVault } from "./decode-resources.js";
import { Evaluator, type Instance } from "./evaluation.js";
import { builtinFunctions } from "./expr/index.js";
import { isUnknown, type Value } from "./expr/types.js";
import { readConfigFiles, type SourceFile } from "./files.js";
import { parseHcl } from "./hcl.js";
import type { Config, ResourceKind } from "./model.js";
import { orgFunctions, type OrgQueries } from "./org-functions.js";
import { rawFile, type RawBlock } from "./raw.js";
import { BlockReader } from "./reader.js";
import { checkStructure } from "./structure.js";
import { resolveVariables } from "./variables.js";

export interface LoadOptions {
  vars?: Record<string, string>;
  varFiles?: string[];
  env?: Record<string, string | undefined>;
  /** The live organization, once the engine has read it; without it, org queries are known after refresh. */
  orgQueries?: OrgQueries;
}

export interface LoadResult {
  config?: Config;
  diagnostics: Diagnostic[];
  files: SourceFile[];
}

/** Drops repeats (the same problem in every instance of a for_each block), then sorts by place. */
function finish(diags: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const d of diags) {
    const key = `${d.code}|${d.pos ? `${d.pos.file}:${d.pos.line}:${d.pos.column}` : d.address ?? ""}|${d.summary}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  return sortDiagnostics(out);
}

async function readFiles(target: string, diags: Diagnostic[]): Promise<SourceFile[]> {
  try {
    return await readConfigFiles(target);
  } catch (err) {
    const e = err as { message?: string; hint?: string };
    diags.push({ severity: "error", code: "no-configuration", summary: e.message ?? String(err), detail: e.hint ?? "Pass a directory of .hcl files or one .hcl file." });
    return [];
  }
}

export async function loadConfig(target: string, opts: LoadOptions = {}): Promise<LoadResult> {
  const diags: Diagnostic[] = [];
  const files = await readFiles(target, diags);
  if (files.length === 0) return { diagnostics: finish(diags), files };

  const roots: RawBlock[] = [];
  let syntaxBroken = false;
  for (const f of files) {
    const parsed = await parseHcl(f.name, f.text);
    if (!parsed.body) {
      diags.push(...parsed.diagnostics);
      syntaxBroken = true;
      continue;
    }
    roots.push(rawFile(f.name, f.text, parsed.body, diags));
  }
  // Without every file, every reference into a broken one would be reported as unresolved: stop here.
  if (syntaxBroken) return { diagnostics: finish(diags), files };

  const { decls, diagnostics: structural } = checkStructure(roots);
  diags.push(...structural);
  const vars = await resolveVariables(decls, { vars: opts.vars, varFiles: opts.varFiles, env: opts.env ?? process.env }, diags);
  const ev = new Evaluator(decls, vars.values, { ...builtinFunctions, ...orgFunctions(opts.orgQueries) });

  for (const [name, block] of decls.variables) checkValidations(ev, name, block, vars.values.get(name), diags);
  const locals: Record<string, Value> = {};
  for (const name of decls.locals.keys()) {
    const r = ev.local(name);
    if (r?.ok) setKey(locals, name, r.value);
  }

  const ctx: DecodeContext = { ev, diags, readers: new WeakMap(), accountIds: new Map() };
  const settingsReader = decls.settings ? new BlockReader(ev, decls.settings, { address: "crossvault" }, "crossvault", diags) : undefined;
  const settings = settingsReader ? decodeSettings(settingsReader) : undefined;
  if (settings?.defaultRegion) ctx.defaultRegion = settings.defaultRegion;
  ctx.defaultRegionSet = decls.settings?.attrs.has("default_region") ?? false;
  const organization = decls.organization
    ? decodeOrganization(new BlockReader(ev, decls.organization, { address: "organization" }, "organization", diags))
    : undefined;

  const config: Omit<Config, "settings"> = {
    variables: vars.decls, locals, accounts: [], kmsKeys: [], vaults: [], backupPlans: [], copyRoutes: [], selections: [], guardrails: [], imports: [], deferred: [],
    ...(organization ? { organization } : {}),
  };
  const decode = (inst: Instance, r: BlockReader): object | undefined => {
    switch (inst.kind) {
      case "account": {
        const a = decodeAccount(r, inst);
        if (a) {
          config.accounts.push(a);
          ctx.accountIds.set(a.name, a.id);
        }
        return a;
      }
      case "kms_key": return push(config.kmsKeys, decodeKmsKey(ctx, r, inst));
      case "vault": return push(config.vaults, decodeVault(ctx, r, inst));
      case "backup_plan": return push(config.backupPlans, decodeBackupPlan(ctx, r, inst));
      case "guardrail": return push(config.guardrails, decodeGuardrail(r, inst));
    }
  };
  // Accounts first: other blocks' ARNs need their ids.
  for (const kind of resourceKinds) {
    for (const label of decls.resources.get(kind)!.keys()) decodeBlock(ev, ctx, kind, label, config, decode);
  }
  config.copyRoutes = config.backupPlans.flatMap((p) => p.rules.flatMap((r) => r.copies));
  config.selections = config.backupPlans.flatMap((p) => p.selections);
  config.imports = decodeImports(ev, decls.imports, config, ctx.accountIds, diags);
  checkDeclarations({ ...config, ...(settings ? { settings } : {}) }, ctx.readers, diags);

  diags.push(...ev.diagnostics);
  const diagnostics = finish(diags);
  if (hasErrors(diagnostics) || !settings) return { diagnostics, files };
  return { config: { settings, ...config }, diagnostics, files };
}

function push<T extends object>(list: T[], item: T | undefined): T | undefined {
  if (item) list.push(item);
  return item;
}

function decodeBlock(
  ev: Evaluator, ctx: DecodeContext, kind: ResourceKind, label: string, config: Omit<Config, "settings">,
  decode: (inst: Instance, r: BlockReader) => object | undefined,
): void {
  const set = ev.instanceSet(kind, label);
  if (set.kind === "failed") return;
  if (set.kind === "deferred") {
    const inst = set.template;
    const forEach = inst.block.attrs.get("for_each");
    config.deferred.push({ address: `${kind}.${label}`, pos: forEach?.pos ?? inst.block.pos, reason: set.reason });
    // Still check everything that does not depend on each.*; the results are not part of the model.
    const r = new BlockReader(ev, inst.block, inst.ctx, inst.address, ctx.diags, inst, true);
    decodeDeferred(kind, inst, r, ctx);
    return;
  }
  for (const inst of set.instances) {
    const r = new BlockReader(ev, inst.block, inst.ctx, inst.address, ctx.diags, inst, false, ctx.readers);
    const decl = decode(inst, r);
    if (decl) r.own(decl);
  }
}

function decodeDeferred(kind: ResourceKind, inst: Instance, r: BlockReader, ctx: DecodeContext): void {
  if (kind === "kms_key") decodeKmsKey(ctx, r, inst);
  else if (kind === "vault") decodeVault(ctx, r, inst);
  else if (kind === "backup_plan") decodeBackupPlan(ctx, r, inst);
  else if (kind === "guardrail") decodeGuardrail(r, inst);
}

function checkValidations(ev: Evaluator, name: string, block: RawBlock, value: Value | undefined, diags: Diagnostic[]): void {
  if (value === undefined) return;
  for (const v of block.blocks) {
    if (v.type !== "validation") continue;
    const cond = v.attrs.get("condition");
    if (!cond) continue;
    const r = ev.evalAttr(cond, { address: `var.${name}`, onlyVar: name });
    if (!r.ok || isUnknown(r.value)) continue;
    if (typeof r.value !== "boolean") {
      diags.push({ severity: "error", code: "wrong-type", pos: cond.pos, address: `var.${name}`, summary: "a validation condition must be true or false", detail: "Write a comparison, e.g. var.x > 0." });
    } else if (!r.value) {
      const msg = v.attrs.get("error_message")?.value;
      diags.push({
        severity: "error", code: "variable-validation", pos: cond.pos, address: `var.${name}`,
        summary: typeof msg === "string" ? msg : `var.${name} does not meet its validation condition`,
        detail: `The value of var.${name} is ${JSON.stringify(value)}; give a value that meets the condition.`,
      });
    }
  }
}
