import type { KMSClient } from "@aws-sdk/client-kms";
import { describe, expect, it } from "vitest";
import type { ResourceChange } from "../../core/plan-types.js";
import { ADDRESS_TAG, sidPrefix, STACK_TAG } from "../../model/ownership.js";
import { keyShareStatements } from "../../model/policy-statements.js";
import type { ClientPool } from "./clients.js";
import { markerAlias, shareAlias } from "./marks.js";
import { Write } from "./write-context.js";
import { createKey, updateKey } from "./write-keys.js";
import { writeKeyShare } from "./write-policies.js";

const STACK = "core";
const ACCOUNT = "444444444444";
const REGION = "eu-west-1";
const KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab";
const KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/${KEY_ID}`;
const A = "333333333333";
const B = "555555555555";

const foreign = { Sid: "PlatformAudit", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "kms:DescribeKey", Resource: "*" };

interface Statement { Sid?: string }

/** One key in one account-region, as far as key-share writes go: its aliases and its policy. */
class FakeKms {
  readonly log: string[] = [];
  readonly aliases = new Map<string, string>();
  policy: { Version: string; Statement: Statement[] } = { Version: "2012-10-17", Statement: [foreign] };
  failCreateAlias?: string;
  tags: Record<string, string> = {};

  /** CreateAlias of this name answers only once `release` is called. */
  hold?: { alias: string; until: Promise<void> };

  async send(command: { constructor: { name: string }; input: Record<string, unknown> }): Promise<unknown> {
    const op = command.constructor.name.replace(/Command$/, "");
    const input = command.input;
    this.log.push(op === "CreateAlias" || op === "DeleteAlias" ? `${op} ${String(input.AliasName)}` : op);
    const hold = this.hold;
    if (op === "CreateAlias" && hold !== undefined && hold.alias === input.AliasName) await hold.until;
    const fail = (name: string): never => {
      throw Object.assign(new Error(`${name} (fake)`), { name });
    };
    switch (op) {
      case "ListAliases":
        return { Aliases: [...this.aliases].filter(([, k]) => input.KeyId === undefined || k === input.KeyId).map(([AliasName, TargetKeyId]) => ({ AliasName, TargetKeyId })), Truncated: false };
      case "CreateAlias":
        if (this.failCreateAlias) fail(this.failCreateAlias);
        if (this.aliases.has(String(input.AliasName))) fail("AlreadyExistsException");
        this.aliases.set(String(input.AliasName), String(input.TargetKeyId));
        return {};
      case "DeleteAlias":
        if (!this.aliases.delete(String(input.AliasName))) fail("NotFoundException");
        return {};
      case "GetKeyPolicy":
        return { Policy: JSON.stringify(this.policy) };
      case "PutKeyPolicy":
        this.policy = JSON.parse(String(input.Policy)) as FakeKms["policy"];
        return {};
      case "ListResourceTags":
        return { Tags: Object.entries(this.tags).map(([TagKey, TagValue]) => ({ TagKey, TagValue })), Truncated: false };
      case "DescribeKey":
        return { KeyMetadata: { KeyId: String(input.KeyId), Description: "", KeyState: "Enabled", KeyManager: "CUSTOMER", KeySpec: "SYMMETRIC_DEFAULT" } };
      case "GetKeyRotationStatus":
        return { KeyRotationEnabled: false };
      case "UpdateKeyDescription":
      case "EnableKeyRotation":
      case "UntagResource":
      case "TagResource":
        return {};
      default:
        throw new Error(`unexpected ${op}`);
    }
  }

  sids(): string[] {
    return this.policy.Statement.map((s) => s.Sid ?? "").sort();
  }

  /** Where in the log an entry starting with `prefix` first appears. */
  at(prefix: string): number {
    return this.log.findIndex((l) => l.startsWith(prefix));
  }
}

function writeFor(kms: FakeKms, address: string, identity: string): Write {
  const pool = { backup: () => ({}), kms: () => kms as unknown as KMSClient } as unknown as ClientPool;
  const change: ResourceChange = {
    address, type: "key_share", accountId: ACCOUNT, region: REGION, action: "create", before: null, after: null, changes: [], dependsOn: [], identity,
  };
  return new Write(pool, change, { stack: STACK, resolve: () => undefined, notify: () => undefined });
}

const existing = (destination: string): string => `key_share:${KEY_ARN}->${destination}`;
const share = (destination: string) => keyShareStatements(sidPrefix(STACK), destination);
const ours = (kms: FakeKms): string[] => kms.sids().filter((s) => s.startsWith(sidPrefix(STACK)));

async function add(kms: FakeKms, destination: string, address = `key_share.staging->${destination}`): Promise<void> {
  await writeKeyShare(writeFor(kms, address, existing(destination)), KEY_ID, KEY_ARN, destination, share(destination));
}

async function remove(kms: FakeKms, destination: string, identity = existing(destination)): Promise<void> {
  await writeKeyShare(writeFor(kms, `key_share.staging->${destination}`, identity), KEY_ID, KEY_ARN, destination, []);
}

describe("the share alias of a key the stack does not own", () => {
  it("goes on before the stack's first statement, named after the share's kms_key, and not again", async () => {
    const kms = new FakeKms();
    await add(kms, A);
    const alias = shareAlias(STACK, KEY_ID, "staging");
    expect([...kms.aliases]).toEqual([[alias, KEY_ID]]);
    expect(kms.at(`CreateAlias ${alias}`)).toBeGreaterThanOrEqual(0);
    expect(kms.at(`CreateAlias ${alias}`)).toBeLessThan(kms.at("PutKeyPolicy"));
    expect(kms.sids()).toContain("PlatformAudit");

    kms.log.length = 0;
    await add(kms, A);
    expect(kms.log.filter((l) => l.startsWith("CreateAlias") || l.startsWith("PutKeyPolicy") || l.startsWith("DeleteAlias"))).toEqual([]);
  });

  it("stays while a statement of the stack remains, and goes after the last one", async () => {
    const kms = new FakeKms();
    await add(kms, A);
    await add(kms, B);
    const alias = shareAlias(STACK, KEY_ID, "staging");

    await remove(kms, A);
    expect([...kms.aliases.keys()]).toEqual([alias]);
    expect(ours(kms).every((sid) => sid.endsWith(B))).toBe(true);

    kms.log.length = 0;
    await remove(kms, B);
    expect(ours(kms)).toEqual([]);
    expect(kms.sids()).toEqual(["PlatformAudit"]);
    expect(kms.aliases.size).toBe(0);
    expect(kms.at(`DeleteAlias ${alias}`)).toBeGreaterThan(kms.at("PutKeyPolicy"));
  });

  it("is left out of the bare ARN's name, and moves to the key's new name after the statement is written", async () => {
    const kms = new FakeKms();
    await add(kms, A, `key_share[${JSON.stringify(KEY_ARN)}]->${A}`);
    expect([...kms.aliases.keys()]).toEqual([shareAlias(STACK, KEY_ID)]);

    kms.log.length = 0;
    await add(kms, B, `key_share.workload["prod"]->${B}`);
    const renamed = shareAlias(STACK, KEY_ID, 'workload["prod"]');
    expect(renamed).toBe(`alias/crossvault/${STACK}/share/${KEY_ID}/workload/prod`);
    expect([...kms.aliases.keys()]).toEqual([renamed]);
    expect(kms.at(`CreateAlias ${renamed}`)).toBeLessThan(kms.at("PutKeyPolicy"));
    expect(kms.at(`DeleteAlias ${shareAlias(STACK, KEY_ID)}`)).toBeGreaterThan(kms.at("PutKeyPolicy"));
  });

  it("alone on a key (an apply stopped between the two) goes when its leftover is deleted, and the policy is not rewritten", async () => {
    const kms = new FakeKms();
    kms.aliases.set(shareAlias(STACK, KEY_ID, "staging"), KEY_ID);
    await writeKeyShare(writeFor(kms, "key_share.staging", `key_share:${KEY_ARN}`), KEY_ID, KEY_ARN, "", []);
    expect(kms.aliases.size).toBe(0);
    expect(kms.log).not.toContain("PutKeyPolicy");
    expect(kms.sids()).toEqual(["PlatformAudit"]);
  });

  it("is never put on a key the stack created, nor on one carrying the stack's marker", async () => {
    const created = new FakeKms();
    await writeKeyShare(writeFor(created, `key_share.central->${A}`, `key_share:${ACCOUNT}/${REGION}/alias/central->${A}`), KEY_ID, KEY_ARN, A, share(A));
    expect(created.aliases.size).toBe(0);
    expect(created.log.some((l) => l.startsWith("ListAliases"))).toBe(false);

    const adopted = new FakeKms();
    adopted.aliases.set(markerAlias(STACK, KEY_ID), KEY_ID);
    await add(adopted, A);
    expect([...adopted.aliases.keys()]).toEqual([markerAlias(STACK, KEY_ID)]);
    expect(ours(adopted)).not.toEqual([]);
  });

  it("refuses to add the statement when the alias cannot be made, saying what to allow", async () => {
    const denied = new FakeKms();
    denied.failCreateAlias = "AccessDeniedException";
    await expect(add(denied, A)).rejects.toThrow(/key_share\.staging->333333333333: cannot create alias .* allow kms:CreateAlias and kms:DeleteAlias on the key/);
    expect(denied.log).not.toContain("PutKeyPolicy");

    const taken = new FakeKms();
    taken.aliases.set(shareAlias(STACK, KEY_ID, "staging"), "another-key");
    await expect(add(taken, A)).rejects.toThrow(/names another KMS key/);
    expect(taken.log).not.toContain("PutKeyPolicy");
  });
});

describe("key settings", () => {
  it("sets the alias, description, rotation and removed tags at once after the marker alias, the hashed tags last", async () => {
    const kms = new FakeKms();
    kms.aliases.set("alias/old", KEY_ID);
    let release!: () => void;
    kms.hold = { alias: "alias/new", until: new Promise<void>((r) => (release = r)) };
    const w = writeFor(kms, "kms_key.main", `kms_key:${ACCOUNT}/${REGION}/alias/new`);
    const before = { alias: "alias/old", description: "old", enable_key_rotation: false, tags: { team: "a", gone: "x" }, arn: KEY_ARN };
    const after = { alias: "alias/new", description: "new", enable_key_rotation: true, tags: { team: "a" } };
    const done = updateKey(w, before, after, KEY_ID, true);
    for (let i = 0; i < 20; i++) await Promise.resolve();
    // The adopted key gets its marker alias first; while the new alias is on its way the rest is already asked for.
    expect(kms.log[0]).toBe(`CreateAlias ${markerAlias(STACK, KEY_ID)}`);
    expect(kms.log).toEqual(expect.arrayContaining(["CreateAlias alias/new", "UpdateKeyDescription", "EnableKeyRotation", "UntagResource"]));
    expect(kms.at("DeleteAlias alias/old")).toBe(-1);
    expect(kms.at("TagResource")).toBe(-1);
    release();
    await done;
    expect(kms.at("DeleteAlias alias/old")).toBeGreaterThan(kms.at("CreateAlias alias/new"));
    expect(kms.log.at(-1)).toBe("TagResource");
  });

  it("finishing a create cut short keeps an alias someone else put on the stack's key", async () => {
    const kms = new FakeKms();
    kms.aliases.set("alias/main", KEY_ID);
    kms.aliases.set(markerAlias(STACK, KEY_ID), KEY_ID);
    kms.aliases.set("alias/another-team", KEY_ID);
    kms.tags = { [STACK_TAG]: STACK, [ADDRESS_TAG]: "kms_key.main" };
    const w = writeFor(kms, "kms_key.main", `kms_key:${ACCOUNT}/${REGION}/alias/main`);
    const made = await createKey(w, { alias: "alias/main", description: "", enable_key_rotation: false, tags: {} });
    expect(made.id).toBe(KEY_ID);
    expect(kms.log.filter((l) => l.startsWith("CreateKey") || l.startsWith("DeleteAlias"))).toEqual([]);
    expect([...kms.aliases.keys()].sort()).toEqual(["alias/another-team", "alias/main", markerAlias(STACK, KEY_ID)].sort());
  });

  it("does not delete the old alias once someone has moved it to another key", async () => {
    const kms = new FakeKms();
    kms.aliases.set(markerAlias(STACK, KEY_ID), KEY_ID);
    // At plan time alias/old named the stack's key; since then it was pointed at another team's key.
    kms.aliases.set("alias/old", "another-teams-key");
    const w = writeFor(kms, "kms_key.main", `kms_key:${ACCOUNT}/${REGION}/alias/new`);
    const before = { alias: "alias/old", description: "", enable_key_rotation: false, tags: {}, arn: KEY_ARN };
    await updateKey(w, before, { ...before, alias: "alias/new" }, KEY_ID, false);
    expect(kms.at("DeleteAlias alias/old")).toBe(-1);
    expect(kms.aliases.get("alias/old")).toBe("another-teams-key");
    expect(kms.aliases.get("alias/new")).toBe(KEY_ID);
  });
});
