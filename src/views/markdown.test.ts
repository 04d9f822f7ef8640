import { describe, expect, it } from "vitest";
import { markerLine, renderMarkdown } from "./markdown.js";
import { createOnlyPlan, generatedPlan, mixedPlan, noChangePlan, reviewPlan } from "./plan-examples.js";

const OPTS = { toolVersion: "0.1.0", planFile: "plan.json" };

/** Where each part of the comment starts, for order assertions. */
function positions(md: string, marks: string[]): number[] {
  return marks.map((m) => {
    const at = md.indexOf(m);
    expect(at, `missing ${JSON.stringify(m)}`).toBeGreaterThanOrEqual(0);
    return at;
  });
}

const headings = (md: string): string[] => md.split("\n").filter((l) => l.startsWith("##### ")).map((l) => l.slice(6));

describe("renderMarkdown", () => {
  it.each([["a create-only plan", createOnlyPlan], ["a plan with no changes", noChangePlan], ["a mixed plan", mixedPlan], ["a plan for review", reviewPlan]])("renders %s", (_name, make) => {
    const md = renderMarkdown(make(), OPTS);
    expect(md).toMatchSnapshot();
    expect(md.split("\n")[0]).toBe("<!-- crossvault:plan stack=backup-core -->");
    expect(md.trimEnd().endsWith("</details>")).toBe(true);
  });

  it("puts the parts in the order a reviewer reads them", () => {
    const md = renderMarkdown(reviewPlan(), OPTS);
    const at = positions(md, [
      markerLine("backup-core"),
      "### crossvault plan for stack `backup-core`",
      "<details><summary><b>Plan: 5 to add, 3 to change, 4 to destroy.</b> 3 changes broaden access · 3 vaults or keys could lose data · cannot be applied</summary>",
      "> **4 objects destroyed or replaced**",
      "> **3 vaults or keys could lose data:**",
      "> **3 changes broaden access:**",
      "#### Changes by account",
      "#### Changed outside crossvault",
      "#### Details",
      "#### Findings",
      "#### Copy routes",
      "```mermaid",
      "#### Next steps",
      "</details>",
    ]);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(md).toContain("| 111111111111, 222222222222, 333333333333, 444444444444 | eu-west-1, us-east-1 | 0.1.0 |");
  });

  it("shows changed attributes as diffs, multi-line values line by line, and policies as statement tables", () => {
    const md = renderMarkdown(reviewPlan(), OPTS);
    expect(md).toContain("```diff\n- encryption_key_arn = \"arn:aws:kms:eu-west-1:222222222222:key/1111aaaa-2222-bbbb-3333-cccc4444dddd\"\n+ encryption_key_arn = (known after apply)  # forces replacement\n  # (3 unchanged attributes hidden)\n```");
    // The rule list changed in two places: only those lines are marked.
    expect(md).toContain('-         "schedule": "cron(0 5 ? * * *)",\n+         "schedule": "cron(0 3 ? * * *)",\n          "start_window_minutes": 480,');
    expect(md).toContain('+             "destination_vault_arn": "arn:aws:backup:eu-west-1:444444444444:backup-vault:archive",');
    expect(md).toContain("Vault access policy statements: **broadens access**\n\n| ± | Sid | Effect | Action | Principal | Resource | Condition |");
    expect(md).toContain("| + | Crossvault11xbackupXcoreOrgCopyInto | Allow | backup:CopyIntoBackupVault | \\* | \\* | StringEquals aws:PrincipalOrgID: o-example |");
    expect(md).toContain("| kms:Decrypt<br>kms:DescribeKey<br>kms:Encrypt<br>kms:GenerateDataKey\\*<br>kms:ReEncrypt\\* |");
    expect(md).toContain("Service control policy statements: narrows access");
    // Statement paths are not repeated in the diff when the table shows them.
    expect(md).not.toContain('statements["Crossvault11xbackupXcoreOrgCopyInto"]');
    expect(md).toContain("  # policy statements: see the table below");
  });

  it("draws the copy routes: accounts as subgraphs, vaults as nodes, edges marked new, changed, removed and failing", () => {
    const md = renderMarkdown(reviewPlan(), OPTS);
    const diagram = md.slice(md.indexOf("```mermaid"), md.indexOf("```", md.indexOf("```mermaid") + 3));
    expect(diagram).toContain('subgraph a0["account 222222222222"]');
    expect(diagram).toContain('v0["central<br/>eu-west-1"]');
    expect(diagram).toContain('v2 -->|"changed"| v0');
    expect(diagram).toContain('v2 ==>|"new, fails"| v3');
    expect(diagram).toContain("v4 --> v0");
    expect(diagram).toContain('v5 -.->|"removed"| v1');
    expect(md).toContain("4 routes, checked on the live state and on the planned state: **1 will fail after apply**.");
    expect(md).toContain("- `333333333333/eu-west-1/local -> 444444444444/eu-west-1/archive`: fails now, fails after apply\n  - [S4] the access policy of vault archive");
  });

  it("reads the routes from the backup plans' copy actions when the plan carries no route check", () => {
    const plan = reviewPlan();
    delete plan.routes;
    const md = renderMarkdown(plan, OPTS);
    expect(md).toContain("2 routes, read from the backup plans' copy actions");
    expect(md).toMatch(/v\d -->\|"new"\| v\d/);
    expect(md).toMatch(/v\d -->\|"changed"\| v\d/);
    expect(md).not.toContain("fails");
  });

  it("says how to apply exactly the saved plan, and that a stale plan is refused", () => {
    const md = renderMarkdown(createOnlyPlan(), OPTS);
    expect(md).toContain("```sh\ncrossvault apply plan.json\n```");
    expect(md).toContain("refuses the saved plan once anything it read has changed");
    expect(renderMarkdown(createOnlyPlan(), { toolVersion: "0.1.0", planFile: "my plan.json" })).toContain("crossvault apply 'my plan.json'");
    expect(renderMarkdown(createOnlyPlan(), { toolVersion: "0.1.0" })).toContain("crossvault plan --out plan.json\ncrossvault apply plan.json");
    expect(renderMarkdown(mixedPlan(), OPTS)).toContain("This plan cannot be applied: fix the errors under Findings, then plan again.");
    expect(renderMarkdown(noChangePlan(), OPTS)).toContain("<summary><b>No changes.</b> Your infrastructure matches the configuration.</summary>");
  });

  it("is pure: the same text every time, and the plan is left as it was", () => {
    const plan = reviewPlan();
    const copy = structuredClone(plan);
    expect(renderMarkdown(plan, OPTS)).toBe(renderMarkdown(plan, OPTS));
    expect(plan).toEqual(copy);
  });

  it("names the tool version that made the plan when another renders it", () => {
    expect(renderMarkdown(createOnlyPlan(), { toolVersion: "0.2.0" })).toContain("| 0.2.0 (plan made by 0.1.0) |");
  });
});

describe("renderMarkdown under the size cap", () => {
  it("drops resource details first, the least important first, and says so", () => {
    const plan = reviewPlan();
    const whole = renderMarkdown(plan, OPTS);
    const md = renderMarkdown(plan, { ...OPTS, maxChars: whole.length - 500 });
    expect(md.length).toBeLessThanOrEqual(whole.length - 500);
    expect(md).toMatch(/> \[!NOTE\]\n> Shortened to fit the [\d,]+-character limit of a comment\. Left out: the details of \d+ of 10 resources\. `crossvault show plan.json` prints the whole plan\./);
    // Outline, findings and diagram are whole; creates and plain updates went before policies and destroys.
    for (const part of ["#### Changes by account", "#### Findings", "- **Warning** \\[X3\\]", "```mermaid", "#### Next steps"]) expect(md).toContain(part);
    expect(headings(md)).toContain("`~ vault_policy.central`");
    expect(headings(md)).not.toContain("`+ kms_key.central`");
  });

  it("keeps a 2,000-change plan under 65,536 characters with summary, banners, outline and diagram", () => {
    const plan = generatedPlan(2000);
    const md = renderMarkdown(plan, OPTS);
    expect(md.length).toBeLessThanOrEqual(65_536);
    expect(md.split("\n")[0]).toBe(markerLine("backup-core"));
    expect(md).toContain("<summary><b>Plan: 800 to add, 800 to change, 800 to destroy.</b> 400 changes broaden access · 800 vaults or keys could lose data</summary>");
    expect(md).toContain("> **800 objects destroyed or replaced** (400 destroyed, 400 replaced)");
    expect(md).toContain("> **400 changes broaden access:**");
    expect(md).toContain("```mermaid");
    expect(md).toContain("#### Next steps");
    expect(md.trimEnd().endsWith("</details>")).toBe(true);
    // Every account is in the outline; broadening changes are listed before the rest is counted.
    const accounts = new Set(plan.changes.map((c) => c.accountId));
    for (const id of accounts) expect(md).toContain(`Account \`${id}\``);
    expect(md).toContain("~   vault_policy.v00001  eu-west-1  broadens access");
    expect(md).toMatch(/… and \d+ more \(/);
    // The note counts exactly the details that are missing.
    const shown = headings(md).length;
    expect(shown).toBeGreaterThan(0);
    expect(md).toContain(`Left out: the details of ${(2000 - shown).toLocaleString("en")} of 2,000 resources`);
    // What details remain are those that broaden access.
    for (const h of headings(md)) expect(h).toMatch(/^`~ vault_policy\./);
  });

  it("gives up findings, then outline lines, then diagram edges, as the cap shrinks", () => {
    const plan = generatedPlan(2000);
    const md = renderMarkdown(plan, { ...OPTS, maxChars: 20_000 });
    expect(md.length).toBeLessThanOrEqual(20_000);
    expect(md).toContain("<summary><b>Plan: 800 to add");
    expect(md).toContain("> **400 changes broaden access:**");
    expect(md).toContain("#### Changes by account");
    expect(md).toContain("```mermaid");
    expect(md).toContain("20 findings");
    expect(md).not.toContain("#### Details");
    const tiny = renderMarkdown(plan, { ...OPTS, maxChars: 8_000 });
    expect(tiny.length).toBeLessThanOrEqual(8_000);
    expect(tiny).toContain("routes of the diagram");
    expect(tiny).toContain("> **800 objects destroyed or replaced**");
  });
});
