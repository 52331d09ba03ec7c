// `next build` only when the sources changed since the last build, so a second
// `npm start` is fast while a fresh clone still gets a full build.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ensurePrismaClient } from "./ensure-generated";

const INPUTS = ["app", "lib", "public", "next.config.ts", "postcss.config.mjs", "tsconfig.json", "package-lock.json", "prisma/schema"];

function fingerprint(root: string): string {
  const hash = createHash("sha256");
  const walk = (p: string) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const name of readdirSync(p).sort()) walk(path.join(p, name));
    } else {
      hash.update(path.relative(root, p)).update("\0").update(readFileSync(p));
    }
  };
  for (const input of INPUTS) walk(path.join(root, input));
  return hash.digest("hex");
}

export function buildIfNeeded(root = process.cwd(), force = false): void {
  ensurePrismaClient(root);
  const stampFile = path.join(root, ".next", "rolegate-build-stamp");
  const current = fingerprint(root);
  if (!force && existsSync(path.join(root, ".next", "BUILD_ID")) && existsSync(stampFile) && readFileSync(stampFile, "utf8") === current) {
    return;
  }
  console.log("Building RoleGate (next build)… this takes a minute or two on first start.");
  execFileSync(path.join(root, "node_modules/.bin/next"), ["build"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  writeFileSync(stampFile, current);
}

if (import.meta.url === `file://${process.argv[1]}`) buildIfNeeded(process.cwd(), process.argv.includes("--force"));
