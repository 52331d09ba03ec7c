import type { AuditQuery } from "@/lib/audit/query";

const day = (d?: Date) => (d ? d.toISOString().slice(0, 10) : "");

function Text({ name, label, value, placeholder }: { name: string; label: string; value?: string; placeholder?: string }) {
  return (
    <label className="flex flex-col gap-1">
      <span className="text-xs font-medium text-slate-600">{label}</span>
      <input name={name} defaultValue={value ?? ""} placeholder={placeholder} className="rounded border border-slate-300 px-2 py-1" />
    </label>
  );
}

/** A plain GET form: filters live in the URL, so views can be bookmarked and shared. */
export function AuditFilters({ query, actors, events }: { query: AuditQuery; actors: string[]; events: string[] }) {
  return (
    <form method="get" action="/audit" className="mb-4 flex flex-wrap items-end gap-3 rounded border border-slate-200 bg-white p-3 text-sm">
      <label className="flex flex-col gap-1">
        <span className="text-xs font-medium text-slate-600">Actor</span>
        <select name="actor" defaultValue={query.actor ?? ""} className="rounded border border-slate-300 px-2 py-1">
          <option value="">Anyone</option>
          {actors.map((a) => (
            <option key={a} value={a}>{a}</option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-1">
        <span className="text-xs font-medium text-slate-600">Event</span>
        <select name="event" defaultValue={query.event ?? ""} className="rounded border border-slate-300 px-2 py-1">
          <option value="">Any event</option>
          {events.map((e) => (
            <option key={e} value={e}>{e}</option>
          ))}
        </select>
      </label>
      <Text name="cluster" label="Cluster" value={query.cluster} placeholder="domino-blue" />
      <Text name="namespace" label="Namespace" value={query.namespace} placeholder="domino-compute" />
      <Text name="serviceAccount" label="Service account" value={query.serviceAccount} />
      <Text name="roleArn" label="Role ARN" value={query.roleArn} placeholder="arn:aws:iam::…:role/…" />
      <Text name="requestId" label="Request" value={query.requestId} />
      <label className="flex flex-col gap-1">
        <span className="text-xs font-medium text-slate-600">From (UTC)</span>
        <input type="date" name="from" defaultValue={day(query.from)} className="rounded border border-slate-300 px-2 py-1" />
      </label>
      <label className="flex flex-col gap-1">
        <span className="text-xs font-medium text-slate-600">To (UTC)</span>
        <input type="date" name="to" defaultValue={day(query.to)} className="rounded border border-slate-300 px-2 py-1" />
      </label>
      <input type="hidden" name="sort" value={query.sort} />
      <input type="hidden" name="dir" value={query.dir} />
      <input type="hidden" name="pageSize" value={query.pageSize} />
      <button type="submit" className="rounded bg-slate-900 px-3 py-1.5 font-medium text-white">Apply filters</button>
      <a href="/audit" className="px-2 py-1.5 text-slate-600 hover:underline">Clear</a>
    </form>
  );
}
