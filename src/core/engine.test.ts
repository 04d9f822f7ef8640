// The pipeline's pure parts: what a plan reads (accounts x regions, the organization settings, existing keys),
// the configuration hash a saved plan is checked against, and variable values carried in a saved plan, which
// must load back as the same values.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config/load.js";
import { deriveDesired } from "../model/derive.js";
import { configurationHash, homeRegionOf, readScopeOf, variablesOf, variableTexts } from "./engine.js";

const basic = fileURLToPath(new URL("../../examples/basic", import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), "crossvault-engine-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HEADER = `
crossvault {
  stack              = "t"
  management_account = account.management
}
account "management" { id = "111111111111" }
`;

describe("readScopeOf", () => {
  it("reads every declared account in every region the configuration uses, and the organization settings", async () => {
    const { config } = await loadConfig(basic, { env: {} });
    const { resources } = deriveDesired(config!, undefined);
    const scope = readScopeOf(config!, resources, homeRegionOf(config!, {}));
    expect(scope.accounts).toEqual(["111111111111", "222222222222", "333333333333"].map((accountId) => ({ accountId, regions: ["eu-west-1"] })));
    expect(scope).toMatchObject({ stack: "demo", managementAccountId: "111111111111", manageOrg: true, homeRegion: "eu-west-1", keyArns: [] });
    expect(homeRegionOf(config!, { AWS_REGION: "us-east-2" })).toBe("us-east-2");
  });

  it("reads existing keys named by ARN, even with no share of them left", async () => {
    writeFileSync(path.join(dir, "keys.hcl"), `${HEADER}
kms_key "old" {
  arn = "arn:aws:kms:eu-central-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab"
}
`);
    const { config, diagnostics } = await loadConfig(path.join(dir, "keys.hcl"), { env: {} });
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const scope = readScopeOf(config!, deriveDesired(config!, undefined).resources, "us-east-1");
    expect(scope.keyArns).toEqual(["arn:aws:kms:eu-central-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab"]);
    expect(scope.manageOrg).toBe(false);
  });
});

describe("variables in a saved plan", () => {
  it("load back as the same values, whatever their type", async () => {
    const file = path.join(dir, "vars.hcl");
    writeFileSync(file, `${HEADER}
variable "regions" {
  type    = list(string)
  default = ["eu-west-1", "us-east-1"]
}
variable "retention" {
  type    = map(number)
  default = { daily = 35, weekly = 90 }
}
variable "enabled" {
  type    = bool
  default = true
}
variable "days" {
  type    = number
  default = 7
}
variable "team" {
  type    = string
  default = "a \\"quoted\\" name"
}
`);
    const given = { regions: '["ap-south-1"]', retention: "{ daily = 1 }", enabled: "false", days: "9", team: "[not a list]" };
    const first = await loadConfig(file, { env: {}, vars: given });
    expect(first.diagnostics).toEqual([]);
    const values = variablesOf(first.config!);
    expect(values).toEqual({ days: 9, enabled: false, regions: ["ap-south-1"], retention: { daily: 1 }, team: "[not a list]" });
    const again = await loadConfig(file, { env: {}, vars: variableTexts(values) });
    expect(again.diagnostics).toEqual([]);
    expect(variablesOf(again.config!)).toEqual(values);
  });
});

describe("configurationHash", () => {
  it("changes with any file's text, not with where the directory is", async () => {
    const a = await loadConfig(basic, { env: {} });
    const b = await loadConfig(basic, { env: {} });
    expect(configurationHash(a)).toBe(configurationHash(b));
    expect(configurationHash(a)).toMatch(/^sha256:[0-9a-f]{64}$/);
    const edited = { ...a, files: a.files.map((f, i) => (i === 0 ? { ...f, text: `${f.text}\n` } : f)) };
    expect(configurationHash(edited)).not.toBe(configurationHash(a));
    const moved = { ...a, files: a.files.map((f) => ({ ...f, path: path.join("/elsewhere", path.basename(f.path)) })).reverse() };
    expect(configurationHash(moved)).toBe(configurationHash(a));
  });
});
