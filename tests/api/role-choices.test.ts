// GET /api/v1/role-choices: the new-request form's role picker searches on the
// server (the page sends only a first page). Through the route handler on the
// real database and sandbox, after a real scan: who may search, a bad query is a
// 400 naming the parameter, the limit caps the answer (the total counts every
// match), every word must match, Pod Identity-trusted roles come first.
import { describe, expect, it } from "vitest";
import "../support/app-mocks";
import * as roleChoices from "@/app/api/v1/role-choices/route";
import * as scan from "@/app/api/v1/scans/[id]/route";
import * as scans from "@/app/api/v1/scans/route";
import { call, useApiWorld, until } from "./support";

const w = useApiWorld();
const search = (query: string, caller: Parameters<typeof call>[1] = "requester") => call(roleChoices.GET, caller, { path: `/api/v1/role-choices${query}` });
type Choice = { arn: string; name: string; path: string; accountId: string; trust: string; nodeRoleMissingOn: string[] };
const RANK: Record<string, number> = { allows: 0, conditional: 1, "no-tagsession": 2, "not-trusted": 3, unreadable: 4 };

describe("GET /api/v1/role-choices", () => {
  it("before the first scan: no roles, scanId null", async () => {
    expect((await search("?q=etl")).body).toEqual({ roles: [], total: 0, scanId: null, scannedAt: null });
  });

  it("401 anonymous, 403 for an auditor (who files nothing); 400 naming a bad q or limit", async () => {
    expect((await search("", "anonymous")).status).toBe(401);
    const auditor = await search("", "auditor");
    expect(auditor.status).toBe(403);
    expect(auditor.body.error.code).toBe("forbidden");
    for (const [query, field] of [["?limit=0", "limit"], ["?limit=51", "limit"], ["?limit=ten", "limit"], ["?limit=2.5", "limit"], [`?q=${"x".repeat(201)}`, "q"], ["?query=etl", "_"]] as const) {
      const res = await search(query);
      expect(res.status, query).toBe(400);
      expect(Object.keys(res.body.error.fields), query).toEqual([field]);
    }
  });

  it("after a scan: at most `limit` roles with the total of matches, every word matched, trusted roles first", async () => {
    const started = await call(scans.POST, "requester", { body: {} });
    await until(() => call(scan.GET, "auditor", { params: { id: started.body.scanId } }), (r) => r.body.status !== "running");
    expect(await w.prisma.scan.count()).toBe(1);
    const roleCount = await search("?limit=50");
    expect(roleCount.status).toBe(200);
    const all = roleCount.body.total as number;
    expect(all).toBeGreaterThan(10);

    const first = await search("");
    expect(first.body.roles).toHaveLength(20); // the default page
    expect(first.body.total).toBe(all);
    const ranks = (first.body.roles as Choice[]).map((r) => RANK[r.trust]!);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(first.body.scanId).toEqual(expect.any(String));

    const three = await search("?limit=3");
    expect(three.body.roles).toHaveLength(3);
    expect(three.body.total).toBe(all);

    const hourly = await search("?q=ETL%20hourly");
    expect(hourly.status).toBe(200);
    expect((hourly.body.roles as Choice[]).map((r) => r.arn)).toEqual(["arn:aws:iam::111122223333:role/domino/domino-pi-etl-hourly"]);
    expect(hourly.body.roles[0]).toMatchObject({ name: "domino-pi-etl-hourly", path: "/domino/", accountId: "111122223333", trust: "allows", nodeRoleMissingOn: [] });
    expect(hourly.body.total).toBe(1);

    const snowflake = await search("?q=snowflake-export");
    expect(snowflake.body.roles[0]).toMatchObject({ name: "domino-pi-snowflake-export", trust: "no-tagsession" });

    expect((await search("?q=no-such-role-anywhere")).body).toMatchObject({ roles: [], total: 0 });
  });
});
