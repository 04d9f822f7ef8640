// The sandbox survives bad input: malformed JSON, wrong content types, huge bodies, broken HTTP, unknown
// paths and concurrent requests to one resource each get an AWS-shaped answer, and it keeps serving.
import { connect } from "node:net";
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateBackupVaultCommand, ListBackupVaultsCommand, TagResourceCommand } from "@aws-sdk/client-backup";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { startSandbox } from "../src/sandbox/index.js";
import type { SandboxHandle } from "../src/sandbox/index.js";
import { authorization, clients, form, json11, raw } from "./sandbox-core-clients.js";

let sb: SandboxHandle;
let counter = 0;
const MAX_BODY = 64 * 1024;

beforeAll(async () => {
  sb = await startSandbox({
    maxBodyBytes: MAX_BODY,
    log: () => undefined,
    services: {
      // A handler that awaits between reading and writing: only the one-at-a-time rule keeps updates whole.
      kms: {
        operations: {
          ListKeys: async () => {
            const before = counter;
            await new Promise((r) => setTimeout(r, 1));
            counter = before + 1;
            return { Keys: [], Truncated: false };
          },
          GenerateRandom: () => {
            throw new TypeError("a bug in a handler");
          },
        },
      },
    },
  });
});

afterAll(async () => {
  await sb.stop();
});

async function stillServing(): Promise<void> {
  const me = await clients(sb.url).sts.send(new GetCallerIdentityCommand({}));
  expect(me.Account).toBe("111111111111");
}

describe("bad input gets AWS-shaped errors", () => {
  it("malformed JSON -> SerializationException (JSON 1.1 and REST)", async () => {
    const kms = await raw(sb.url, { headers: json11("kms", "ListKeys"), body: "{not json" });
    expect(kms.status).toBe(400);
    expect(JSON.parse(kms.body).__type).toBe("SerializationException");
    const rest = await raw(sb.url, { method: "PUT", path: "/backup-vaults/v1", headers: { "Content-Type": "application/json", Authorization: authorization("backup") }, body: "[1,2" });
    expect(rest.status).toBe(400);
    expect(rest.headers["x-amzn-errortype"]).toBe("SerializationException");
    const wrongType = await raw(sb.url, { headers: json11("organizations", "ListAccounts"), body: '{"MaxResults":"ten"}' });
    expect(JSON.parse(wrongType.body).__type).toBe("SerializationException");
    await stillServing();
  });

  it("wrong content types -> UnsupportedMediaTypeException / MissingAction", async () => {
    const kms = await raw(sb.url, { headers: { ...json11("kms", "ListKeys"), "Content-Type": "text/plain" }, body: "{}" });
    expect(kms.status).toBe(415);
    expect(JSON.parse(kms.body).__type).toBe("UnsupportedMediaTypeException");
    const rest = await raw(sb.url, { method: "PUT", path: "/backup-vaults/v1", headers: { "Content-Type": "application/xml", Authorization: authorization("backup") }, body: "<x/>" });
    expect(rest.status).toBe(415);
    const sts = await raw(sb.url, { headers: { ...form(), "Content-Type": "application/json" }, body: '{"Action":"GetCallerIdentity"}' });
    expect(sts.status).toBe(400);
    expect(sts.body).toMatch(/<ErrorResponse .*<Code>(InvalidParameterValue|MissingAction)<\/Code>/);
    await stillServing();
  });

  it("a body over the limit -> 413 without buffering it (declared length)", async () => {
    const res = await raw(sb.url, { headers: json11("kms", "ListKeys"), body: Buffer.alloc(MAX_BODY + 1, 0x20) });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).__type).toBe("RequestEntityTooLargeException");
    await stillServing();
  });

  it("a chunked body over the limit -> 413 in the protocol's shape", async () => {
    const status = await new Promise<{ status: number; body: string } | Error>((resolve) => {
      const req = request(new URL("/", sb.url), { method: "POST", headers: form() }, (res) => {
        let body = "";
        res.on("data", (c: Buffer) => (body += c.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on("error", (e) => resolve(e));
      const chunk = Buffer.alloc(16 * 1024, 0x61);
      for (let i = 0; i < 6; i++) req.write(chunk);
      req.end();
    });
    expect(status).not.toBeInstanceOf(Error);
    expect((status as { status: number }).status).toBe(413);
    expect((status as { body: string }).body).toContain("<Code>RequestEntityTooLarge</Code>");
    await stillServing();
  });

  it("a body far over the limit has its connection cut, and the server keeps serving", async () => {
    const outcome = await new Promise<string>((resolve) => {
      const req = request(new URL("/", sb.url), { method: "POST", headers: form() }, (res) => {
        res.resume();
        res.on("end", () => resolve(`status ${res.statusCode}`));
      });
      req.on("error", () => resolve("cut"));
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      let sent = 0;
      const pump = (): void => {
        while (sent < 200) {
          sent++;
          if (!req.write(chunk)) return void req.once("drain", pump);
        }
        req.end();
      };
      pump();
    });
    expect(["cut", "status 413"]).toContain(outcome);
    await stillServing();
  });

  it("garbage that is not HTTP gets a 400 and the server keeps serving", async () => {
    const reply = await new Promise<string>((resolve) => {
      const s = connect(sb.port, "127.0.0.1", () => s.write("HELLO THERE\r\n\r\n"));
      let data = "";
      s.on("data", (c) => (data += c.toString()));
      s.on("close", () => resolve(data));
      s.on("error", () => resolve(data));
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    await stillServing();
  });

  it("unknown paths and methods get an AWS-shaped error", async () => {
    for (const [method, path] of [["GET", "/"], ["DELETE", "/backup-vaults"], ["PATCH", "/backup/plans/x"], ["GET", "/%E0%A4%A"]] as const) {
      const res = await raw(sb.url, { method, path, headers: { Authorization: authorization("backup") } });
      expect(res.status).toBe(404);
      expect(res.headers["x-amzn-errortype"]).toBe("UnknownOperationException");
      expect(res.headers["x-amzn-requestid"]).toBeTruthy();
    }
    await stillServing();
  });

  it("a bug in a handler is a 500 InternalFailure, not a crash", async () => {
    const res = await raw(sb.url, { headers: json11("kms", "GenerateRandom"), body: '{"NumberOfBytes":8}' });
    expect(res.status).toBe(500);
    expect(JSON.parse(res.body).__type).toBe("InternalFailure");
    await stillServing();
  });
});

describe("concurrency", () => {
  it("creates a vault once when many clients race for the same name", async () => {
    const { backup } = clients(sb.url);
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => backup.send(new CreateBackupVaultCommand({ BackupVaultName: "race-vault", CreatorRequestId: `req-${i}` }))),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results.filter((x) => x.status === "rejected")) expect((r as PromiseRejectedResult).reason.name).toBe("AlreadyExistsException");
    const list = await backup.send(new ListBackupVaultsCommand({}));
    expect(list.BackupVaultList?.filter((v) => v.BackupVaultName === "race-vault")).toHaveLength(1);
  });

  it("keeps every concurrent tag update of one resource", async () => {
    const { backup } = clients(sb.url);
    const created = await backup.send(new CreateBackupVaultCommand({ BackupVaultName: "tagged-vault" }));
    await Promise.all(Array.from({ length: 25 }, (_, i) => backup.send(new TagResourceCommand({ ResourceArn: created.BackupVaultArn!, Tags: { [`k${i}`]: `v${i}` } }))));
    const vault = sb.world().accounts["111111111111"]!.regions["us-east-1"]!.backup.vaults["tagged-vault"]!;
    expect(Object.keys(vault.tags)).toHaveLength(25);
  });

  it("never interleaves an async handler with another request", async () => {
    counter = 0;
    await Promise.all(Array.from({ length: 40 }, () => raw(sb.url, { headers: json11("kms", "ListKeys"), body: "{}" })));
    expect(counter).toBe(40);
  });
});
