// End to end: a configuration whose instances come from the organization (`for_each = accounts_in_ou(...)`) is
// planned, applied and planned again with nothing to do. The OU's accounts are declared nowhere else, so they are
// known only after the organization walk, while the declared accounts' lists are read ahead of it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planLines, PROD, STAGING, startEngineWorld, VAULT, vaultNames, writeConfig } from "./engine-cli-support.js";
import type { EngineWorld } from "./engine-cli-support.js";

const config = `crossvault {
  stack              = "outest"
  management_account = account.management
  default_region     = "eu-west-1"
}
account "management" { id = "111111111111" }
account "vault" { id = "${VAULT}" }
organization { cross_account_backup = true }
vault "central" {
  account = account.vault
  name    = "central"
  allow_copy_from {
    organization = true
  }
}
vault "local" {
  for_each = accounts_in_ou("ou-a1b2-work0001")
  account  = each.value
  name     = "outest-local"
}
`;

describe("instances from the organization", () => {
  let w: EngineWorld;
  let dir: string;

  beforeAll(async () => {
    w = await startEngineWorld();
    dir = writeConfig(w, "org-queries", { "main.hcl": config });
  });
  afterAll(async () => {
    await w?.stop();
  });

  it("plans a vault in each account of the OU, applies them, then has nothing to do", async () => {
    const plan = await w.cli(["plan", dir, "--detailed-exitcode"]);
    expect(plan.code, plan.stderr).toBe(2);
    expect(planLines(plan.stdout)).toEqual(expect.arrayContaining([
      expect.stringContaining(`vault.local["${PROD}"]`), expect.stringContaining(`vault.local["${STAGING}"]`),
    ]));
    const apply = await w.cli(["apply", dir, "--auto-approve"]);
    expect(apply.code, apply.stderr).toBe(0);
    expect(await vaultNames(w, PROD)).toContain("outest-local");
    expect(await vaultNames(w, STAGING)).toContain("outest-local");
    const again = await w.cli(["plan", dir, "--detailed-exitcode"]);
    expect(again.code, again.stdout).toBe(0);
  }, 120_000);
});
