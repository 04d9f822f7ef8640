// Writing the stack's statements into shared policy documents: a vault's access policy (vault_policy) and a
// key's policy (key_share, one destination account each). Always read-modify-write at apply time under a
// per-document lock: fetch the current document, replace only our statements, write back everything else as
// read. A vault policy left with no statement is deleted; a key policy always keeps its own statements.
import { DeleteBackupVaultAccessPolicyCommand, PutBackupVaultAccessPolicyCommand } from "@aws-sdk/client-backup";
import { GetKeyPolicyCommand, PutKeyPolicyCommand } from "@aws-sdk/client-kms";
import type { PolicyStatement } from "../../model/attributes.js";
import { isOurSid } from "../../model/ownership.js";
import type { Attributes } from "../../model/resource.js";
import { isNotFound } from "./aws-errors.js";
import { keyShareOwner, mergeStatements, parsePolicy, PolicyDocumentError, vaultPolicyOwner } from "./policy-merge.js";
import { principalNotYetValid } from "./propagation.js";
import { getVaultPolicy } from "./read-vaults.js";
import { ApplyError, policyDocuments, str } from "./write-context.js";
import { markSharedKey, settleSharedKey } from "./write-keys.js";
import type { ApplyResult, Write } from "./write-context.js";

function parse(w: Write, text: string | undefined, what: string) {
  try {
    return parsePolicy(text, what);
  } catch (e) {
    if (e instanceof PolicyDocumentError) throw new ApplyError(w.address, e.message);
    throw e;
  }
}

/** Sets the stack's statements of a vault's access policy to `statements` (none: removes ours). */
export async function writeVaultPolicy(w: Write, vaultName: string, statements: readonly PolicyStatement[]): Promise<ApplyResult> {
  return policyDocuments.run(`vault_policy:${w.where}/${vaultName}`, async () => {
    // Not found is also what a vault that is gone answers: then there is nothing of ours to remove either.
    const text = await getVaultPolicy(w.backup, vaultName, undefined, true);
    const merged = mergeStatements(parse(w, text, `the access policy of vault ${vaultName} in ${w.where}`), vaultPolicyOwner(w.stack), statements);
    if (!merged.changed) return { attributes: { vault_name: vaultName, statements } };
    try {
      if (merged.text === undefined) await w.backup.send(new DeleteBackupVaultAccessPolicyCommand({ BackupVaultName: vaultName }));
      else await w.wait(() => w.backup.send(new PutBackupVaultAccessPolicyCommand({ BackupVaultName: vaultName, Policy: merged.text })), principalNotYetValid);
    } catch (e) {
      if (isNotFound(e) && statements.length === 0) return {};
      throw e;
    }
    return { attributes: { vault_name: vaultName, statements } };
  });
}

const KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/(.+)$/;

/** The key id of a key_share change: the live id, else the (resolved) key ARN's. */
export function shareKeyId(keyArn: string, id: string | undefined): string {
  return id || KEY_ARN.exec(keyArn)?.[1] || keyArn;
}

/** Sets the stack's statements for one destination in a key's policy. */
export async function writeKeyShare(w: Write, keyId: string, keyArn: string, destination: string, statements: readonly PolicyStatement[]): Promise<ApplyResult> {
  return policyDocuments.run(`key_policy:${w.where}/${keyId}`, async () => {
    let text: string | undefined;
    try {
      text = (await w.kms.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: "default" }))).Policy;
    } catch (e) {
      if (isNotFound(e) && statements.length === 0) return {};
      throw e;
    }
    const policy = parse(w, text, `the policy of KMS key ${keyArn}`);
    const owns = keyShareOwner(w.stack, destination);
    const merged = mergeStatements(policy, owns, statements);
    const attributes = { key_arn: keyArn, destination_account: destination, statements };
    // A key the stack did not create carries the stack's share alias from before its first statement of the
    // stack until after its last (write-keys.ts), so a read finds them even when the config names it no more.
    const marks = await markSharedKey(w, keyId, statements.length > 0);
    if (merged.changed) {
      if (merged.text === undefined) throw new ApplyError(w.address, `removing the share would leave the policy of KMS key ${keyArn} empty; KMS keys need a policy`);
      await w.wait(() => w.kms.send(new PutKeyPolicyCommand({ KeyId: keyId, PolicyName: "default", Policy: merged.text })), principalNotYetValid);
    }
    await settleSharedKey(w, keyId, marks, statements.length > 0 || policy.statements.some((s) => !owns(s) && isOurSid(w.stack, s.Sid)));
    return { id: keyId, attributes };
  });
}

export function vaultPolicyTarget(a: Attributes): string {
  return str(a.vault_name);
}

export function statementsIn(a: Attributes | null): PolicyStatement[] {
  return Array.isArray(a?.statements) ? (a!.statements as unknown as PolicyStatement[]) : [];
}
