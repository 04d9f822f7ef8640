// GetKeyPolicy, PutKeyPolicy and ListKeyPolicies. Policy writes go through the eventual value so copy jobs read
// the policy as it was at an earlier time [X2]; API reads see the current one.
import type { OperationHandler } from "../../service.js";
import { setEventual } from "../../world.js";
import { accessDenied, kmsError, kmsPage, resolveKey } from "./key-lookup.js";
import { parseKeyPolicy } from "./key-policy.js";
import { assertNoLockout } from "./keys.js";

/** "The only valid name is default" [M]; any other name names no policy [I]. */
function policyNameOf(value: unknown): string {
  const name = value === undefined ? "default" : String(value);
  if (name !== "default") throw kmsError("NotFoundException", `No such policy exists: ${name}. The only valid policy name is default.`);
  return name;
}

export const keyPolicyOperations: Record<string, OperationHandler> = {
  GetKeyPolicy(ctx, input) {
    const { key } = resolveKey(ctx, input.KeyId, { action: "kms:GetKeyPolicy" });
    const name = policyNameOf(input.PolicyName);
    return { Policy: key.policy.current, PolicyName: name };
  },

  PutKeyPolicy(ctx, input) {
    const { key } = resolveKey(ctx, input.KeyId, { action: "kms:PutKeyPolicy" });
    policyNameOf(input.PolicyName);
    // An AWS managed key's policy is immutable [D] (its own policy also refuses kms:PutKeyPolicy).
    if (key.keyManager === "AWS") throw accessDenied(ctx, "kms:PutKeyPolicy", key.arn, "because AWS managed key policies cannot be changed");
    parseKeyPolicy(input.Policy);
    assertNoLockout(ctx, input.Policy, input.BypassPolicyLockoutSafetyCheck);
    setEventual(key.policy, String(input.Policy), ctx.now);
  },

  ListKeyPolicies(ctx, input) {
    resolveKey(ctx, input.KeyId, { action: "kms:ListKeyPolicies" });
    const page = kmsPage(["default"], input, 100, 1000);
    return { PolicyNames: page.items, NextMarker: page.NextMarker, Truncated: page.Truncated };
  },
};
