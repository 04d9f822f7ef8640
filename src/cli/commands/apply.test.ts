// The command lines apply's hints repeat: the plan's own mode, targets and directory, never a bare `crossvault apply`.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { commandFor } from "./apply.js";

const plan = (over: Partial<Parameters<typeof commandFor>[0]> = {}): Parameters<typeof commandFor>[0] => ({
  config: { path: path.join(process.cwd(), "infra", "backup"), hash: "h" },
  targets: [],
  mode: "apply",
  variables: {},
  ...over,
});

describe("commandFor", () => {
  it("repeats an apply plan's directory, relative to here when it is below", () => {
    expect(commandFor(plan(), "plan")).toBe(`\`crossvault plan ${path.join("infra", "backup")}\``);
    expect(commandFor(plan(), "apply")).toBe(`\`crossvault apply ${path.join("infra", "backup")}\``);
    expect(commandFor(plan({ config: { path: process.cwd(), hash: "h" } }), "apply")).toBe("`crossvault apply .`");
  });

  it("keeps a destroy a destroy, with its targets, and says that variables must be given again", () => {
    const destroy = plan({ mode: "destroy", targets: ["vault.central", "kms_key.central"], variables: { retention: 35 } });
    expect(commandFor(destroy, "plan", " --out p.json")).toBe(
      `\`crossvault plan --destroy --target vault.central --target kms_key.central ${path.join("infra", "backup")} --out p.json\` (with the same --var and --var-file values)`,
    );
    expect(commandFor(destroy, "apply")).toMatch(/^`crossvault destroy --target vault\.central --target kms_key\.central /);
  });

  it("shows a directory outside this one as it is", () => {
    const elsewhere = path.resolve(process.cwd(), "..", "elsewhere-config");
    expect(commandFor(plan({ config: { path: elsewhere, hash: "h" } }), "plan")).toBe(`\`crossvault plan ${elsewhere}\``);
  });
});
