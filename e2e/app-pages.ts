// Every page of the app, read from the app/ folder (each page.tsx is a route), so
// a new page is covered by the accessibility and viewport specs the day it is
// added. Dynamic segments need a real value: a new one fails here until it has one.
import { readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { expect, type APIRequestContext } from "@playwright/test";

const APP = join(process.cwd(), "app");

/** Routes as written in app/: "/", "/requests/[id]", "/roles/[...arn]". */
export function appRoutes(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory() && !e.name.startsWith("_") && e.name !== "api") walk(join(dir, e.name));
      else if (e.isFile() && /^page\.(tsx|ts|jsx|js)$/.test(e.name)) {
        const segments = relative(APP, dir).split(sep).filter((s) => s && !/^\(.*\)$/.test(s));
        out.push(`/${segments.join("/")}`);
      }
    }
  };
  walk(APP);
  return out.sort();
}

/** Pages anyone may open without signing in. */
export const PUBLIC_ROUTES = new Set(["/signin", "/signin/no-access", "/forbidden"]);

/** A value for each dynamic segment the app has. */
export interface Fixtures {
  requestId: string;
  roleArn: string;
  /** An access review campaign (/reviews/[id]). */
  campaignId: string;
}

export function concretePath(route: string, f: Fixtures): string {
  return route.replace(/\[(\.\.\.)?([^\]]+)\]/g, (_, _rest: string | undefined, name: string) => {
    if (name === "id" && route.startsWith("/requests/")) return f.requestId;
    if (name === "id" && route.startsWith("/reviews/")) return f.campaignId;
    if (name === "arn" && route.startsWith("/roles/")) {
      const m = /^arn:aws:iam::(\d{12}):role\/(.+)$/.exec(f.roleArn)!;
      return `${m[1]}/${m[2]}`;
    }
    throw new Error(`e2e/app-pages.ts: no value for the dynamic segment [${name}] of ${route}; add one`);
  });
}

export const ROLE = "arn:aws:iam::111122223333:role/domino/domino-pi-unmapped";

/**
 * A pending request to open /requests/[id] on (filed by alice through the API), and an
 * access review campaign over domino-green (started by audrey once the start-up scan is in).
 */
export async function fixtures(request: APIRequestContext, serviceAccount: string): Promise<Fixtures> {
  const res = await request.post("/api/v1/requests", {
    headers: { Authorization: "Bearer sandbox-alice" },
    data: { kind: "create", cluster: "domino-green", namespace: "domino-compute", serviceAccount, roleArn: ROLE, justification: "A page to look at in the browser specs" },
  });
  expect(res.status()).toBe(201);
  let campaignId = "";
  await expect
    .poll(async () => {
      const r = await request.post("/api/v1/reviews", {
        headers: { Authorization: "Bearer sandbox-audrey" },
        data: { name: `Pages ${serviceAccount}`, scope: { clusters: ["domino-green"] }, dueAt: new Date(Date.now() + 7 * 86_400_000).toISOString() },
      });
      if (r.status() === 201) campaignId = (await r.json()).id;
      return r.status();
    }, { timeout: 60_000 })
    .toBe(201);
  return { requestId: (await res.json()).id, roleArn: ROLE, campaignId };
}
