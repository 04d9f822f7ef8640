import { describe, expect, it } from "vitest";
import { parseHcl } from "./hcl.js";
import { rawFile } from "./raw.js";
import { checkStructure } from "./structure.js";

async function check(text: string) {
  const parsed = await parseHcl("s.hcl", text);
  expect(parsed.diagnostics).toEqual([]);
  const diags: never[] = [];
  const r = checkStructure([rawFile("s.hcl", text, parsed.body!, diags)]);
  return { ...r, found: r.diagnostics.map((d) => `${d.pos?.line}:${d.pos?.column} ${d.code} ${d.summary}`) };
}

const settings = 'crossvault {\n  stack = "s"\n  management_account = account.m\n}\n';

describe("checkStructure", () => {
  it("collects declarations by name", async () => {
    const r = await check(`${settings}account "m" {\n  id = "111111111111"\n}\nlocals {\n  a = 1\n}\nvariable "v" {\n}\n`);
    expect(r.found).toEqual([]);
    expect([...r.decls.resources.get("account")!.keys()]).toEqual(["m"]);
    expect([...r.decls.locals.keys()]).toEqual(["a"]);
    expect([...r.decls.variables.keys()]).toEqual(["v"]);
    expect(r.decls.settings?.type).toBe("crossvault");
  });

  it("tells blocks written as attributes, and attributes written as blocks, apart from unknown names", async () => {
    const r = await check(`${settings}vault "v" {\n  account = account.m\n  lock = {}\n  tags {\n  }\n  tag = {}\n}\n`);
    expect(r.found).toEqual([
      '7:3 unknown-attribute "lock" is a block, not an attribute',
      '10:3 unknown-attribute unknown attribute "tag" in vault',
      '8:3 unknown-block "tags" is an attribute, not a block',
    ]);
    expect(r.diagnostics[1]!.detail).toBe('Did you mean "tags"?');
  });

  it("reports nested duplicates, missing required blocks and wrong label counts", async () => {
    const r = await check(`${settings}backup_plan "p" {\n  account = account.m\n}\nvault "v" {\n  account = account.m\n  lock {\n  }\n  lock {\n  }\n}\naccount "a" "b" {\n  id = "1"\n}\n`);
    expect(r.found).toEqual([
      "5:1 missing-block backup_plan needs at least one rule block",
      "12:3 duplicate-block only one lock block is allowed here",
      '15:13 block-labels account takes 1 label (name), found 2',
    ]);
  });

  it("requires the crossvault block once", async () => {
    expect((await check('account "m" {\n  id = "1"\n}\n')).found).toEqual(["1:1 missing-block the configuration has no crossvault block"]);
    expect((await check(settings + settings)).found).toEqual(["5:1 duplicate-block only one crossvault block is allowed"]);
  });
});
