// Helpers for the sandbox core tests: SDK clients pointed at a sandbox, and raw HTTP requests (with a
// syntactically valid SigV4 Authorization header) for what the SDKs would never send.
import { request } from "node:http";
import { BackupClient } from "@aws-sdk/client-backup";
import { KMSClient } from "@aws-sdk/client-kms";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { STSClient } from "@aws-sdk/client-sts";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "1";

export interface ClientOptions {
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  region?: string;
  maxAttempts?: number;
}

export function clients(url: string, o: ClientOptions = {}) {
  const config = {
    endpoint: url,
    region: o.region ?? "us-east-1",
    credentials: { accessKeyId: o.accessKeyId ?? "AKIASANDBOX111111111", secretAccessKey: o.secretAccessKey ?? "sandbox", ...(o.sessionToken ? { sessionToken: o.sessionToken } : {}) },
    maxAttempts: o.maxAttempts ?? 1,
  };
  return { backup: new BackupClient(config), kms: new KMSClient(config), organizations: new OrganizationsClient(config), sts: new STSClient(config) };
}

export function authorization(service: string, accessKeyId = "AKIASANDBOX111111111", region = "us-east-1"): string {
  return `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20250101/${region}/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=${"0".repeat(64)}`;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export function raw(url: string, r: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const u = new URL(r.path ?? "/", url);
    const req = request(u, { method: r.method ?? "POST", headers: r.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(r.body);
  });
}

export const json11 = (service: "kms" | "organizations", op: string, key?: string) => ({
  "Content-Type": "application/x-amz-json-1.1",
  "X-Amz-Target": `${service === "kms" ? "TrentService" : "AWSOrganizationsV20161128"}.${op}`,
  Authorization: authorization(service, key),
});

export const form = (key?: string) => ({ "Content-Type": "application/x-www-form-urlencoded", Authorization: authorization("sts", key) });
