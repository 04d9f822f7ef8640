import type { BackupClient } from "@aws-sdk/client-backup";
import type { AliasListEntry, KMSClient } from "@aws-sdk/client-kms";
import { describe, expect, it } from "vitest";
import { ADDRESS_TAG, APPLIED_HASH_TAG, attributesHash, sidPrefix, STACK_TAG } from "../../model/ownership.js";
import { asAttributes } from "../../model/attributes.js";
import { keyShareStatements } from "../../model/policy-statements.js";
import type { DesiredResource } from "../../model/resource.js";
import { RequestLimiter } from "./limiter.js";
import { markerAlias, shareAlias } from "./marks.js";
import { keyAttributes } from "./shapes.js";
import { indexDesired, LaneRead } from "./read-context.js";
import { readKeys } from "./read-keys.js";

const STACK = "core";
const ACCOUNT = "444444444444";
const DEST = "333333333333";
const REGION = "eu-west-1";
const KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab";
const KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/${KEY_ID}`;

const foreign = { Sid: "PlatformAudit", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "kms:DescribeKey", Resource: "*" };
const policyWith = (...statements: unknown[]): string => JSON.stringify({ Version: "2012-10-17", Statement: statements });

function alias(name: string, keyId = KEY_ID, partition = "aws"): AliasListEntry {
  return { AliasName: name, AliasArn: `arn:${partition}:kms:${REGION}:${ACCOUNT}:${name}`, TargetKeyId: keyId, CreationDate: new Date(0) };
}

/** A KMS client answering from a fixed account-region, recording the operations it was asked for. */
function fakeKms(world: { aliases: AliasListEntry[]; keyIds: string[]; policy?: string; policyError?: string; tags?: Record<string, string> }) {
  const calls: string[] = [];
  const kms = {
    async send(command: { constructor: { name: string }; input: Record<string, unknown> }): Promise<unknown> {
      const op = command.constructor.name.replace(/Command$/, "");
      calls.push(op);
      switch (op) {
        case "ListAliases":
          return { Aliases: world.aliases, Truncated: false };
        case "ListKeys":
          return { Keys: world.keyIds.map((KeyId) => ({ KeyId })), Truncated: false };
        case "GetKeyPolicy":
          if (world.policyError) throw Object.assign(new Error(`${world.policyError} for ${String(command.input.KeyId)}`), { name: world.policyError });
          return { Policy: world.policy };
        case "ListResourceTags":
          return { Tags: Object.entries(world.tags ?? {}).map(([TagKey, TagValue]) => ({ TagKey, TagValue })), Truncated: false };
        case "DescribeKey":
          return { KeyMetadata: { KeyId: KEY_ID, Arn: KEY_ARN, KeyState: "Enabled", KeyManager: "CUSTOMER", KeySpec: "SYMMETRIC_DEFAULT" } };
        case "GetKeyRotationStatus":
          return { KeyRotationEnabled: false };
        default:
          throw new Error(`unexpected ${op}`);
      }
    },
  };
  return { kms: kms as unknown as KMSClient, calls };
}

function lane(kms: KMSClient, desired: DesiredResource[] = [], keyArns: string[] = []): LaneRead {
  return new LaneRead(STACK, ACCOUNT, REGION, indexDesired(desired, keyArns), {} as BackupClient, kms, new RequestLimiter());
}

const ourShare = keyShareStatements(sidPrefix(STACK), DEST);

function desiredShare(address: string): DesiredResource {
  return {
    address, type: "key_share", accountId: ACCOUNT, region: REGION, identity: `key_share:${KEY_ARN}->${DEST}`, dependsOn: [],
    attributes: { key_arn: KEY_ARN, destination_account: DEST, statements: [] },
  };
}

describe("readKeys and the share aliases of keys the stack does not own", () => {
  it("reads only the policy of a key no config names, and names its shares as the alias remembers", async () => {
    const { kms, calls } = fakeKms({ aliases: [alias(shareAlias(STACK, KEY_ID, "staging"))], keyIds: [KEY_ID], policy: policyWith(foreign, ...ourShare) });
    const r = lane(kms);
    await readKeys(r);
    // No key is created here: nothing can wait behind a create cut short, so no ListKeys.
    expect(calls.sort()).toEqual(["GetKeyPolicy", "ListAliases"]);
    expect(r.resources).toHaveLength(1);
    expect(r.resources[0]).toMatchObject({
      address: `key_share.staging->${DEST}`, type: "key_share", identity: `key_share:${KEY_ARN}->${DEST}`, id: KEY_ID, ownership: "ours",
      attributes: { key_arn: KEY_ARN, destination_account: DEST },
    });
    expect((r.resources[0]!.attributes.statements as Array<{ Sid: string }>).map((s) => s.Sid).sort()).toEqual(ourShare.map((s) => s.Sid).sort());
  });

  it("names a share by the key id when the alias holds no name, in the alias's partition", async () => {
    const { kms } = fakeKms({ aliases: [alias(shareAlias(STACK, KEY_ID), KEY_ID, "aws-cn")], keyIds: [KEY_ID], policy: policyWith(...ourShare) });
    const r = lane(kms);
    await readKeys(r);
    expect(r.resources.map((l) => [l.address, l.identity])).toEqual([
      [`key_share[${JSON.stringify(KEY_ID)}]->${DEST}`, `key_share:arn:aws-cn:kms:${REGION}:${ACCOUNT}:key/${KEY_ID}->${DEST}`],
    ]);
  });

  it("matches a desired share of a key the config names by ARN: same identity, the desired address, no leftover", async () => {
    const { kms } = fakeKms({ aliases: [alias(shareAlias(STACK, KEY_ID, "old_name"))], keyIds: [KEY_ID], policy: policyWith(foreign, ...ourShare), tags: {} });
    const r = lane(kms, [desiredShare(`key_share.staging->${DEST}`)], [KEY_ARN]);
    await readKeys(r);
    expect(r.resources.map((l) => [l.address, l.identity])).toEqual([[`key_share.staging->${DEST}`, `key_share:${KEY_ARN}->${DEST}`]]);
  });

  it("reports the share alias alone, when the policy holds none of the stack's statements and no share of the key is desired", async () => {
    const aliasName = shareAlias(STACK, KEY_ID, "staging");
    const { kms } = fakeKms({ aliases: [alias(aliasName)], keyIds: [KEY_ID], policy: policyWith(foreign) });
    const r = lane(kms);
    await readKeys(r);
    expect(r.resources).toHaveLength(1);
    expect(r.resources[0]).toMatchObject({
      address: "key_share.staging", type: "key_share", identity: `key_share:${KEY_ARN}`, id: KEY_ID, ownership: "ours",
      attributes: { key_arn: KEY_ARN, aliases: [aliasName], statements: [] },
    });
  });

  it("keeps the alias out of the plan while a share of the key is still to be written", async () => {
    const { kms } = fakeKms({ aliases: [alias(shareAlias(STACK, KEY_ID, "staging"))], keyIds: [KEY_ID], policy: policyWith(foreign), tags: {} });
    const r = lane(kms, [desiredShare(`key_share.staging->${DEST}`)], [KEY_ARN]);
    await readKeys(r);
    expect(r.resources).toEqual([]);
  });

  it("ignores another stack's share alias, and a key that is gone", async () => {
    const other = fakeKms({ aliases: [alias(shareAlias("other", KEY_ID, "staging"))], keyIds: [KEY_ID], policy: policyWith(...ourShare) });
    await readKeys(lane(other.kms));
    expect(other.calls).not.toContain("GetKeyPolicy");

    const gone = fakeKms({ aliases: [alias(shareAlias(STACK, KEY_ID, "staging"))], keyIds: [], policyError: "NotFoundException" });
    const r = lane(gone.kms);
    await readKeys(r);
    expect(r.resources).toEqual([]);
  });

  it("fails the read with what to do when the policy of a marked key cannot be read", async () => {
    const aliasName = shareAlias(STACK, KEY_ID, "staging");
    const { kms } = fakeKms({ aliases: [alias(aliasName)], keyIds: [KEY_ID], policyError: "AccessDeniedException" });
    await expect(readKeys(lane(kms))).rejects.toThrow(new RegExp(`cannot read the policy of KMS key ${KEY_ARN.replace(/[/]/g, "\\/")}, which alias ${aliasName.replace(/[/]/g, "\\/")} marks .*delete the alias if the stack's statements are gone`));
  });
});

describe("readKeys and the alias of a key the stack owns", () => {
  const renamed: DesiredResource = {
    address: "kms_key.main", type: "kms_key", accountId: ACCOUNT, region: REGION, identity: `kms_key:${ACCOUNT}/${REGION}/alias/renamed`, dependsOn: [],
    attributes: { alias: "alias/renamed", description: "", enable_key_rotation: false, tags: {} },
  };
  const own = { [STACK_TAG]: STACK, [ADDRESS_TAG]: "kms_key.main" };
  const appliedWith = (name: string): string => attributesHash(asAttributes(keyAttributes({ alias: name, description: "", rotation: false, tags: own, arn: KEY_ARN })));
  const liveAlias = async (aliases: string[], tags: Record<string, string>): Promise<unknown> => {
    const { kms } = fakeKms({ aliases: [alias(markerAlias(STACK, KEY_ID)), ...aliases.map((a) => alias(a))], keyIds: [KEY_ID], policy: policyWith(foreign), tags });
    const r = lane(kms, [renamed]);
    await readKeys(r);
    return r.resources.find((x) => x.type === "kms_key")?.attributes.alias;
  };

  it("shows the alias it was applied with, not another team's alias on the same key, when the config renames it", async () => {
    // alias/aaa-team sorts first: it used to be taken for the stack's, and an apply renaming the alias deleted it.
    expect(await liveAlias(["alias/aaa-team", "alias/core-main"], { ...own, [APPLIED_HASH_TAG]: appliedWith("alias/core-main") })).toBe("alias/core-main");
  });

  it("shows none when it cannot tell which alias is the stack's, and the only one when there is one", async () => {
    const drifted = { ...own, [APPLIED_HASH_TAG]: "changed-since" };
    expect(await liveAlias(["alias/aaa-team", "alias/core-main"], drifted)).toBe("");
    expect(await liveAlias(["alias/core-main"], drifted)).toBe("alias/core-main");
  });
});
