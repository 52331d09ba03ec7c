// Prometheus metrics (prom-client). Counters live in one registry per process,
// kept on globalThis (the start-up script's job runner and the Next.js bundle's
// routes are separate module copies). Gauges read from the database are filled
// when /metrics is scraped, so every replica reports the same shared state.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "rolegate_" });
  const m = {
    registry,
    httpRequests: new Counter({ name: "rolegate_http_requests_total", help: "HTTP requests served, by method, route (ids replaced by :id) and status", labelNames: ["method", "route", "status"], registers: [registry] }),
    httpDuration: new Histogram({ name: "rolegate_http_request_duration_seconds", help: "HTTP request duration", labelNames: ["method", "status"], buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [registry] }),
    applyOutcomes: new Counter({ name: "rolegate_apply_outcomes_total", help: "Request applies run by this process's job runner, by outcome (applied, failed, skipped)", labelNames: ["outcome"], registers: [registry] }),
    awsCalls: new Counter({ name: "rolegate_aws_calls_total", help: "AWS API attempts (retries included), by service, operation and outcome (ok, error, throttled)", labelNames: ["service", "operation", "outcome"], registers: [registry] }),
    awsErrors: new Counter({ name: "rolegate_aws_errors_total", help: "Failed AWS API attempts by service, operation and AWS error code (throttles included)", labelNames: ["service", "operation", "code"], registers: [registry] }),
    runnerActivity: new Gauge({ name: "rolegate_job_runner_last_activity_timestamp_seconds", help: "When this process's job runner last polled or renewed a job lease", registers: [registry] }),
    requests: new Gauge({ name: "rolegate_requests", help: "Requests by status (database)", labelNames: ["status"], registers: [registry] }),
    pendingOldest: new Gauge({ name: "rolegate_pending_request_oldest_age_seconds", help: "Age of the oldest pending request, 0 when none (database)", registers: [registry] }),
    queueDepth: new Gauge({ name: "rolegate_job_queue_depth", help: "Jobs queued and due, by queue (database)", labelNames: ["queue"], registers: [registry] }),
    queueOldest: new Gauge({ name: "rolegate_job_queue_oldest_age_seconds", help: "How long the oldest due job has waited, by queue, 0 when none (database)", labelNames: ["queue"], registers: [registry] }),
    jobsFailed: new Gauge({ name: "rolegate_jobs_failed", help: "Jobs that used up their attempts, by queue (database)", labelNames: ["queue"], registers: [registry] }),
    scanDuration: new Gauge({ name: "rolegate_scan_last_duration_seconds", help: "Duration of the last finished inventory scan (database)", registers: [registry] }),
    scanFinished: new Gauge({ name: "rolegate_scan_last_finished_timestamp_seconds", help: "When the last inventory scan finished (database)", registers: [registry] }),
    scanLastSuccess: new Gauge({ name: "rolegate_scan_last_success_timestamp_seconds", help: "When the last fully successful inventory scan finished, 0 when none (database)", registers: [registry] }),
    scanLastStatus: new Gauge({ name: "rolegate_scan_last_status", help: "1 for the status of the last finished inventory scan (succeeded, partial, failed), 0 for the others (database)", labelNames: ["status"], registers: [registry] }),
    drift: new Gauge({ name: "rolegate_drift_findings", help: "Drift between approved requests and AWS, by kind (out-of-band, missing, changed) (database)", labelNames: ["kind"], registers: [registry] }),
    changeEvents: new Counter({ name: "rolegate_change_events_total", help: "Change events (CloudTrail via EventBridge and SQS) handled by this process, by kind (association, role, oidc-provider, other) and outcome (applied, unchanged, stale, ignored, malformed, failed, abandoned)", labelNames: ["kind", "outcome"], registers: [registry] }),
    changeEventLag: new Histogram({ name: "rolegate_change_event_lag_seconds", help: "From a change's CloudTrail eventTime to RoleGate having applied it", buckets: [0.5, 1, 2, 5, 10, 30, 60, 300, 900], registers: [registry] }),
    changeEventsBacklog: new Gauge({ name: "rolegate_change_events_backlog", help: "Messages in the change-events queue, by state (visible, in_flight), as this process last read them", labelNames: ["state"], registers: [registry] }),
    auditValid: new Gauge({ name: "rolegate_audit_chain_valid", help: "1 when the audit trail's hash chain verified, 0 when a row fails (re-verified every ROLEGATE_AUDIT_VERIFY_INTERVAL_SECONDS)", registers: [registry] }),
    auditRows: new Gauge({ name: "rolegate_audit_chain_rows", help: "Audit rows checked by the last verification", registers: [registry] }),
    auditVerifiedAt: new Gauge({ name: "rolegate_audit_chain_verified_timestamp_seconds", help: "When the audit chain was last verified", registers: [registry] }),
  };
  return m;
}

export type Metrics = ReturnType<typeof createMetrics>;

const KEY = Symbol.for("rolegate.metrics");

/** The process's metrics. */
export function metrics(): Metrics {
  const holder = globalThis as { [KEY]?: Metrics };
  return (holder[KEY] ??= createMetrics());
}

const ID_SEGMENT = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d+|[0-9a-f]{24,}|rg_[A-Za-z0-9_-]+)$/i;

/** A path as a metric label: ids become ":id" and Next's assets one label, so the label set stays small. */
export function routeLabel(pathname: string): string {
  if (pathname.startsWith("/_next/")) return "/_next/*";
  const parts = pathname.split("/").map((p) => (ID_SEGMENT.test(p) ? ":id" : p));
  return parts.slice(0, 6).join("/") || "/";
}

export function recordHttpRequest(method: string, pathname: string, status: number, seconds: number): void {
  const m = metrics();
  m.httpRequests.inc({ method, route: routeLabel(pathname), status: String(status) });
  m.httpDuration.observe({ method, status: String(status) }, seconds);
}

export function recordApplyOutcome(outcome: "applied" | "failed" | "skipped"): void {
  metrics().applyOutcomes.inc({ outcome });
}

export function recordAwsAttempt(service: string, operation: string, error?: { code: string; throttled: boolean }): void {
  const m = metrics();
  m.awsCalls.inc({ service, operation, outcome: error ? (error.throttled ? "throttled" : "error") : "ok" });
  if (error) m.awsErrors.inc({ service, operation, code: error.code });
}

export function recordChangeEvent(kind: string, outcome: string, lagSeconds?: number): void {
  const m = metrics();
  m.changeEvents.inc({ kind, outcome });
  if (lagSeconds !== undefined && lagSeconds >= 0) m.changeEventLag.observe(lagSeconds);
}
