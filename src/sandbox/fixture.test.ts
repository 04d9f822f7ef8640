import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createWorld, DEFAULT_FIXTURE, FixtureError, loadFixtureFile, validateFixture } from "./fixture.js";

const dir = mkdtempSync(join(tmpdir(), "crossvault-fixture-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const minimal = {
  organization_id: "o-a1b2c3d4e5",
  management_account: "111111111111",
  root_id: "r-a1b2",
  organizational_units: [{ id: "ou-a1b2-prod0001", name: "Prod", parent: "r-a1b2" }],
  accounts: [
    { id: "111111111111", name: "management", parent: "r-a1b2" },
    { id: "222222222222", name: "prod", parent: "ou-a1b2-prod0001" },
  ],
  outside_accounts: ["999999999999"],
};

describe("validateFixture", () => {
  it("accepts the issue's example and the built-in organization", () => {
    expect(validateFixture(minimal)).toBe(minimal);
    expect(validateFixture(DEFAULT_FIXTURE)).toBe(DEFAULT_FIXTURE);
  });

  it.each([
    [{ ...minimal, organization_id: "org-1" }, "organization_id"],
    [{ ...minimal, accounts: [minimal.accounts[0], { id: "22", name: "x", parent: "r-a1b2" }] }, "accounts[1].id"],
    [{ ...minimal, accounts: [minimal.accounts[0], { id: "222222222222", name: "x", parent: "ou-a1b2-nope0001" }] }, "accounts[1].parent"],
    [{ ...minimal, accounts: [minimal.accounts[1]] }, "accounts"],
    [{ ...minimal, outside_accounts: ["222222222222"] }, "outside_accounts[0]"],
    [{ ...minimal, organizational_units: [{ id: "ou-a1b2-aaaa0001", name: "A", parent: "ou-a1b2-bbbb0001" }, { id: "ou-a1b2-bbbb0001", name: "B", parent: "ou-a1b2-aaaa0001" }] }, "organizational_units[0].parent"],
    [{ ...minimal, access_keys: { AKIAXXXXXXXXXXXXXXXX: "555555555555" } }, "access_keys.AKIAXXXXXXXXXXXXXXXX"],
    [{ ...minimal, policies: [{ id: "p-guardrail1", name: "g", content: {}, targets: ["ou-a1b2-none0001"] }] }, "policies[0].targets[0]"],
    [{ ...minimal, colour: "blue" }, "colour"],
  ])("names the wrong field (%#)", (fixture, field) => {
    expect(() => validateFixture(fixture, "org.json")).toThrow(FixtureError);
    expect(() => validateFixture(fixture, "org.json")).toThrow(`org.json: ${field}: `);
  });

  it("agrees with the documented JSON Schema on the fields it knows", () => {
    const schema = JSON.parse(readFileSync(new URL("../../docs/sandbox-org.schema.json", import.meta.url), "utf8"));
    expect(Object.keys(schema.properties).sort()).toEqual(["$schema", ...Object.keys({ ...minimal, access_keys: 0, policy_types: 0, trusted_access: 0, policies: 0 })].sort());
    expect(() => validateFixture({ ...minimal, $schema: "../docs/sandbox-org.schema.json" })).not.toThrow();
  });

  it("reports JSON syntax errors with line and column", () => {
    const file = join(dir, "broken.json");
    writeFileSync(file, '{\n  "organization_id": "o-a1b2c3d4e5",\n  oops\n}');
    expect(() => loadFixtureFile(file)).toThrow(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:3:3`));
  });
});

describe("createWorld", () => {
  const world = createWorld(DEFAULT_FIXTURE, 1_000);

  it("attaches FullAWSAccess to the root, every OU and every account, with SCPs enabled", () => {
    const full = world.org.policies["p-FullAWSAccess"]!;
    expect(full.awsManaged).toBe(true);
    expect(full.targets).toEqual(expect.arrayContaining(["r-a1b2", "ou-a1b2-prod0001", "ou-a1b2-secu0001", "111111111111", "444444444444"]));
    expect(world.org.enabledPolicyTypes).toEqual(["SERVICE_CONTROL_POLICY"]);
    expect(world.org.serviceAccess.current).toEqual({});
  });

  it("gives every member account OrganizationAccountAccessRole, and the management account none", () => {
    expect(world.identity.roles["222222222222"]).toEqual(["OrganizationAccountAccessRole"]);
    expect(world.identity.roles["111111111111"]).toEqual([]);
    expect(world.identity.roles["999999999999"]).toBeUndefined();
  });

  it("can start with SCPs disabled and trusted access on", () => {
    const w = createWorld({ ...minimal, policy_types: [], trusted_access: ["backup.amazonaws.com"] }, 5);
    expect(w.org.enabledPolicyTypes).toEqual([]);
    expect(w.org.policies["p-FullAWSAccess"]!.targets).toEqual([]);
    expect(w.org.serviceAccess.current).toEqual({ "backup.amazonaws.com": 5 });
  });

  it("is JSON-serialisable", () => {
    expect(JSON.parse(JSON.stringify(world))).toEqual(world);
  });
});
