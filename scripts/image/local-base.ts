// A runtime base image made from this machine's own Node binary, for CI here,
// where no registry can be reached to pull node:20-slim: FROM scratch plus a
// root file system holding node, the shared libraries `ldd` names, and the
// passwd/group entries of the non-root user. Built once per Node binary (the tag
// carries a hash of its inputs) and reused from buildah's storage afterwards.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, copyFileSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { buildah, imageId } from "./buildah";

export const LOCAL_BASE_REPOSITORY = "localhost/rolegate-node-base";

function sharedLibraries(binary: string): string[] {
  const out = execFileSync("ldd", [binary], { encoding: "utf8" });
  const libs = new Set<string>();
  for (const line of out.split("\n")) {
    const m = /=>\s*(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line);
    if (m) libs.add(m[1]!);
  }
  return [...libs].sort();
}

/** Builds the base image unless it exists; returns its name. */
export function ensureLocalBase(workDir: string, log: (m: string) => void = console.log): string {
  const node = realpathSync(process.execPath);
  const libs = sharedLibraries(node);
  const hash = createHash("sha256");
  for (const f of [node, ...libs]) hash.update(f).update(readFileSync(f));
  const tag = `${LOCAL_BASE_REPOSITORY}:node${process.versions.node}-${hash.digest("hex").slice(0, 12)}`;
  if (imageId(tag)) {
    log(`Base image ${tag} (cached)`);
    return tag;
  }
  log(`Building base image ${tag} from ${node} and ${libs.length} shared libraries`);
  const context = path.join(workDir, "base");
  const rootfs = path.join(context, "rootfs");
  rmSync(context, { recursive: true, force: true });
  for (const dir of ["usr/local/bin", "etc", "tmp"]) mkdirSync(path.join(rootfs, dir), { recursive: true });
  chmodSync(path.join(rootfs, "tmp"), 0o1777);
  copyFileSync(node, path.join(rootfs, "usr/local/bin/node"));
  for (const lib of libs) {
    const target = path.join(rootfs, lib);
    mkdirSync(path.dirname(target), { recursive: true });
    copyFileSync(realpathSync(lib), target);
  }
  writeFileSync(path.join(rootfs, "etc/passwd"), "root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n");
  writeFileSync(path.join(rootfs, "etc/group"), "root:x:0:\nnonroot:x:65532:\n");
  writeFileSync(path.join(rootfs, "etc/nsswitch.conf"), "hosts: files dns\n");
  writeFileSync(path.join(context, "Containerfile"), "FROM scratch\nCOPY rootfs/ /\nENV PATH=/usr/local/bin:/usr/bin:/bin\n");
  buildah(["bud", "--isolation", "chroot", "--layers=false", "-f", path.join(context, "Containerfile"), "-t", tag, context], { stdio: ["ignore", "ignore", "inherit"] });
  return tag;
}
