// Webhook notifications are jobs written in the transaction of the change
// (outbox) and sent later by the job runner, never inside a transaction.
import { enqueueJob } from "@/lib/jobs/queue";
import type { Tx } from "./deps";

export type NotifyEvent = "created" | "decided" | "applied" | "failed";

export async function queueNotification(tx: Tx, event: NotifyEvent, requestId: string, text: string): Promise<void> {
  await enqueueJob(tx, { queue: "notify", payload: { event, requestId, text }, maxAttempts: 5 });
}
