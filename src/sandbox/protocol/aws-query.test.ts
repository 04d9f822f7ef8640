import { describe, expect, it } from "vitest";
import { ServiceError } from "../service.js";
import { awsQueryCodec } from "./aws-query.js";
import { models } from "./model.js";
import type { WireRequest } from "./wire.js";

const codec = awsQueryCodec(models.sts);
const req = (body: string, query = ""): WireRequest => ({ method: "POST", path: "/", query, headers: { "content-type": "application/x-www-form-urlencoded" }, body: Buffer.from(body) });

describe("awsQuery decoding", () => {
  it("decodes flattened lists, nested structures and numbers", () => {
    const d = codec.decode(req("Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2FR&RoleSessionName=s&DurationSeconds=900&Tags.member.1.Key=a&Tags.member.1.Value=1&Tags.member.2.Key=b&Tags.member.2.Value=2&TransitiveTagKeys.member.1=a"));
    expect(d).toEqual({
      operation: "AssumeRole",
      input: { RoleArn: "arn:aws:iam::1:role/R", RoleSessionName: "s", DurationSeconds: 900, Tags: [{ Key: "a", Value: "1" }, { Key: "b", Value: "2" }], TransitiveTagKeys: ["a"] },
    });
  });

  it("reads GET-style query strings too", () => {
    expect(codec.decode({ ...req(""), method: "GET" , query: "Action=GetCallerIdentity&Version=2011-06-15" }).operation).toBe("GetCallerIdentity");
  });

  it("answers a missing or unknown Action as AWS does", () => {
    expect(() => codec.decode(req("Version=2011-06-15"))).toThrow(expect.objectContaining({ code: "MissingAction" }));
    expect(() => codec.decode(req("Action=Nope&Version=2011-06-15"))).toThrow(expect.objectContaining({ code: "InvalidAction" }));
    expect(() => codec.decode(req("Action=AssumeRole&DurationSeconds=soon"))).toThrow(expect.objectContaining({ code: "InvalidParameterValue" }));
  });
});

describe("awsQuery encoding", () => {
  it("wraps the result and writes ISO timestamps", () => {
    const r = codec.encodeOutput("AssumeRole", { Credentials: { AccessKeyId: "ASIA", SecretAccessKey: "s&<", SessionToken: "t", Expiration: new Date("2025-01-01T13:00:00Z") } }, "rid");
    expect(r.body).toBe(
      '<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>ASIA</AccessKeyId><SecretAccessKey>s&amp;&lt;</SecretAccessKey><SessionToken>t</SessionToken><Expiration>2025-01-01T13:00:00Z</Expiration></Credentials></AssumeRoleResult><ResponseMetadata><RequestId>rid</RequestId></ResponseMetadata></AssumeRoleResponse>',
    );
  });

  it("puts the awsQueryError code, not the shape name, in <Code>", () => {
    const r = codec.encodeError(new ServiceError("PackedPolicyTooLargeException", "too big"), "rid");
    expect(r.status).toBe(400);
    expect(r.body).toContain("<Type>Sender</Type><Code>PackedPolicyTooLarge</Code><Message>too big</Message>");
    const denied = codec.encodeError(new ServiceError("AccessDenied", "no", 403), "rid");
    expect(denied.status).toBe(403);
    expect(denied.body).toContain("<Code>AccessDenied</Code>");
    expect(codec.encodeError(new ServiceError("InternalFailure", "x", 500), "rid").body).toContain("<Type>Receiver</Type>");
  });
});
