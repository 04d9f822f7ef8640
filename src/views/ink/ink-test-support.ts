// Imported first by the Ink component tests. Ink decides when it is loaded whether it runs in CI (CI or
// CONTINUOUS_INTEGRATION set), and there it writes only the last frame, so a test could not see the frames in
// between. crossvault never runs Ink in CI (src/cli/terminal.ts), so neither do its tests.
delete process.env.CI;
delete process.env.CONTINUOUS_INTEGRATION;
