// Writing the stack's statements into shared policy documents: a vault's access policy (vault_policy) and a
// key's policy (key_share, one destination account each). Always read-modify-write at apply time under a
// per-document lock: fetch the current document, replace only our statements, write back everything else as
// read; a write that is retried reads again first. A vault policy left with no statement is deleted; a key
// policy always keeps its own statements.
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

/**
 * Sets the stack's statements of a vault's access policy to `statements` (none: removes ours). Each attempt of
 * the write (a principal not yet valid is waited for, up to minutes) reads and merges anew: the lock above is
 * this process's only, and what others wrote in the meantime must not be written over with an old copy.
 */
export async function writeVaultPolicy(w: Write, vaultName: string, statements: readonly PolicyStatement[]): Promise<ApplyResult> {
  return policyDocuments.run(`vault_policy:${w.where}/${vaultName}`, async () => {
    const attempt = async (): Promise<void> => {
      // Not found is also what a vault that is gone answers: then there is nothing of ours to remove either.
      const text = await getVaultPolicy(w.backup, vaultName, undefined, true);
      const merged = mergeStatements(parse(w, text, `the access policy of vault ${vaultName} in ${w.where}`), vaultPolicyOwner(w.stack), statements);
      if (!merged.changed) return;
      if (merged.text === undefined) await w.backup.send(new DeleteBackupVaultAccessPolicyCommand({ BackupVaultName: vaultName }));
      else await w.backup.send(new PutBackupVaultAccessPolicyCommand({ BackupVaultName: vaultName, Policy: merged.text }));
    };
    try {
      await w.wait(attempt, principalNotYetValid);
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

/**
 * Sets the stack's statements for one destination in a key's policy. As for vault policies, every attempt of the
 * write reads and merges anew, the first one after the share alias is in place.
 */
export async function writeKeyShare(w: Write, keyId: string, keyArn: string, destination: string, statements: readonly PolicyStatement[]): Promise<ApplyResult> {
  return policyDocuments.run(`key_policy:${w.where}/${keyId}`, async () => {
    const read = async () => parse(w, (await w.kms.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: "default" }))).Policy, `the policy of KMS key ${keyArn}`);
    let policy: Awaited<ReturnType<typeof read>>;
    try {
      policy = await read();
    } catch (e) {
      if (isNotFound(e) && statements.length === 0) return {};
      throw e;
    }
    const owns = keyShareOwner(w.stack, destination);
    const attributes = { key_arn: keyArn, destination_account: destination, statements };
    // A key the stack did not create carries the stack's share alias from before its first statement of the
    // stack until after its last (write-keys.ts), so a read finds them even when the config names it no more.
    const marks = await markSharedKey(w, keyId, statements.length > 0);
    let first = marks === undefined;
    await w.wait(async () => {
      // The first read stands when nothing happened since; after the alias, and on every retry, read again.
      if (!first) policy = await read();
      first = false;
      const merged = mergeStatements(policy, owns, statements);
      if (!merged.changed) return;
      if (merged.text === undefined) throw new ApplyError(w.address, `removing the share would leave the policy of KMS key ${keyArn} empty; KMS keys need a policy`);
      await w.kms.send(new PutKeyPolicyCommand({ KeyId: keyId, PolicyName: "default", Policy: merged.text }));
    }, principalNotYetValid);
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
