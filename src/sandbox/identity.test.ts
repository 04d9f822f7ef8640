import { describe, expect, it } from "vitest";
import { createWorld, DEFAULT_FIXTURE } from "./fixture.js";
import { callerOf, readCredential, serviceOf } from "./identity.js";
import type { WireRequest } from "./protocol/wire.js";

const req = (headers: Record<string, string>, query = "", path = "/"): WireRequest => ({ method: "POST", path, query, headers, body: Buffer.alloc(0) });
const auth = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE1234567/20250101/eu-west-1/kms/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc";

describe("readCredential", () => {
  it("reads key, region and service from the credential scope", () => {
    expect(readCredential(req({ authorization: auth }))).toEqual({ ok: true, scope: { accessKeyId: "AKIDEXAMPLE1234567", date: "20250101", region: "eu-west-1", service: "kms" } });
  });

  it("reads presigned query credentials", () => {
    const q = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE1234567%2F20250101%2Fus-east-1%2Fsts%2Faws4_request&X-Amz-SignedHeaders=host&X-Amz-Signature=abc";
    expect(readCredential(req({}, q))).toMatchObject({ ok: true, scope: { service: "sts", region: "us-east-1" } });
  });

  it("tells a missing signature from a malformed one", () => {
    expect(readCredential(req({}))).toMatchObject({ ok: false, kind: "missingAuthentication" });
    expect(readCredential(req({ authorization: "AWS4-HMAC-SHA256 Credential=AKID/20250101/us-east-1/kms/aws4_request" }))).toMatchObject({ ok: false, kind: "incompleteSignature" });
    expect(readCredential(req({ authorization: "AWS AKID:sig" }))).toMatchObject({ ok: false, kind: "incompleteSignature" });
    expect(readCredential(req({ authorization: auth.replace("/kms/", "/") }))).toMatchObject({ ok: false, kind: "incompleteSignature" });
  });
});

describe("serviceOf", () => {
  it("follows the credential scope, then the request's shape", () => {
    expect(serviceOf(req({}), "organizations")).toBe("organizations");
    expect(serviceOf(req({}), "s3")).toBeUndefined();
    expect(serviceOf(req({ "x-amz-target": "TrentService.ListKeys" }), undefined)).toBe("kms");
    expect(serviceOf(req({ "x-amz-target": "AWSOrganizationsV20161128.ListRoots" }), undefined)).toBe("organizations");
    expect(serviceOf(req({ "content-type": "application/x-www-form-urlencoded" }), undefined)).toBe("sts");
    expect(serviceOf(req({}, "", "/backup-vaults"), undefined)).toBe("backup");
  });
});

describe("callerOf", () => {
  const world = createWorld(DEFAULT_FIXTURE, 0);
  world.identity.issued.ASIAEXAMPLE = {
    accessKeyId: "ASIAEXAMPLE", secretAccessKey: "s", sessionToken: "t", accountId: "222222222222",
    roleArn: "arn:aws:iam::222222222222:role/OrganizationAccountAccessRole", sessionName: "sess", expiresAt: 10_000,
  };

  it("maps issued, fixture-mapped and unknown keys", () => {
    expect(callerOf(world, "ASIAEXAMPLE", 5_000)).toEqual({
      ok: true,
      caller: { accessKeyId: "ASIAEXAMPLE", accountId: "222222222222", arn: "arn:aws:sts::222222222222:assumed-role/OrganizationAccountAccessRole/sess", roleArn: "arn:aws:iam::222222222222:role/OrganizationAccountAccessRole" },
    });
    expect(callerOf(world, "AKIASANDBOX333333333", 0)).toMatchObject({ ok: true, caller: { accountId: "333333333333", arn: "arn:aws:iam::333333333333:root" } });
    expect(callerOf(world, "AKIAANYTHINGELSE0000", 0)).toMatchObject({ ok: true, caller: { accountId: "111111111111" } });
  });

  it("refuses issued credentials past their expiry", () => {
    expect(callerOf(world, "ASIAEXAMPLE", 10_000)).toEqual({ ok: false, kind: "expiredToken" });
  });
});
