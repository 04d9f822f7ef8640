import { describe, expect, it } from "vitest";
import { deriveDesired } from "./derive.js";
import { config, createdKey, existingKey, vault } from "./derive-fixture.js";

const EXISTING_ARN = "arn:aws:kms:eu-west-1:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

describe("kms_key", () => {
  it("derives a created key by alias, its ARN pending, the deletion window write-only", () => {
    const { resources } = deriveDesired(config({ kmsKeys: [createdKey("central", "vault", "alias/central", { tags: { team: "p" }, enableKeyRotation: false, deletionWindowDays: 7 })] }), undefined);
    expect(resources).toEqual([{
      address: "kms_key.central", type: "kms_key", accountId: "333333333333", region: "eu-west-1", identity: "kms_key:333333333333/eu-west-1/alias/central",
      pos: expect.any(Object), dependsOn: [], writeOnly: ["deletion_window_days"],
      attributes: { alias: "alias/central", description: "", enable_key_rotation: false, tags: { team: "p" }, deletion_window_days: 7, arn: { $pending: { address: "kms_key.central", attribute: "arn" } } },
    }]);
  });

  it("derives nothing for an existing key", () => {
    expect(deriveDesired(config({ kmsKeys: [existingKey("legacy", EXISTING_ARN)] }), undefined).resources).toEqual([]);
  });
});

describe("vault and vault_lock", () => {
  it("encrypts with the created key (pending ARN, after the key), an existing key's ARN, or the AWS managed key", () => {
    const c = config({
      kmsKeys: [createdKey("central", "vault", "alias/central"), existingKey("legacy", EXISTING_ARN)],
      vaults: [
        vault("a", "vault", "333333333333", { kmsKey: { kind: "kms_key", name: "central" }, tags: { DestinationBackupVault: "true" } }),
        vault("b", "vault", "333333333333", { kmsKey: { kind: "kms_key", name: "legacy" } }),
        vault("c", "vault", "333333333333", { kmsKey: { kind: "kms_key_arn", arn: EXISTING_ARN } }),
        vault("d", "vault", "333333333333"),
      ],
    });
    const { resources, diagnostics } = deriveDesired(c, undefined);
    expect(diagnostics).toEqual([]);
    const v = (name: string) => resources.find((r) => r.address === `vault.${name}`)!;
    expect(v("a")).toMatchObject({
      identity: "vault:333333333333/eu-west-1/a", dependsOn: ["kms_key.central"],
      attributes: { name: "a", encryption_key_arn: { $pending: { address: "kms_key.central", attribute: "arn" } }, tags: { DestinationBackupVault: "true" }, arn: "arn:aws:backup:eu-west-1:333333333333:backup-vault:a" },
    });
    expect(v("b")).toMatchObject({ dependsOn: [], attributes: { encryption_key_arn: EXISTING_ARN } });
    expect(v("c").attributes.encryption_key_arn).toBe(EXISTING_ARN);
    expect(v("d").attributes.encryption_key_arn).toBe("alias/aws/backup");
    expect(v("d").preventDestroy).toBeUndefined();
  });

  it("derives the lock with only what is set, after its vault, changeable_for_days write-only, protected with the vault", () => {
    const locked = vault("central", "vault", "333333333333", {
      key: "x", vaultName: "central-x", preventDestroy: true,
      lock: { address: 'vault.central["x"].lock', pos: { file: "v.hcl", line: 5, column: 3 }, minRetentionDays: 7, changeableForDays: 3 },
    });
    const { resources } = deriveDesired(config({ vaults: [locked] }), undefined);
    expect(resources.find((r) => r.type === "vault")).toMatchObject({ address: 'vault.central["x"]', preventDestroy: true });
    expect(resources.find((r) => r.type === "vault_lock")).toEqual({
      address: 'vault_lock.central["x"]', type: "vault_lock", accountId: "333333333333", region: "eu-west-1", identity: "vault_lock:333333333333/eu-west-1/central-x",
      pos: { file: "v.hcl", line: 5, column: 3 }, dependsOn: ['vault.central["x"]'], preventDestroy: true, writeOnly: ["changeable_for_days"],
      attributes: { vault_name: "central-x", min_retention_days: 7, changeable_for_days: 3 },
    });
  });

  it("leaves out a vault whose key is not known yet, with an error", () => {
    const c = config({ vaults: [vault("v", "vault", "333333333333", { kmsKey: { $unknown: "after-refresh", reason: "x is known after refresh" } })] });
    const { resources, diagnostics } = deriveDesired(c, undefined);
    expect(resources).toEqual([]);
    expect(diagnostics).toMatchObject([{ severity: "error", code: "value-unknown", address: "vault.v" }]);
  });
});
