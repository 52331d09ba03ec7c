// The /api/v1 routes as they exist on disk (app/api/v1/**/route.ts), so tests that
// must cover every route (no GET writes, the fuzz test) cover a new one the day
// it is added, without a hand-written list.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

export const REPO_ROOT = path.resolve(import.meta.dirname, "../..");

export interface ApiRoute {
  /** OpenAPI-style path: dynamic segments [id] become {id}. */
  path: string;
  /** Absolute path of the route.ts file. */
  file: string;
  /** The HTTP methods the file exports. */
  methods: string[];
}

export function apiRoutes(dir = path.join(REPO_ROOT, "app/api/v1"), prefix = "/api/v1"): ApiRoute[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name): ApiRoute[] => {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) return apiRoutes(full, `${prefix}/${name.replace(/^\[(.+)\]$/, "{$1}")}`);
      if (name !== "route.ts") return [];
      const methods = [...readFileSync(full, "utf8").matchAll(/export\s+(?:async\s+)?function\s+(GET|POST|PUT|PATCH|DELETE)\b/g)].map((m) => m[1]!);
      return [{ path: prefix, file: full, methods }];
    });
}
