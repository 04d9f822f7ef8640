// The plan in the terminal, over the example plans: frames asserted as text (ANSI stripped), so every
// meaning is carried by words and symbols, never by colour alone.
import "./ink-test-support.js"; // before Ink loads
import { render } from "ink-testing-library";
import { stripVTControlCharacters } from "node:util";
import { describe, expect, it } from "vitest";
import type { Plan } from "../../core/plan-types.js";
import { countBroadening } from "../policy-tables.js";
import { createOnlyPlan, destroyNothingPlan, mixedPlan, noChangePlan, reviewPlan } from "../plan-examples.js";
import { broadeningCount } from "./plan-sections.js";
import { PlanView, renderPlanForTerminal } from "./PlanView.js";

function frame(plan: Plan, width = 100): string {
  const { lastFrame, unmount } = render(<PlanView plan={plan} width={width} />);
  const text = stripVTControlCharacters(lastFrame() ?? "");
  unmount();
  return text;
}

/** Wider than the test terminal's 100 columns: the same view, laid out by Ink's renderToString. */
function wide(plan: Plan, width = 200): string {
  return stripVTControlCharacters(renderPlanForTerminal(plan, width));
}

const lastLine = (text: string): string => text.trimEnd().split("\n").at(-1)!;
const at = (text: string, s: string): number => {
  const i = text.indexOf(s);
  expect(i, `"${s}" in the frame`).toBeGreaterThanOrEqual(0);
  return i;
};

describe("PlanView", () => {
  it("groups a create-only plan by account, then region, with a legend of only '+'", () => {
    const text = frame(createOnlyPlan());
    expect(text).toContain("Resource actions are indicated with the following symbols:\n    + create\n\ncrossvault will perform");
    expect(at(text, "Account 111111111111")).toBeLessThan(at(text, "Account 222222222222"));
    expect(at(text, "global (Organizations)")).toBeLessThan(at(text, "+ org_trust will be created"));
    expect(at(text, "+ kms_key.central will be created")).toBeLessThan(at(text, "+ vault.central will be created"));
    expect(text).toContain("+ arn                  = (known after apply)");
    expect(lastLine(text)).toBe("Plan: 3 to add, 0 to change, 0 to destroy.");
  });

  it("says so when nothing changes", () => {
    expect(frame(noChangePlan()).trim()).toBe("No changes. Your infrastructure matches the configuration.");
    expect(frame(destroyNothingPlan()).trim()).toBe("No changes. No objects need to be destroyed.");
  });

  it("shows drift first, then the legend, the changes, findings, and the summary last", () => {
    const text = frame(mixedPlan());
    expect(at(text, "Objects changed outside crossvault")).toBe(0);
    expect(at(text, "~ tags.team = \"platform\" -> \"someone-else\"")).toBeLessThan(at(text, "Resource actions are indicated"));
    expect(text).toMatch(/symbols:\n {4}~ update in place\n {2}-\/\+ destroy and then create replacement\n {4}- destroy\n {3}<= adopt/);
    expect(text).not.toContain("    + create");
    expect(at(text, "Resource actions are indicated")).toBeLessThan(at(text, "crossvault will perform the following actions"));
    expect(at(text, "-/+ vault.central must be replaced (encryption_key_arn cannot change in place)")).toBeLessThan(at(text, "Findings"));
    expect(text).toMatch(/~ encryption_key_arn =\s+"arn:aws:kms:eu-west-1:222222222222:key\/1111aaaa-2222-bbbb-3333-cccc4444dddd" -> \(known\s+after\s+apply\)\s+# forces replacement/);
    expect(text).toContain("# (3 unchanged attributes hidden)");
    expect(text).toContain('<= backup_plan.daily["prod"] will be adopted');
    expect(text).toContain("# crossvault takes ownership of the existing object");
    expect(at(text, "✗ Error: cannot replace vault.central: 42 recovery points")).toBeLessThan(at(text, "! Warning: kms_key.old"));
    expect(text).toContain("i Note: trusted access is enabled by the management account [S2]");
    expect(at(text, "This plan cannot be applied")).toBeLessThan(at(text, "Plan: 1 to add"));
    expect(lastLine(text)).toBe("Plan: 1 to add, 2 to change, 2 to destroy, 1 to adopt. ! 1 change broadens access.");
  });

  it("shows policy changes as statement tables with a verdict, broadening marked and counted", () => {
    const text = wide(reviewPlan());
    expect(text).toContain("~ vault_policy.central will be updated in place  ! broadens access");
    expect(text).toContain("vault access policy statements: ! broadens access");
    expect(text).toMatch(/± │ Sid +│ Effect │ Action +│ Principal +│ Condition/);
    expect(text).toMatch(/\+ │ Crossvault11xbackupXcoreOrgCopyInto +│ Allow +│ backup:CopyIntoBackupVault +│ \* +│ StringEquals aws:PrincipalOrgID: o-example/);
    expect(text).toMatch(/- │ Crossvault11xbackupXcoreCopyInto444444444444 +│ Allow/);
    expect(text).toContain("+ guardrail.deny_leave will be created  narrows access");
    // The statements are in the table, not repeated as attribute lines.
    expect(text).not.toContain('statements["Crossvault11xbackupXcoreOrgCopyInto"]');
    expect(lastLine(text)).toBe("Plan: 5 to add, 3 to change, 4 to destroy. ! 3 changes broaden access.");
  });

  it("shows the copy routes' verdicts, failures with their rule, policy and fix", () => {
    const text = wide(reviewPlan());
    expect(at(text, "Copy routes (2 of 4 will fail after apply)")).toBeLessThan(at(text, "Findings"));
    expect(text).toContain("+ new     333333333333/eu-west-1/local -> 444444444444/eu-west-1/archive");
    expect(text).toMatch(/now: ✗ fails {3}after apply: ✗ fails/);
    expect(text).toMatch(/✗ \[S4\] the access policy of vault archive in 444444444444 does not allow 333333333333 to copy in/);
    expect(text).toContain("decided by: vault archive (not managed by backup-core)");
    expect(text).toContain("fix: Add a statement allowing backup:CopyIntoBackupVault");
    expect(text).toMatch(/✗ \[S5\] the source key is not shared with the destination account \(now only\)/);
  });

  it("diffs a multi-line value (a backup rule) line by line", () => {
    const text = wide(reviewPlan());
    expect(text).toContain('-     "schedule": "cron(0 5 ? * * *)",');
    expect(text).toContain('+     "schedule": "cron(0 3 ? * * *)",');
    expect(text).toMatch(/# \(\d+ unchanged lines?\)/);
  });

  it("fits an 80-column terminal: tables that would cut words become statement records", () => {
    const text = wide(reviewPlan(), 80);
    expect(text.split("\n").every((l) => l.length <= 80)).toBe(true);
    expect(text).toMatch(/\+ Crossvault11xbackupXcoreOrgCopyInto\n +Effect +Allow\n +Action +backup:CopyIntoBackupVault\n +Principal +\*\n +Condition +StringEquals aws:PrincipalOrgID: o-example/);
  });

  it.each([["create-only", createOnlyPlan], ["mixed", mixedPlan], ["review", reviewPlan]])("prints (%s) exactly what the Ink component shows; colour only adds codes", (_name, make) => {
    const plan = make();
    const printed = renderPlanForTerminal(plan, 100, false);
    expect(printed).not.toContain("\x1b");
    expect(printed.trimEnd()).toBe(frame(plan));
    const coloured = renderPlanForTerminal(plan, 100, true);
    expect(coloured).toContain("\x1b[");
    expect(stripVTControlCharacters(coloured)).toBe(printed);
  });

  it("counts broadening changes as countBroadening does", () => {
    for (const plan of [createOnlyPlan(), mixedPlan(), reviewPlan()]) expect(broadeningCount(plan)).toBe(countBroadening(plan));
  });
});
