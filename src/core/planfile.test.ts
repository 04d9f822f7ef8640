import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UserError } from "../cli/errors.js";
import { diffResources } from "./diff.js";
import { STACK, kmsKey, liveFrom, vault, vaultPolicy, copyStatement, PROD } from "./diff-test-support.js";
import { assemblePlan } from "./plan.js";
import { loadPlan, planJson, savePlan, staleness } from "./planfile.js";
import type { Plan } from "./plan-types.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "crossvault-planfile-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function examplePlan(): Plan {
  const desired = [kmsKey("central"), vault("central"), vaultPolicy("central", [copyStatement(PROD, "central")])];
  const lives = liveFrom(desired.slice(0, 2));
  const diff = diffResources(desired, lives, { stack: STACK, mode: "apply" });
  const fingerprints = Object.fromEntries(lives.map((l) => [l.identity, l.fingerprint]));
  return assemblePlan({
    stack: STACK, configPath: "examples/basic", configHash: "abc", variables: { env: "prod" }, targets: [], mode: "apply", diff,
    fingerprints, unreadable: [], toolVersion: "0.1.0", now: "2025-06-01T00:00:00Z",
  });
}

async function refusal(text: string): Promise<UserError> {
  const path = join(dir, `bad-${Math.abs(hash(text))}.json`);
  await writeFile(path, text);
  const err = await loadPlan(path).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(UserError);
  return err as UserError;
}

function hash(s: string): number {
  let h = 0;
  for (const ch of s) h = (h * 31 + ch.charCodeAt(0)) | 0;
  return h;
}

describe("savePlan / loadPlan", () => {
  it("round-trips a plan, leaves no temporary file and keeps it private", async () => {
    const plan = examplePlan();
    const path = join(dir, "plan.json");
    await savePlan(path, plan);
    expect(await loadPlan(path)).toEqual(JSON.parse(planJson(plan)));
    expect((await readdir(dir)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    expect((await stat(path)).mode & 0o077).toBe(0);
  });

  it("writes a stable text: the same plan gives the same bytes, format_version first", async () => {
    const plan = examplePlan();
    const shuffled = Object.fromEntries(Object.entries(plan).reverse()) as unknown as Plan;
    expect(planJson(shuffled)).toBe(planJson(plan));
    expect(planJson(plan).split("\n")[1]).toBe('  "format_version": "1.0",');
  });

  it("replaces an existing file whole", async () => {
    const path = join(dir, "replace.json");
    await writeFile(path, "old");
    await savePlan(path, examplePlan());
    expect((await readFile(path, "utf8")).startsWith("{")).toBe(true);
  });

  it("says why it cannot write", async () => {
    await expect(savePlan(join(dir, "missing", "plan.json"), examplePlan())).rejects.toThrow(/cannot write the plan to .*: the directory does not exist/);
  });

  it("refuses a missing file, corrupt JSON, a non-plan and another major version, saying what to do", async () => {
    const missing = (await loadPlan(join(dir, "nope.json")).then(() => undefined, (e: unknown) => e)) as UserError;
    expect(missing).toBeInstanceOf(UserError);
    expect(missing.message).toMatch(/plan file .*nope\.json does not exist/);
    expect(missing.hint).toContain("crossvault plan --out");

    const text = planJson(examplePlan());
    const truncated = await refusal(text.slice(0, text.length / 2));
    expect(truncated.message).toMatch(/is corrupt: it is not valid JSON/);
    expect(truncated.hint).toContain("Make the plan again");

    // Not JSON at all (a config file passed by mistake): no advice to write a plan over it.
    const other = await refusal('vault "a" {\n  name = "x"\n}\n');
    expect(other.message).toMatch(/is not a crossvault plan file \(it is not a plan's JSON\)/);
    expect(other.hint).not.toMatch(/--out \S*bad-/);
    // JSON-like but not a plan (a tsconfig.json with comments): the same.
    const jsonish = await refusal('{\n  // options\n  "compilerOptions": {}\n}\n');
    expect(jsonish.message).toMatch(/is not a crossvault plan file/);
    expect(jsonish.hint).not.toMatch(/--out \S*bad-/);

    expect((await refusal('{"hello": 1}')).message).toMatch(/is not a crossvault plan file/);
    expect((await refusal("[1,2]")).message).toMatch(/is not a crossvault plan file/);

    const future = await refusal(text.replace('"format_version": "1.0"', '"format_version": "2.0"'));
    expect(future.message).toMatch(/has plan format 2\.0 \(saved by crossvault 0\.1\.0\); this crossvault reads plan format 1\.x only/);
  });

  it("accepts a newer minor version and refuses a damaged or edited plan, naming the place", async () => {
    const text = planJson(examplePlan());
    const path = join(dir, "minor.json");
    await writeFile(path, text.replace('"format_version": "1.0"', '"format_version": "1.3"'));
    await expect(loadPlan(path)).resolves.toMatchObject({ stack: STACK });

    const value = JSON.parse(text) as Plan;
    const badAction = structuredClone(value) as unknown as { changes: Array<Record<string, unknown>> };
    badAction.changes[2]!.action = "explode";
    expect((await refusal(JSON.stringify(badAction))).message).toMatch(/damaged plan file: changes\[2\]\.action "explode" is not an action/);

    const edited = structuredClone(value);
    edited.changes[0]!.action = "delete";
    expect((await refusal(JSON.stringify(edited))).message).toMatch(/summary does not match its changes/);

    // An edit that makes the changes wait for each other would leave apply going round in circles.
    const circle = structuredClone(value);
    const [first, second] = [circle.changes[0]!, circle.changes[1]!];
    first.dependsOn = [...first.dependsOn, second.address];
    second.dependsOn = [...second.dependsOn, first.address];
    expect((await refusal(JSON.stringify(circle))).message).toMatch(/damaged plan file: its changes depend on each other in a circle \(\S+ -> \S+ -> \S+\)/);

    const noMode = structuredClone(value) as unknown as Record<string, unknown>;
    delete noMode.mode;
    expect((await refusal(JSON.stringify(noMode))).message).toMatch(/mode is neither apply nor destroy/);
  });
});

describe("staleness", () => {
  it("lists nothing when every fingerprint is the same", () => {
    const plan = examplePlan();
    expect(staleness(plan, { ...plan.fingerprints })).toEqual([]);
  });

  it("names changed, vanished and new objects by address where the plan knows it", () => {
    const plan = examplePlan();
    const [keyId, vaultId] = Object.keys(plan.fingerprints).sort();
    const policyIdentity = plan.changes.find((c) => c.address === "vault_policy.central")!.identity!;
    const now: Record<string, string> = { [vaultId!]: "different", [policyIdentity]: "new", "vault:999999999999/eu-west-1/x": "y" };
    expect(keyId).toMatch(/^kms_key:/);
    expect(staleness(plan, now)).toEqual([
      "kms_key.central changed since the plan was made (it no longer exists)",
      "vault.central changed since the plan was made",
      "vault:999999999999/eu-west-1/x changed since the plan was made (it did not exist then)",
      "vault_policy.central changed since the plan was made (it did not exist then)",
    ]);
  });
});
