// `npm run screenshots`: the browser tests' app and Chromium (playwright.config.ts:
// a fresh sandbox, built app), walking e2e/screenshots/*.shots.ts
// to regenerate docs/screenshots/. Kept out of `npm test`: the test config only
// matches *.spec.ts. Fixed viewport, light scheme, reduced motion, one scale.
import { defineConfig } from "@playwright/test";
import base from "./playwright.config";

// The app on the embedded database of its fresh data directory (DATABASE_URL empty), not the developer's or
// the tests' Postgres: the pictures show the seeded sandbox and what the walk itself did, nothing left over.
const servers = [base.webServer ?? []].flat().map((s) => (s.env?.ROLEGATE_MODE ? { ...s, env: { ...s.env, DATABASE_URL: "" } } : s));

export default defineConfig({
  ...base,
  webServer: servers,
  testDir: "e2e/screenshots",
  testMatch: "*.shots.ts",
  retries: 0,
  use: {
    ...base.use,
    viewport: { width: 1280, height: 800 },
    deviceScaleFactor: 1,
    colorScheme: "light",
    reducedMotion: "reduce",
    locale: "en-US",
    timezoneId: "UTC",
    trace: "off",
  },
});
