// `npm run image:build`: next build (when sources changed), lay out /app
// (assemble.ts), then build the Dockerfile with buildah from that prebuilt app.
// The runtime base is ROLEGATE_IMAGE_BASE when set (e.g. node:20-slim where a
// registry is reachable), else a local base made from this machine's Node
// (local-base.ts). Skips the build when an image with the same inputs exists.
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { buildIfNeeded } from "../build-if-needed";
import { assembleApp } from "./assemble";
import { spawnSync } from "node:child_process";
import { buildah, imageLabel, removeWorkingContainers, requireBuildah, STORAGE } from "./buildah";
import { ensureLocalBase } from "./local-base";

export const IMAGE = process.env.ROLEGATE_IMAGE || "localhost/rolegate:dev";
const FINGERPRINT_LABEL = "dev.rolegate.inputs";

function treeHash(dir: string): string {
  const hash = createHash("sha256");
  const walk = (p: string) => {
    for (const e of readdirSync(p, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(p, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isFile()) hash.update(path.relative(dir, full)).update("\0").update(readFileSync(full));
      else if (e.isSymbolicLink()) hash.update(path.relative(dir, full)).update("\0link");
    }
  };
  walk(dir);
  return hash.digest("hex");
}

/** Builds the image if its inputs changed; returns its name. */
export async function buildImage(root: string, log: (m: string) => void = console.log): Promise<{ image: string; built: boolean; seconds: number }> {
  const started = Date.now();
  requireBuildah();
  buildIfNeeded(root);
  const work = path.join(root, "tmp", "image");
  const context = path.join(work, "context");
  await assembleApp(root, path.join(context, "app"));
  mkdirSync(path.join(context, "data"), { recursive: true });
  const base = process.env.ROLEGATE_IMAGE_BASE || ensureLocalBase(work, log);
  const inputs = createHash("sha256")
    .update(treeHash(path.join(context, "app")))
    .update(readFileSync(path.join(root, "Dockerfile")))
    .update(base)
    .digest("hex");
  if (imageLabel(IMAGE, FINGERPRINT_LABEL) === inputs) {
    log(`Image ${IMAGE} is up to date`);
    return { image: IMAGE, built: false, seconds: (Date.now() - started) / 1000 };
  }
  log(`Building ${IMAGE} on ${base} (buildah, vfs storage)`);
  buildah(
    [
      "bud", "--isolation", "chroot", "--layers=false",
      "--build-arg", `BASE_IMAGE=${base}`, "--build-arg", `BUILD_IMAGE=${base}`, "--build-arg", "APP_SOURCE=prebuilt",
      "--label", `${FINGERPRINT_LABEL}=${inputs}`,
      "-f", path.join(root, "Dockerfile"), "-t", IMAGE, root,
    ],
    { stdio: ["ignore", "inherit", "inherit"] },
  );
  removeWorkingContainers();
  spawnSync("buildah", [...STORAGE, "rmi", "--prune"], { stdio: "ignore" }); // the intermediate stage images
  const seconds = (Date.now() - started) / 1000;
  log(`Built ${IMAGE} in ${seconds.toFixed(1)} s`);
  return { image: IMAGE, built: true, seconds };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = path.resolve(import.meta.dirname, "..", "..");
  process.chdir(root);
  try {
    await buildImage(root);
  } catch (e) {
    console.error(`image:build failed: ${(e as Error).message}`);
    process.exit(1);
  }
}
