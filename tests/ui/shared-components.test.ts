// The shared UI pieces render one way everywhere: times relative with the exact
// UTC time in the tooltip, sortable headers that link to the other direction,
// filter bars whose controls are named by their labels.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { DataTable, FilterBar, SortableHeader, SortedTable, Time, exactTime, relativeTime } from "@/app/components/ui";

const NOW = new Date("2026-12-01T12:00:00.000Z");
const ago = (ms: number) => new Date(NOW.getTime() - ms);

describe("Time", () => {
  it("says the largest whole unit, past or future, and 'now' under a second", () => {
    expect(relativeTime(ago(500), NOW)).toBe("now");
    expect(relativeTime(ago(45_000), NOW)).toBe("45 seconds ago");
    expect(relativeTime(ago(3 * 3_600_000 + 59 * 60_000), NOW)).toBe("3 hours ago");
    expect(relativeTime(ago(86_400_000), NOW)).toBe("yesterday");
    expect(relativeTime(new Date(NOW.getTime() + 7 * 86_400_000), NOW)).toBe("next week");
    expect(relativeTime(new Date(NOW.getTime() + 2 * 86_400_000), NOW)).toBe("in 2 days");
    expect(relativeTime(ago(400 * 86_400_000), NOW)).toBe("last year");
  });

  it("shows the exact UTC time in the title and the ISO instant in datetime", () => {
    const at = new Date("2026-11-30T09:05:07.123Z");
    expect(exactTime(at)).toBe("2026-11-30 09:05:07 UTC");
    const html = renderToStaticMarkup(createElement(Time, { at, now: NOW }));
    expect(html).toBe('<time dateTime="2026-11-30T09:05:07.123Z" title="2026-11-30 09:05:07 UTC">yesterday</time>');
  });
});

describe("SortableHeader", () => {
  it("links the active column to the other direction, the others to ascending, and marks aria-sort", () => {
    const html = renderToStaticMarkup(
      createElement(
        "table",
        null,
        createElement(
          "thead",
          null,
          createElement(SortableHeader<"name" | "age">, {
            columns: [{ key: "name", label: "Name" }, { key: "age", label: "Age" }, { key: null, label: "Notes" }],
            sort: "name",
            dir: "asc",
            href: (key, dir) => `/x?sort=${key}&dir=${dir}`,
          }),
        ),
      ),
    );
    expect(html).toMatch(/<th[^>]*aria-sort="ascending"[^>]*><a [^>]*href="\/x\?sort=name&amp;dir=desc">Name ▲<\/a>/);
    expect(html).toMatch(/<th class="px-3 py-2"><a [^>]*href="\/x\?sort=age&amp;dir=asc">Age <\/a>/);
    expect(html).toContain("<th class=\"px-3 py-2\">Notes</th>");
  });
});

describe("FilterBar", () => {
  it("ties each label to its control, keeps hidden values and offers Apply and Clear", () => {
    const html = renderToStaticMarkup(
      createElement(FilterBar, {
        action: "/audit",
        id: "t",
        clearHref: "/audit",
        query: { sort: "at", dir: "desc", pageSize: 50, actor: "ivy", from: new Date("2026-11-01T00:00:00Z") },
        keep: { view: "all" },
        fields: [
          { kind: "select", name: "actor", label: "Actor", any: "Anyone", options: ["alice", "ivy"] },
          { kind: "date", name: "from", label: "From (UTC)" },
        ],
      }),
    );
    expect(html).toContain('<label for="t-actor"');
    expect(html).toContain('<select id="t-actor" name="actor"');
    expect(html).toMatch(/<option value="ivy" selected="">ivy<\/option>/);
    expect(html).toMatch(/<input id="t-from" type="date"[^>]* name="from" value="2026-11-01"/);
    expect(html).toContain('<input type="hidden" name="pageSize" value="50"/>');
    expect(html).toContain('<input type="hidden" name="view" value="all"/>');
    expect(html).toContain(">Apply filters</button>");
    expect(html).toContain('<a href="/audit"');
  });
});

describe("SortedTable and DataTable", () => {
  it("a list view's table: sortable header linking back to its first page, a row per item, or why there are none", () => {
    type Q = { sort: "name" | "age"; dir: "asc" | "desc"; page: number };
    const props = {
      testId: "people",
      columns: [{ key: "name" as const, label: "Name" }, { key: null, label: "Notes" }],
      query: { sort: "name", dir: "asc", page: 3 } as Q,
      href: (q: Q, change: Partial<Q>) => `/x?sort=${change.sort ?? q.sort}&dir=${change.dir ?? q.dir}&page=${change.page ?? q.page}`,
      row: (r: { name: string }) => createElement("tr", { key: r.name }, createElement("td", null, r.name)),
      empty: "Nobody matches.",
    };
    const html = renderToStaticMarkup(createElement(SortedTable<"name" | "age", Q, { name: string }>, { ...props, rows: [{ name: "ivy" }, { name: "alice" }] }));
    expect(html).toContain('data-testid="people"');
    expect(html).toContain('href="/x?sort=name&amp;dir=desc&amp;page=1"');
    expect(html).toContain("<tr><td>ivy</td></tr><tr><td>alice</td></tr>");
    expect(html).not.toContain("Nobody matches.");
    const none = renderToStaticMarkup(createElement(SortedTable<"name" | "age", Q, { name: string }>, { ...props, rows: [] }));
    expect(none).toMatch(/<td colSpan="2"[^>]*>Nobody matches\.<\/td>/);
  });

  it("takes plain column labels for tables that do not sort", () => {
    const html = renderToStaticMarkup(createElement(DataTable, { head: ["Service account", "Role"], empty: "None.", children: null }));
    expect(html).toContain('<th class="px-3 py-2">Service account</th><th class="px-3 py-2">Role</th>');
    expect(html).toMatch(/<td colSpan="2"[^>]*>None\.<\/td>/);
  });
});
