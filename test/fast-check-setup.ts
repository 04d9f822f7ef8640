// Property tests explore new random cases on every developer run; in CI (CI=true) they replay one fixed seed, so
// a red CI run is reproducible and never the luck of a draw. FC_SEED=N replays a seed a failure reported.
import fc from "fast-check";

const seed = process.env.FC_SEED ?? (process.env.CI ? "20261130" : undefined);
if (seed !== undefined) fc.configureGlobal({ seed: Number(seed) });
