// The sandbox's public surface: start one in-process, and the fixture helpers around it.
export { startSandbox } from "./server.js";
export type { SandboxHandle, SandboxOptions } from "./server.js";
export { createWorld, DEFAULT_FIXTURE, FixtureError, loadFixtureFile, validateFixture } from "./fixture.js";
export type { OrgFixture } from "./fixture.js";
export { StateFileError } from "./store.js";
export type { StatsSnapshot } from "./stats.js";
