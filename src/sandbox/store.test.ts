import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createWorld, DEFAULT_FIXTURE } from "./fixture.js";
import { StateFile, StateFileError } from "./store.js";

const dir = mkdtempSync(join(tmpdir(), "crossvault-store-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("StateFile", () => {
  it("round-trips a world and reports a missing file as no world", async () => {
    const file = new StateFile(join(dir, "a.json"));
    expect(file.load()).toBeUndefined();
    const world = createWorld(DEFAULT_FIXTURE, 1);
    await file.save(JSON.stringify(world));
    expect(new StateFile(join(dir, "a.json")).load()).toEqual(world);
  });

  it("coalesces a burst of saves into few writes, ending with the newest", async () => {
    const path = join(dir, "b.json");
    const file = new StateFile(path);
    const saves = Array.from({ length: 50 }, (_, i) => file.save(JSON.stringify({ formatVersion: 1, n: i })));
    await Promise.all(saves);
    expect(JSON.parse(readFileSync(path, "utf8")).n).toBe(49);
    await file.flush();
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("removes temp files a crash left behind and refuses other format versions", () => {
    const path = join(dir, "c.json");
    writeFileSync(join(dir, ".c.json.123.4.tmp"), "{partial");
    writeFileSync(path, JSON.stringify({ formatVersion: 2 }));
    expect(() => new StateFile(path).load()).toThrow(StateFileError);
    expect(readdirSync(dir)).not.toContain(".c.json.123.4.tmp");
    writeFileSync(path, "{torn");
    expect(() => new StateFile(path).load()).toThrow(/is not valid JSON/);
  });
});
