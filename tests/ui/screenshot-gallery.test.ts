// The screenshot gallery cannot go stale in its names: every image README.md and
// docs/screenshots/README.md show exists, the gallery page is the one
// `npm run screenshots` writes from e2e/screenshots/gallery.ts, and no PNG in
// the folder is left out of it. Reads files only (no browser).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { GALLERY_DIR, galleryMarkdown, SHOTS } from "../../e2e/screenshots/gallery";

const root = path.resolve(import.meta.dirname, "../..");
const gallery = path.join(root, GALLERY_DIR);

/** Local images a Markdown file shows (`![alt](src)` and `<img src>`), resolved against its folder, with their alt text. */
function imagesOf(file: string): { src: string; alt: string; resolved: string }[] {
  const text = readFileSync(file, "utf8");
  const found = [
    ...[...text.matchAll(/!\[([^\]]*)\]\(([^)\s]+)\)/g)].map((m) => ({ alt: m[1]!, src: m[2]! })),
    ...[...text.matchAll(/<img\b[^>]*>/g)].map((m) => ({ alt: /\balt="([^"]*)"/.exec(m[0])?.[1] ?? "", src: /\bsrc="([^"]+)"/.exec(m[0])?.[1] ?? "" })),
  ];
  return found.filter((i) => !/^https?:/.test(i.src)).map((i) => ({ ...i, resolved: path.resolve(path.dirname(file), i.src) }));
}

describe("the screenshot gallery", () => {
  it("every entry has a unique file name", () => {
    const names = SHOTS.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^[a-z0-9-]+$/);
  });

  it("the gallery page is the one written from the list, and every image it shows exists", () => {
    const page = path.join(gallery, "README.md");
    expect(readFileSync(page, "utf8")).toBe(galleryMarkdown());
    const shown = imagesOf(page);
    expect(shown.map((i) => path.basename(i.resolved))).toEqual(SHOTS.map((s) => `${s.name}.png`));
    for (const i of shown) expect(existsSync(i.resolved), `${i.src} is missing`).toBe(true);
  });

  it("no PNG in the folder is left out of the gallery", () => {
    const pngs = readdirSync(gallery).filter((f) => f.endsWith(".png")).sort();
    expect(pngs).toEqual(SHOTS.map((s) => `${s.name}.png`).sort());
  });

  it("the top README shows the overview, the decision screen and the filing form, with alt text, and each image exists", () => {
    const shown = imagesOf(path.join(root, "README.md"));
    for (const i of shown) {
      expect(existsSync(i.resolved), `README.md shows ${i.src}, which is missing`).toBe(true);
      expect(i.alt.trim().length, `${i.src} has no alt text`).toBeGreaterThan(10);
    }
    const names = shown.map((i) => path.relative(gallery, i.resolved));
    expect(names).toEqual(expect.arrayContaining(["overview.png", "decision-screen.png", "filing-form.png"]));
  });
});
