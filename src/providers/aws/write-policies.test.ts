// A policy write that waits for a principal to become valid reads the document again on every attempt: what
// someone else wrote meanwhile is merged, never written over with the copy read before the wait.
import type { BackupClient } from "@aws-sdk/client-backup";
import type { KMSClient } from "@aws-sdk/client-kms";
import { describe, expect, it } from "vitest";
import type { PolicyStatement } from "../../model/attributes.js";
import type { ResourceChange } from "../../core/plan-types.js";
import { sidPrefix } from "../../model/ownership.js";
import { keyShareStatements } from "../../model/policy-statements.js";
import type { ClientPool } from "./clients.js";
import { markerAlias } from "./marks.js";
import { Write } from "./write-context.js";
import { writeKeyShare, writeVaultPolicy } from "./write-policies.js";

const STACK = "core";
const ACCOUNT = "333333333333";
const REGION = "eu-west-1";
const KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab";
const KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/${KEY_ID}`;

interface Statement { Sid?: string }
const doc = (...s: Statement[]): string => JSON.stringify({ Version: "2012-10-17", Statement: s });
const audit = { Sid: "Audit", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "kms:DescribeKey", Resource: "*" };
const lateComer = { Sid: "LateComer", Effect: "Deny", Principal: { AWS: "*" }, Action: "backup:DeleteBackupVault", Resource: "*" };

/**
 * One policy document behind Get/Put (vault or key). The first put is refused as AWS refuses a principal it does
 * not know yet, and meanwhile someone else adds a statement.
 */
class OnePolicy {
  readonly log: string[] = [];
  refusals = 1;
  constructor(public text: string) {}

  async send(command: { constructor: { name: string }; input: Record<string, unknown> }): Promise<unknown> {
    const op = command.constructor.name.replace(/Command$/, "");
    this.log.push(op);
    switch (op) {
      case "GetBackupVaultAccessPolicy":
      case "GetKeyPolicy":
        return { Policy: this.text };
      case "PutBackupVaultAccessPolicy":
      case "PutKeyPolicy":
        if (this.refusals-- > 0) {
          this.text = doc(...(JSON.parse(this.text) as { Statement: Statement[] }).Statement, lateComer);
          throw Object.assign(new Error("Invalid principal in policy"), { name: "MalformedPolicyDocumentException" });
        }
        this.text = String(command.input.Policy);
        return {};
      case "ListAliases":
        // The stack created this key (its marker alias): no share alias is needed.
        return { Aliases: [{ AliasName: markerAlias(STACK, KEY_ID), TargetKeyId: KEY_ID }], Truncated: false };
      default:
        throw new Error(`unexpected ${op}`);
    }
  }

  sids(): string[] {
    return (JSON.parse(this.text) as { Statement: Statement[] }).Statement.map((s) => s.Sid ?? "").sort();
  }
}

function writeFor(client: OnePolicy, type: ResourceChange["type"], address: string): Write {
  const pool = { backup: () => client as unknown as BackupClient, kms: () => client as unknown as KMSClient } as unknown as ClientPool;
  const change: ResourceChange = { address, type, accountId: ACCOUNT, region: REGION, action: "update", before: null, after: null, changes: [], dependsOn: [] };
  return new Write(pool, change, { stack: STACK, resolve: () => undefined, notify: () => undefined, sleep: async () => undefined });
}

describe("policy writes waiting for a principal", () => {
  it("merge the vault policy anew on each attempt, keeping what was added meanwhile", async () => {
    const vault = new OnePolicy(doc(audit));
    const ours: PolicyStatement = { Sid: `${sidPrefix(STACK)}CopyInto444444444444`, Effect: "Allow", Principal: { AWS: ["arn:aws:iam::444444444444:root"] }, Action: ["backup:CopyIntoBackupVault"], Resource: ["*"] };
    await writeVaultPolicy(writeFor(vault, "vault_policy", "vault_policy.central"), "central", [ours]);
    expect(vault.log.filter((op) => op.startsWith("Get"))).toHaveLength(2);
    expect(vault.sids()).toEqual(["Audit", "LateComer", ours.Sid].sort());
  });

  it("merge the key policy anew on each attempt too", async () => {
    const key = new OnePolicy(doc(audit));
    const share = keyShareStatements(sidPrefix(STACK), "444444444444");
    await writeKeyShare(writeFor(key, "key_share", "key_share.central->444444444444"), KEY_ID, KEY_ARN, "444444444444", share);
    expect(key.sids()).toEqual(["Audit", "LateComer", ...share.map((s) => s.Sid ?? "")].sort());
  });
});
