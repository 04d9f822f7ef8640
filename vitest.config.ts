import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "src/**/*.test.tsx", "test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // End-to-end tests spawn the built CLI and sandboxes; two cores do not like a fork per file.
    pool: "forks",
    globalSetup: ["test/global-setup.ts"],
    setupFiles: ["test/fast-check-setup.ts"],
    // Tests that build SDK clients themselves (not through the engine's ClientPool, which sets it) would print the
    // SDK's Node-version notice into the test output.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  },
});
