#!/usr/bin/env node
// Launcher: runs the TypeScript CLI through tsx's ESM loader, so no build step
// is needed. Everything is resolved from this file, not from the caller's cwd
// (including the tsconfig, which tsx would otherwise look up in the cwd).
import { fileURLToPath } from "node:url";

// zod is loaded natively before the tsx hooks are registered: routing its many
// small modules through the loader thread costs a few hundred ms per run.
const [{ register }] = await Promise.all([import("tsx/esm/api"), import("zod")]);
register({ tsconfig: fileURLToPath(new URL("../tsconfig.json", import.meta.url)) });

const { main } = await import(new URL("../cli/main.ts", import.meta.url).href);
process.exitCode = await main(process.argv.slice(2));
