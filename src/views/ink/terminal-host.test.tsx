// The engine's Host on a (fake) terminal: events become the live view, the plan is printed once, and the
// approval question is answered through the review by keys on stdin.
import "./ink-test-support.js"; // before Ink loads
import { PassThrough } from "node:stream";
import { stripVTControlCharacters } from "node:util";
import { describe, expect, it, vi } from "vitest";
import { createOnlyPlan } from "../plan-examples.js";
import { TerminalHost } from "./terminal-host.js";

function terminal() {
  const stdout = Object.assign(new PassThrough(), { isTTY: true, columns: 100, rows: 40 }) as unknown as NodeJS.WriteStream;
  const stderr = Object.assign(new PassThrough(), { isTTY: true, columns: 100, rows: 40 }) as unknown as NodeJS.WriteStream;
  const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => stdin, ref: () => stdin, unref: () => stdin }) as unknown as NodeJS.ReadStream;
  let out = "";
  let err = "";
  stdout.on("data", (d: Buffer) => (out += d.toString()));
  stderr.on("data", (d: Buffer) => (err += d.toString()));
  const host = new TerminalHost({ stdout, stderr, stdin });
  return { host, stdin, out: () => stripVTControlCharacters(out), err: () => err };
}

const question = { code: "approve-apply", text: "Do you want to perform these actions?", defaultResponse: false };

describe("TerminalHost", () => {
  it("shows the refresh live and leaves its totals, then prints the plan", async () => {
    const t = terminal();
    t.host.notify({ type: "refresh-start", accounts: 2, regions: 1 });
    t.host.notify({ type: "read-done", accountId: "222222222222", region: "eu-west-1", resources: 3 });
    await t.host.showPlan(createOnlyPlan());
    const text = t.out();
    expect(text).toContain("✓ Read the live state: 1 account-region, 3 objects.");
    expect(text.indexOf("✓ Read the live state")).toBeLessThan(text.indexOf("+ org_trust will be created"));
    expect(text.trimEnd().endsWith("Plan: 3 to add, 0 to change, 0 to destroy.")).toBe(true);
  });

  it.each([["yes\r", true], ["no\r", false]])("answers the approval question from the review (%j)", async (keys, approved) => {
    const t = terminal();
    await t.host.showPlan(createOnlyPlan());
    const answer = t.host.ask(question);
    await vi.waitFor(() => expect(t.out()).toContain("Enter a value:"));
    expect(t.out()).toContain("> ▸   + org_trust will be created");
    t.stdin.write(keys);
    expect(await answer).toBe(approved);
    expect(t.out()).toContain(`Enter a value: ${keys.trim()}`);
  });

  it("streams an apply and ends the live region at the summary; notices go above it", async () => {
    const t = terminal();
    t.host.expectChanges(createOnlyPlan());
    t.host.notify({ type: "apply-start", address: "kms_key.central", action: "create" });
    t.host.say("\nSIGINT: stopping.\n");
    t.host.notify({ type: "apply-done", address: "kms_key.central", action: "create", durationMs: 20 });
    t.host.notify({ type: "apply-summary", applied: 1, failed: 0, skipped: 0 });
    await t.host.settle();
    const text = t.out();
    expect(text).toContain("SIGINT: stopping.");
    expect(text).toContain("✓ kms_key.central: Creation complete after 20ms");
    expect(t.err()).toBe("");
  });
});
