import { describe, expect, it } from "vitest";
import type { EngineEvent } from "../../core/events.js";
import { PropagationTimeout, keyNotYetUsable, principalNotYetValid, trustNotYetActive, untilPropagated } from "./propagation.js";

function awsError(name: string, message: string): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

describe("untilPropagated", () => {
  it("retries a known propagation error with growing pauses and says so", async () => {
    const events: EngineEvent[] = [];
    const pauses: number[] = [];
    let calls = 0;
    const result = await untilPropagated(
      async () => {
        calls++;
        if (calls < 4) throw awsError("MalformedPolicyDocumentException", "Policy contains a statement with one or more invalid principals.");
        return "ok";
      },
      principalNotYetValid,
      { address: "vault_policy.central", notify: (e) => events.push(e), sleep: async (ms) => void pauses.push(ms) },
    );
    expect(result).toBe("ok");
    expect(calls).toBe(4);
    expect(pauses).toEqual([1000, 2000, 4000]);
    expect(events).toEqual([
      { type: "apply-wait", address: "vault_policy.central", reason: "waiting for the principals named in the policy to become valid", waitedMs: 0, nextInMs: 1000 },
      { type: "apply-wait", address: "vault_policy.central", reason: "waiting for the principals named in the policy to become valid", waitedMs: 1000, nextInMs: 2000 },
      { type: "apply-wait", address: "vault_policy.central", reason: "waiting for the principals named in the policy to become valid", waitedMs: 3000, nextInMs: 4000 },
    ]);
  });

  it("fails at once on an error that is not a propagation delay", async () => {
    let calls = 0;
    await expect(
      untilPropagated(async () => { calls++; throw awsError("InvalidParameterValueException", "Backup vault name x is not valid"); }, principalNotYetValid, {
        address: "vault.x",
        sleep: async () => undefined,
      }),
    ).rejects.toThrow("is not valid");
    expect(calls).toBe(1);
  });

  it("gives up after the bound with the reason and the time waited", async () => {
    const pauses: number[] = [];
    const err = await untilPropagated(
      async () => { throw awsError("AccessDeniedException", "not authorized"); },
      trustNotYetActive,
      { address: "cross_account_setting", maxWaitMs: 10_000, sleep: async (ms) => void pauses.push(ms) },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PropagationTimeout);
    expect(pauses.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(10_000);
    expect(String((err as Error).message)).toMatch(/cross_account_setting: still failing after waiting 7 s \(waiting for trusted access.*AccessDeniedException: not authorized/);
  });
});

describe("propagation rules", () => {
  it("recognise the known delays and nothing else", () => {
    expect(keyNotYetUsable(awsError("InvalidParameterValueException", "KMS key arn:... does not exist or is not accessible."))).toBeDefined();
    expect(keyNotYetUsable(awsError("InvalidParameterValueException", "Backup vault name is not valid"))).toBeUndefined();
    expect(principalNotYetValid(awsError("MalformedPolicyDocumentException", "The new key policy will not allow you to update the key policy in the future."))).toBeUndefined();
    expect(trustNotYetActive(awsError("InvalidRequestException", "Your account is not a member of an organization."))).toBeUndefined();
  });
});
