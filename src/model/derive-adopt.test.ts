import { describe, expect, it } from "vitest";
import type { ImportDecl } from "../config/model.js";
import { deriveDesired } from "./derive.js";
import { at, config, createdKey, plan, rule, selection, vault } from "./derive-fixture.js";

function imported(kind: ImportDecl["to"]["kind"], name: string, instances: string[]): ImportDecl {
  return { address: `${kind}.${name}`, pos: at(), to: { kind, name }, instances };
}

function scenario(imports: ImportDecl[]) {
  const lock = (address: string) => ({ lock: { address: `${address}.lock`, pos: at(), minRetentionDays: 7 } });
  const daily = plan("daily", "prod", [rule("backup_plan.daily", "r", { kind: "vault_name", name: "Default" })]);
  daily.selections.push(selection("backup_plan.daily", "tables"));
  const weekly = plan("weekly", "prod", [rule("backup_plan.weekly", "r", { kind: "vault_name", name: "Default" })]);
  weekly.selections.push(selection("backup_plan.weekly", "volumes"));
  return config({
    kmsKeys: [createdKey("central", "vault", "alias/central"), createdKey("other", "vault", "alias/other")],
    vaults: [
      vault("central", "vault", "333333333333", { kmsKey: { kind: "kms_key", name: "central" }, ...lock("vault.central") }),
      vault("other", "vault", "333333333333", { kmsKey: { kind: "kms_key", name: "other" }, ...lock("vault.other") }),
    ],
    backupPlans: [daily, weekly],
    imports,
  });
}

const adopted = (imports: ImportDecl[]) => {
  const { resources, diagnostics } = deriveDesired(scenario(imports), undefined);
  expect(diagnostics).toEqual([]);
  return resources.filter((r) => r.adopt).map((r) => r.address);
};

describe("adoption in derive", () => {
  it("marks nothing without import blocks", () => {
    expect(adopted([])).toEqual([]);
  });

  it("marks what an import names, with a vault's lock and a plan's selections, and nothing else", () => {
    expect(adopted([
      imported("vault", "central", ["vault.central"]),
      imported("backup_plan", "daily", ["backup_plan.daily"]),
      imported("kms_key", "central", ["kms_key.central"]),
    ])).toEqual(["backup_plan.daily", "backup_selection.daily.tables", "kms_key.central", "vault.central", "vault_lock.central"]);
  });

  it("does not adopt a vault because its key is adopted, nor a key because its vault is", () => {
    expect(adopted([imported("kms_key", "other", ["kms_key.other"])])).toEqual(["kms_key.other"]);
    expect(adopted([imported("vault", "other", ["vault.other"])])).toEqual(["vault.other", "vault_lock.other"]);
  });
});
