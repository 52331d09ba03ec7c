#!/usr/bin/env node
// Launcher: runs the TypeScript CLI through tsx's scoped ESM loader, so no build
// step is needed. Paths are resolved from this file, not the caller's cwd.
import { tsImport } from "tsx/esm/api";

const { main } = await tsImport("../lib/cli/main.ts", import.meta.url);
process.exitCode = await main(process.argv.slice(2));
