// Lays out the image's /app from a finished `next build`: Next's standalone
// server and its traced node_modules, the static assets, the SQL migrations, and
// scripts/start.ts compiled to one file (scripts/start.mjs) that runs the same
// start-up as `npm start` (sandbox, migrations, job runner) before serving.
// Used by the Dockerfile's build stage and by `npm run image:build`.
import { cpSync, existsSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";

/** Packages Next keeps outside its bundle (next.config.ts) and Next itself: loaded from the standalone node_modules. */
const EXTERNAL = ["next", "@electric-sql/pglite", "pglite-prisma-adapter", "pg", "@prisma/adapter-pg", "@kubernetes/client-node"];

export async function assembleApp(root: string, outDir: string): Promise<void> {
  const standalone = path.join(root, ".next", "standalone");
  if (!existsSync(path.join(standalone, "server.js"))) throw new Error(`${standalone}/server.js is missing: run "next build" with output "standalone" first`);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  cpSync(standalone, outDir, { recursive: true, verbatimSymlinks: true });
  cpSync(path.join(root, ".next", "static"), path.join(outDir, ".next", "static"), { recursive: true });
  if (existsSync(path.join(root, "public"))) cpSync(path.join(root, "public"), path.join(outDir, "public"), { recursive: true });
  rmSync(path.join(outDir, "prisma"), { recursive: true, force: true });
  cpSync(path.join(root, "prisma", "migrations"), path.join(outDir, "prisma", "migrations"), { recursive: true });
  // A build-time cache the server never reads.
  rmSync(path.join(outDir, ".next", "cache"), { recursive: true, force: true });

  await build({
    entryPoints: [path.join(root, "scripts", "start.ts")],
    outfile: path.join(outDir, "scripts", "start.mjs"),
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    external: EXTERNAL,
    alias: { "@": root },
    legalComments: "none",
    logLevel: "warning",
    // Bundled CommonJS dependencies call require().
    banner: { js: "import { createRequire as __rolegateCreateRequire } from 'node:module'; const require = __rolegateCreateRequire(import.meta.url);" },
    plugins: [
      {
        // "server-only" throws outside React server components; the start script is server code by definition.
        name: "server-only",
        setup(b) {
          b.onResolve({ filter: /^server-only$/ }, () => ({ path: "server-only", namespace: "rolegate-empty" }));
          b.onLoad({ filter: /.*/, namespace: "rolegate-empty" }, () => ({ contents: "export {};" }));
        },
      },
    ],
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = path.resolve(import.meta.dirname, "..", "..");
  await assembleApp(root, path.resolve(process.argv[2] ?? path.join(root, "tmp", "image", "context", "app")));
}
