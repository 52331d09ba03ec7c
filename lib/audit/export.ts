// CSV and JSON exports of the audit trail: every row matching the filters, in
// chain (id) order, streamed a page at a time and capped at EXPORT_MAX_ROWS.
import type { Prisma, PrismaClient } from "@/lib/db/generated/client";
import { auditWhere, scoped, toView, type AuditFilter, type AuditRowView } from "./query";

const EXPORT_MAX_ROWS = 100_000;
const PAGE = 1_000;

const CSV_COLUMNS = [
  "id",
  "at",
  "actor",
  "event",
  "subject",
  "requestId",
  "cluster",
  "namespace",
  "serviceAccount",
  "roleArn",
  "fromState",
  "toState",
  "awsRequestId",
  "details",
  "prevHash",
  "hash",
] as const satisfies readonly (keyof AuditRowView)[];

/**
 * One CSV cell (RFC 4180). Text a spreadsheet would run as a formula (starting
 * with = + - @, tab or carriage return) gets a leading apostrophe.
 */
export function csvCell(value: unknown): string {
  let s = value === null || value === undefined ? "" : typeof value === "string" ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

function csvLine(values: unknown[]): string {
  return `${values.map(csvCell).join(",")}\r\n`;
}

function csvRow(row: AuditRowView): string {
  return csvLine(CSV_COLUMNS.map((c) => row[c]));
}

type Reader = Pick<PrismaClient, "auditEvent">;

/** Matching rows in id order, a page at a time, at most `max`. */
export async function* exportRows(prisma: Reader, filter: AuditFilter, max = EXPORT_MAX_ROWS, scope?: Prisma.AuditEventWhereInput): AsyncGenerator<AuditRowView> {
  const where = scoped(auditWhere(filter), scope);
  let cursor: bigint | undefined;
  let sent = 0;
  while (sent < max) {
    const page = await prisma.auditEvent.findMany({
      where: cursor === undefined ? where : { AND: [where, { id: { gt: cursor } }] },
      orderBy: { id: "asc" },
      take: Math.min(PAGE, max - sent),
    });
    for (const r of page) yield toView(r);
    sent += page.length;
    if (page.length === 0 || page.length < PAGE) return;
    cursor = page[page.length - 1]!.id;
  }
}

function stream(chunks: AsyncIterable<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const it = chunks[Symbol.asyncIterator]();
  return new ReadableStream({
    async pull(controller) {
      const { value, done } = await it.next();
      if (done) controller.close();
      else controller.enqueue(encoder.encode(value));
    },
    async cancel() {
      await it.return?.(undefined);
    },
  });
}

async function* csvChunks(rows: AsyncIterable<AuditRowView>): AsyncGenerator<string> {
  yield csvLine([...CSV_COLUMNS]);
  for await (const r of rows) yield csvRow(r);
}

async function* jsonChunks(rows: AsyncIterable<AuditRowView>, meta: Record<string, unknown>): AsyncGenerator<string> {
  yield `${JSON.stringify(meta).slice(0, -1)},"rows":[`;
  let first = true;
  for await (const r of rows) {
    yield `${first ? "\n" : ",\n"}${JSON.stringify(r)}`;
    first = false;
  }
  yield "\n]}\n";
}

/** A streamed download Response of the rows matching `filter`. */
export async function exportResponse(prisma: Reader, filter: AuditFilter, format: "csv" | "json", max = EXPORT_MAX_ROWS, scope?: Prisma.AuditEventWhereInput): Promise<Response> {
  const total = await prisma.auditEvent.count({ where: scoped(auditWhere(filter), scope) });
  const truncated = total > max;
  const stamp = new Date().toISOString().replace(/[-:]/g, "").slice(0, 15);
  const rows = exportRows(prisma, filter, max, scope);
  const body =
    format === "csv"
      ? stream(csvChunks(rows))
      : stream(jsonChunks(rows, { exportedAt: new Date().toISOString(), total, truncated, maxRows: max }));
  return new Response(body, {
    headers: {
      "Content-Type": format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="rolegate-audit-${stamp}.${format}"`,
      "Cache-Control": "no-store",
      "X-Total-Count": String(total),
      "X-Export-Truncated": String(truncated),
    },
  });
}
