// Draining the change-events queue by hand, as a running consumer would: until a
// poll brings nothing and no message is waiting to be tried again. A message
// whose handling failed (a Describe that timed out on a loaded machine) becomes
// visible again after 2^tries seconds; returning at the first empty poll left its
// change unapplied and the test read a view without it.
import type { ChangeEventsConsumer } from "@/lib/freshness";

export async function drainChangeEvents(consumer: ChangeEventsConsumer, timeoutMs = 30_000): Promise<void> {
  const failed = new Map<string, string>();
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    // A long poll while a failed message waits for its retry; none needed otherwise.
    const handled = await consumer.pollOnce(failed.size ? 1 : 0);
    for (const h of handled) {
      if (h.outcome === "failed") failed.set(h.messageId, h.error ?? "failed");
      else failed.delete(h.messageId);
    }
    if (handled.length === 0 && failed.size === 0) return;
  }
  throw new Error(`change events still failing after ${timeoutMs} ms: ${[...failed.values()].join("; ")}`);
}
