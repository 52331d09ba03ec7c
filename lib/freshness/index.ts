// lib/freshness: changes made anywhere (console, CLI, Terraform, RoleGate) reach
// RoleGate within seconds through CloudTrail -> EventBridge -> SQS, instead of at
// the next refresh or scan (which stay: they reconcile lost events).
//   events.ts   — the queue message (an EventBridge CloudTrail event) in RoleGate's terms
//   apply.ts    — re-read what an event names and update the cache and drift, time-guarded;
//                 record what was read as an inventory change (lib/inventory/changes)
//   consumer.ts — the long-polling worker (one per replica), delete-after-apply
export { parseChangeEvent, madeByRoleGate, ASSOCIATION_EVENTS, ROLE_EVENTS, OIDC_EVENTS, type ChangeEvent, type ParsedMessage } from "./events";
export { applyChangeEvent, applyAssociationEvent, type AppliedEvent, type EventOutcome, type FreshnessDeps } from "./apply";
export { ChangeEventsConsumer, type ConsumerOptions, type HandledMessage } from "./consumer";
