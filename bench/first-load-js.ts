// First-load JavaScript per app page from the Next build output: the root main
// files every page loads plus the page's entry chunks (layout and page) from its
// client reference manifest, each gzipped as a browser would receive it.
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

function manifests(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return manifests(full);
    return name === "page_client-reference-manifest.js" ? [full] : [];
  });
}

/** Route ("/", "/mappings", "/requests/[id]") -> first-load JS in kB (gzip); null without a build. */
export function firstLoadJsKb(root: string): Map<string, number> | null {
  const next = path.join(root, ".next");
  if (!existsSync(path.join(next, "build-manifest.json"))) return null;
  const build = JSON.parse(readFileSync(path.join(next, "build-manifest.json"), "utf8")) as { rootMainFiles: string[] };
  const gzipped = new Map<string, number>();
  const size = (file: string) => {
    if (!gzipped.has(file)) gzipped.set(file, gzipSync(readFileSync(path.join(next, file))).length);
    return gzipped.get(file)!;
  };
  const out = new Map<string, number>();
  const appDir = path.join(next, "server", "app");
  for (const file of manifests(appDir)) {
    // The manifest is a script assigning globalThis.__RSC_MANIFEST[route]: read its JSON, not run it.
    const text = readFileSync(file, "utf8");
    const json = text.slice(text.indexOf("= {") + 2).trim().replace(/;$/, "");
    const manifest = JSON.parse(json) as { entryJSFiles?: Record<string, string[]> };
    const files = new Set([...build.rootMainFiles, ...Object.values(manifest.entryJSFiles ?? {}).flat()]);
    const route = "/" + path.relative(appDir, path.dirname(file)).split(path.sep).join("/");
    if (route.startsWith("/api") || route.startsWith("/_")) continue;
    out.set(route === "/page" || route === "/." ? "/" : route.replace(/\/$/, "") || "/", [...files].reduce((n, f) => n + size(f), 0) / 1024);
  }
  return out;
}
