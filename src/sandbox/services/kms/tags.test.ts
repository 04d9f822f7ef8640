import { describe, expect, it } from "vitest";
import { kmsService } from "./index.js";
import { failure, invoker, PROD } from "../organizations/test-world.js";

describe("key tags", () => {
  it("adds, replaces, removes and lists tags", async () => {
    const inv = invoker(kmsService);
    const { KeyMetadata: m } = await inv.call(PROD, "CreateKey", { Tags: [{ TagKey: "a", TagValue: "1" }] });
    await inv.call(PROD, "TagResource", { KeyId: m.Arn, Tags: [{ TagKey: "a", TagValue: "2" }, { TagKey: "b", TagValue: "3" }] });
    expect((await inv.call(PROD, "ListResourceTags", { KeyId: m.KeyId })).Tags).toEqual([{ TagKey: "a", TagValue: "2" }, { TagKey: "b", TagValue: "3" }]);
    await inv.call(PROD, "UntagResource", { KeyId: m.KeyId, TagKeys: ["a"] });
    const out = await inv.call(PROD, "ListResourceTags", { KeyId: m.KeyId, Limit: 1 });
    expect(out).toEqual({ Tags: [{ TagKey: "b", TagValue: "3" }], Truncated: false, NextMarker: undefined });
  });

  it("refuses reserved keys, too many tags, aliases as key ids and AWS managed keys", async () => {
    const inv = invoker(kmsService);
    const { KeyMetadata: m } = await inv.call(PROD, "CreateKey", {});
    expect(await failure(inv.call(PROD, "TagResource", { KeyId: m.KeyId, Tags: [{ TagKey: "aws:x", TagValue: "1" }] }))).toMatchObject({ code: "TagException" });
    const many = Array.from({ length: 51 }, (_, i) => ({ TagKey: `k${i}`, TagValue: "v" }));
    expect(await failure(inv.call(PROD, "TagResource", { KeyId: m.KeyId, Tags: many }))).toMatchObject({ code: "LimitExceededException" });
    expect(await failure(inv.call(PROD, "TagResource", { KeyId: "alias/aws/backup", Tags: [{ TagKey: "a", TagValue: "b" }] }))).toMatchObject({ code: "NotFoundException" });
    const backup = (await inv.call(PROD, "DescribeKey", { KeyId: "alias/aws/backup" })).KeyMetadata;
    expect(await failure(inv.call(PROD, "TagResource", { KeyId: backup.KeyId, Tags: [{ TagKey: "a", TagValue: "b" }] }))).toMatchObject({ code: "AccessDeniedException" });
  });
});
