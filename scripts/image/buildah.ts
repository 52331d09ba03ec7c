// Runs buildah the way these machines can: vfs storage (no overlay in a
// container), chroot isolation (no user namespaces), as root.
import { execFileSync, spawnSync, type SpawnSyncOptions } from "node:child_process";

export const STORAGE = ["--storage-driver", "vfs"];

export function requireBuildah(): void {
  const r = spawnSync("buildah", ["--version"], { encoding: "utf8" });
  if (r.error || r.status !== 0) {
    throw new Error("buildah is not installed: `apt-get install -y buildah` (Debian/Ubuntu), or build with Docker: `docker build -t rolegate .`");
  }
}

export function buildah(args: string[], options: SpawnSyncOptions = {}): string {
  return execFileSync("buildah", [...STORAGE, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], ...options }) as string;
}

/** The image's id, or undefined when no image has that name. */
export function imageId(name: string): string | undefined {
  const r = spawnSync("buildah", [...STORAGE, "images", "--noheading", "--quiet", "--no-trunc", name], { encoding: "utf8" });
  const id = r.status === 0 ? r.stdout.trim().split("\n")[0] : "";
  return id || undefined;
}

/** Removes the working containers `buildah bud` leaves behind for stages without steps. */
export function removeWorkingContainers(): void {
  const r = spawnSync("buildah", [...STORAGE, "containers", "--format", "{{.ContainerID}} {{.ContainerName}}"], { encoding: "utf8" });
  for (const line of r.stdout?.split("\n") ?? []) {
    const [id, name] = line.trim().split(/\s+/);
    if (id && name?.endsWith("-working-container")) spawnSync("buildah", [...STORAGE, "rm", id], { stdio: "ignore" });
  }
}

export function imageLabel(name: string, label: string): string | undefined {
  const r = spawnSync("buildah", [...STORAGE, "inspect", "--type", "image", "--format", `{{index .OCIv1.Config.Labels "${label}"}}`, name], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() || undefined : undefined;
}
