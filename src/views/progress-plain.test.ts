// The plain progress view: one line per event on its stream, failures kept for the closing report, and the
// approval question, which only an exact "yes" answers.
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { PlainProgress, seconds } from "./progress-plain.js";

function view(input?: PassThrough) {
  let text = "";
  const host = new PlainProgress({ write: (s) => void (text += s), ...(input ? { input } : {}) });
  return { host, text: () => text };
}

describe("PlainProgress", () => {
  it("writes what happens, Terraform-like, and keeps failures for the end", () => {
    const { host, text } = view();
    host.notify({ type: "refresh-start", accounts: 3, regions: 1 });
    host.notify({ type: "read-done", accountId: "222222222222", region: "eu-west-1", resources: 1 });
    host.notify({ type: "apply-start", address: "vault.central", action: "create" });
    host.notify({ type: "apply-wait", address: "vault.central", reason: "waiting for the new KMS key to become usable", waitedMs: 1000, nextInMs: 2000 });
    host.notify({ type: "apply-done", address: "vault.central", action: "create", durationMs: 3456 });
    host.notify({ type: "apply-failed", address: "backup_plan.daily", action: "update", message: "AccessDeniedException: no" });
    host.notify({ type: "apply-skipped", address: "backup_selection.daily.tagged", because: "backup_plan.daily failed" });
    expect(text().split("\n")).toEqual([
      "Reading the live state of 3 accounts in 1 region...",
      "  222222222222/eu-west-1: read, 1 object found",
      "vault.central: Creating...",
      "vault.central: waiting for the new KMS key to become usable; trying again in 2s (waited 1s so far)",
      "vault.central: Creation complete after 3.5s",
      "backup_plan.daily: failed: AccessDeniedException: no",
      "backup_selection.daily.tagged: skipped (backup_plan.daily failed)",
      "",
    ]);
    expect(host.failures).toEqual([{ address: "backup_plan.daily", message: "AccessDeniedException: no" }]);
    expect(seconds(40)).toBe("40ms");
  });

  it.each([["yes\n", true], ["y\n", false], ["no\n", false], ["", false]])("answers %j with %s", async (answer, expected) => {
    const input = new PassThrough();
    const { host, text } = view(input);
    const asked = host.ask({ code: "approve-apply", text: "Do you want to perform these actions?", defaultResponse: false });
    input.end(answer);
    expect(await asked).toBe(expected);
    expect(text()).toContain("Only 'yes' will be accepted to approve.");
  });
});
