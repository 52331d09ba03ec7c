import type { AuditQuery } from "@/lib/audit/query";
import { FilterBar } from "../components/ui";

export function AuditFilters({ query, actors, events }: { query: AuditQuery; actors: string[]; events: string[] }) {
  return (
    <FilterBar
      action="/audit"
      id="audit"
      query={query}
      fields={[
        { kind: "select", name: "actor", label: "Actor", any: "Anyone", options: actors },
        { kind: "select", name: "event", label: "Event", any: "Any event", options: events },
        { kind: "text", name: "cluster", label: "Cluster", placeholder: "domino-blue" },
        { kind: "text", name: "namespace", label: "Namespace", placeholder: "domino-compute" },
        { kind: "text", name: "serviceAccount", label: "Service account" },
        { kind: "text", name: "roleArn", label: "Role ARN", placeholder: "arn:aws:iam::…:role/…" },
        { kind: "text", name: "requestId", label: "Request" },
        { kind: "date", name: "from", label: "From (UTC)" },
        { kind: "date", name: "to", label: "To (UTC)" },
      ]}
    />
  );
}
