import type { AuditQuery } from "@/lib/audit/query";
import { FilterBar } from "../components/ui";

const day = (d?: Date) => (d ? d.toISOString().slice(0, 10) : "");

export function AuditFilters({ query, actors, events }: { query: AuditQuery; actors: string[]; events: string[] }) {
  return (
    <FilterBar
      action="/audit"
      id="audit"
      clearHref="/audit"
      keep={{ sort: query.sort, dir: query.dir, pageSize: query.pageSize }}
      fields={[
        { kind: "select", name: "actor", label: "Actor", value: query.actor, any: "Anyone", options: actors },
        { kind: "select", name: "event", label: "Event", value: query.event, any: "Any event", options: events },
        { kind: "text", name: "cluster", label: "Cluster", value: query.cluster, placeholder: "domino-blue" },
        { kind: "text", name: "namespace", label: "Namespace", value: query.namespace, placeholder: "domino-compute" },
        { kind: "text", name: "serviceAccount", label: "Service account", value: query.serviceAccount },
        { kind: "text", name: "roleArn", label: "Role ARN", value: query.roleArn, placeholder: "arn:aws:iam::…:role/…" },
        { kind: "text", name: "requestId", label: "Request", value: query.requestId },
        { kind: "date", name: "from", label: "From (UTC)", value: day(query.from) },
        { kind: "date", name: "to", label: "To (UTC)", value: day(query.to) },
      ]}
    />
  );
}
