import { describe, expect, it } from "vitest";
import { organizationsService } from "./index.js";
import { failure, invoker, MANAGEMENT, PROD } from "./test-world.js";

describe("organizations tags", () => {
  it("tags accounts, OUs, the root and policies; lists and removes them", async () => {
    const inv = invoker(organizationsService);
    for (const ResourceId of [PROD, "ou-a1b2-prod0001", "r-a1b2"]) {
      await inv.call(MANAGEMENT, "TagResource", { ResourceId, Tags: [{ Key: "env", Value: ResourceId }] });
      expect((await inv.call(MANAGEMENT, "ListTagsForResource", { ResourceId })).Tags).toEqual([{ Key: "env", Value: ResourceId }]);
    }
    await inv.call(MANAGEMENT, "UntagResource", { ResourceId: PROD, TagKeys: ["env"] });
    expect((await inv.call(MANAGEMENT, "ListTagsForResource", { ResourceId: PROD })).Tags).toEqual([]);
  });

  it("refuses unknown resources, system tags, AWS managed policies and member accounts", async () => {
    const inv = invoker(organizationsService);
    expect(await failure(inv.call(MANAGEMENT, "TagResource", { ResourceId: "555555555555", Tags: [] }))).toMatchObject({ code: "TargetNotFoundException" });
    expect(await failure(inv.call(MANAGEMENT, "ListTagsForResource", { ResourceId: "constructor" }))).toMatchObject({ code: "TargetNotFoundException" });
    expect(await failure(inv.call(MANAGEMENT, "TagResource", { ResourceId: PROD, Tags: [{ Key: "aws:x", Value: "1" }] }))).toMatchObject({ fields: { Reason: "INVALID_SYSTEM_TAGS_PARAMETER" } });
    expect(await failure(inv.call(MANAGEMENT, "TagResource", { ResourceId: "p-FullAWSAccess", Tags: [{ Key: "a", Value: "1" }] }))).toMatchObject({ fields: { Reason: "IMMUTABLE_POLICY" } });
    expect(await failure(inv.call(PROD, "TagResource", { ResourceId: PROD, Tags: [{ Key: "a", Value: "1" }] }))).toMatchObject({ code: "AccessDeniedException" });
  });
});
