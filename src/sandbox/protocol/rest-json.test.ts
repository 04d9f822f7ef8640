import { describe, expect, it } from "vitest";
import { ServiceError } from "../service.js";
import { models } from "./model.js";
import { restJsonCodec } from "./rest-json.js";
import type { WireRequest } from "./wire.js";

const codec = restJsonCodec(models.backup);
const req = (method: string, path: string, query = "", body = "", contentType = "application/json"): WireRequest => ({
  method, path, query, headers: { "content-type": contentType }, body: Buffer.from(body),
});

describe("restJson1 routing and decoding", () => {
  it("prefers the template with more literal segments", () => {
    expect(codec.decode(req("GET", "/backup-vaults/v1/access-policy")).operation).toBe("GetBackupVaultAccessPolicy");
    expect(codec.decode(req("GET", "/backup-vaults/v1")).operation).toBe("DescribeBackupVault");
    expect(codec.decode(req("GET", "/backup/plans/p1/versions")).operation).toBe("ListBackupPlanVersions");
  });

  it("decodes each label after splitting the path", () => {
    const arn = "arn:aws:backup:us-east-1:111111111111:recovery-point:a/b";
    const d = codec.decode(req("GET", `/backup-vaults/v1/recovery-points/${encodeURIComponent(arn)}`));
    expect(d).toEqual({ operation: "DescribeRecoveryPoint", input: { BackupVaultName: "v1", RecoveryPointArn: arn } });
  });

  it("decodes query members by their query names and types", () => {
    const d = codec.decode(req("GET", "/copy-jobs", "maxResults=5&createdBefore=2025-01-31T00%3A00%3A00Z&state=FAILED"));
    expect(d.operation).toBe("ListCopyJobs");
    expect(d.input).toEqual({ MaxResults: 5, ByCreatedBefore: new Date("2025-01-31T00:00:00Z"), ByState: "FAILED" });
  });

  it("turns JSON body timestamps from epoch seconds into Dates", () => {
    const d = codec.decode(req("PUT", "/backup-jobs", "", JSON.stringify({ BackupVaultName: "v", ResourceArn: "r", IamRoleArn: "i", IdempotencyToken: "t", StartWindowMinutes: 60 })));
    expect(d.input).toMatchObject({ BackupVaultName: "v", StartWindowMinutes: 60 });
  });

  it("rejects what it cannot decode with AWS-shaped errors", () => {
    expect(() => codec.decode(req("GET", "/nowhere"))).toThrow(ServiceError);
    expect(() => codec.decode(req("GET", "/copy-jobs", "maxResults=ten"))).toThrow(/must be a number/);
    expect(() => codec.decode(req("PUT", "/backup-vaults/v1", "", "{", "application/json"))).toThrow(expect.objectContaining({ code: "SerializationException" }));
    expect(() => codec.decode(req("PUT", "/backup-vaults/v1", "", "{}", "text/plain"))).toThrow(expect.objectContaining({ code: "UnsupportedMediaTypeException" }));
  });
});

describe("restJson1 encoding", () => {
  it("writes timestamps as epoch seconds and drops undeclared and undefined members", () => {
    const r = codec.encodeOutput("DescribeBackupVault", { BackupVaultName: "v", CreationDate: new Date(1_700_000_000_500), EncryptionKeyArn: undefined, Extra: 1 }, "rid");
    expect(JSON.parse(r.body)).toEqual({ BackupVaultName: "v", CreationDate: 1_700_000_000.5 });
    expect(r.headers["x-amzn-RequestId"]).toBe("rid");
  });

  it("names the error in X-Amzn-ErrorType and uses the model's status", () => {
    const conflict = codec.encodeError(new ServiceError("ConflictException", "busy"), "rid");
    expect(conflict.status).toBe(409);
    expect(conflict.headers["X-Amzn-ErrorType"]).toBe("ConflictException");
    const exists = codec.encodeError(new ServiceError("AlreadyExistsException", "dup", 400, { Arn: "a", CreatorRequestId: "c" }), "rid");
    expect(JSON.parse(exists.body)).toMatchObject({ Message: "dup", Arn: "a", CreatorRequestId: "c" });
    expect(codec.encodeError(new ServiceError("ServiceUnavailableException", "x"), "rid").status).toBe(500);
  });
});
