// The audit API route handlers through the real pipeline and database; only the
// session lookup (Next.js request headers) and the process-wide client are stubbed.
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/lib/auth/sessions";
import { recordAudit } from "@/lib/audit/record";
import { csvCell } from "@/lib/audit/export";
import { parseAuditQuery } from "@/lib/audit/query";
import { asOwnerWithoutAuditTriggers } from "../support/db";
import { useWorld } from "../support/world";

const state = vi.hoisted(() => ({ user: null as SessionUser | null, prisma: null as unknown }));
vi.mock("server-only", () => ({}));
vi.mock("@/lib/auth/authenticate", () => ({ currentUser: async () => state.user }));
vi.mock("@/lib/db", () => ({ getPrisma: async () => state.prisma }));

const { GET: list } = await import("@/app/api/v1/audit/route");
const { GET: verify } = await import("@/app/api/v1/audit/verify/route");

const audrey: SessionUser = { id: "00000000-0000-4000-8000-000000000001", login: "audrey", name: "Audrey Klein", role: "auditor", via: "token", kind: "person" };
const ROLE = "arn:aws:iam::111122223333:role/domino/etl";

// The rows are written once; the tests read them (the last one tampers last).
const w = useWorld({ reset: "once" });
beforeAll(async () => {
  state.prisma = w.prisma;
  state.user = audrey;
  const rows = [
    { actor: "alice", event: "auth.signed_in" as const },
    { actor: "ivy", event: "auth.signed_in" as const, cluster: "domino-blue", namespace: "domino-compute", serviceAccount: "svc-etl", roleArn: ROLE },
    { actor: "=HYPERLINK(\"http://evil\")", event: "auth.sign_in_refused" as const, subject: 'say "hi", then\nleave', details: { note: "-2+3" } },
    { actor: "ivy", event: "auth.signed_out" as const, cluster: "domino-green", requestId: "req-42" },
  ];
  for (const r of rows) await w.prisma.$transaction((tx) => recordAudit(tx, r));
});

const get = (qs: string) => list(new Request(`http://localhost/api/v1/audit${qs}`));

describe("GET /api/v1/audit", () => {
  it("answers 400 with a message per invalid field, never a 500", async () => {
    const res = await get("?from=yesterday&pageSize=0&format=xml&roleArn=etl&namespace=Domino_Compute&sort=hash");
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe("invalid");
    expect(Object.keys(body.error.fields).sort()).toEqual(["format", "from", "namespace", "pageSize", "roleArn", "sort"]);
    expect(body.error.fields.from[0]).toMatch(/must be a date/);
    expect(body.error.fields.format[0]).toBe("must be json or csv");
  });

  it("answers 400 when 'to' is before 'from', and for an impossible date", async () => {
    const res = await get("?from=2026-02-01&to=2026-01-01");
    expect(res.status).toBe(400);
    expect((await res.json()).error.fields).toEqual({ to: ["must not be before 'from'"] });
    expect((await get("?from=2026-02-31T10:00")).status).toBe(400);
  });

  it("answers 401 without a user", async () => {
    state.user = null;
    try {
      expect((await get("")).status).toBe(401);
    } finally {
      state.user = audrey;
    }
  });

  it("filters, sorts by time and pages on the server", async () => {
    const all = await (await get("?dir=asc")).json();
    expect(all).toMatchObject({ total: 4, page: 1, pages: 1 });
    expect(all.rows.map((r: { actor: string }) => r.actor)[0]).toBe("alice");
    const ivy = await (await get("?actor=ivy")).json();
    expect(ivy.rows.map((r: { event: string }) => r.event)).toEqual(["auth.signed_out", "auth.signed_in"]); // newest first
    const byRole = await (await get(`?roleArn=${encodeURIComponent(ROLE)}&serviceAccount=svc-etl`)).json();
    expect(byRole.rows).toHaveLength(1);
    expect(byRole.rows[0]).toMatchObject({ cluster: "domino-blue", namespace: "domino-compute", hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect((await (await get("?requestId=req-42")).json()).total).toBe(1);
    const page2 = await (await get("?pageSize=3&page=2&dir=asc")).json();
    expect(page2).toMatchObject({ total: 4, pages: 2, rows: [{ actor: "ivy", event: "auth.signed_out" }] });
    expect((await (await get("?from=2000-01-01&to=2000-12-31")).json()).total).toBe(0);
  });

  it("exports CSV with RFC 4180 quoting and a formula guard", async () => {
    const res = await get("?format=csv");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="rolegate-audit-\d{8}T\d{6}\.csv"$/);
    expect(res.headers.get("x-total-count")).toBe("4");
    const text = await res.text();
    expect(text.split("\r\n")[0]).toBe("id,at,actor,event,subject,requestId,cluster,namespace,serviceAccount,roleArn,fromState,toState,awsRequestId,details,prevHash,hash");
    expect(text).toContain(`,"'=HYPERLINK(""http://evil"")",auth.sign_in_refused,"say ""hi"", then\nleave",`);
    expect(text).toContain(`"{""note"":""-2+3""}"`);
    expect(text.trimEnd().split("\r\n")).toHaveLength(5);
  });

  it("exports JSON with every matching row in chain order", async () => {
    const res = await get("?format=json&actor=ivy");
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const body = await res.json();
    expect(body).toMatchObject({ total: 2, truncated: false });
    expect(body.rows.map((r: { event: string }) => r.event)).toEqual(["auth.signed_in", "auth.signed_out"]);
  });
});

describe("csvCell", () => {
  it("guards every formula prefix and quotes only when needed", () => {
    expect(["=1+1", "+1", "-1", "@SUM(A1)", "\tx"].map(csvCell)).toEqual(["'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\tx"]);
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell(null)).toBe("");
    expect(csvCell({ a: 1 })).toBe('"{""a"":1}"');
  });
});

describe("parseAuditQuery (the /audit page)", () => {
  it("keeps the valid filters and reports the invalid ones instead of failing", () => {
    const { query, errors } = parseAuditQuery({ actor: "ivy", from: "soon", pageSize: "9999", to: ["2026-01-31", "x"], event: "" });
    expect(query).toMatchObject({ actor: "ivy", sort: "at", dir: "desc", page: 1, pageSize: 50, to: new Date("2026-01-31T23:59:59.999Z") });
    expect(query.from).toBeUndefined();
    expect(query.event).toBeUndefined();
    expect(Object.keys(errors).sort()).toEqual(["from", "pageSize"]);
  });
});

describe("GET /api/v1/audit/verify", () => {
  it("reports the chain valid, then the first bad row after tampering", async () => {
    expect(await (await verify()).json()).toMatchObject({ valid: true, rows: 4 });
    const second = (await w.prisma.auditEvent.findMany({ orderBy: { id: "asc" } }))[1]!.id;
    await asOwnerWithoutAuditTriggers(w.db, `UPDATE "AuditEvent" SET "roleArn" = NULL WHERE id = ${second}`);
    const res = await verify();
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ valid: false, rows: 2, firstBadRow: { id: second.toString() } });
  });
});
