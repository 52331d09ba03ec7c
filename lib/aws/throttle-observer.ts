// Lets services learn about every throttled attempt, including the ones the
// SDK's own retries absorb (they never reach the caller as errors). A
// deserialize-step middleware sees each attempt's outcome below the retry layer.
import type { AwsClientPool } from "./clients";
import type { AwsLocation } from "./types";

export interface ThrottleEvent {
  service: "eks" | "iam";
  operation: string;
  /** EKS calls name their cluster in the input. */
  clusterName?: string;
}
export type ThrottleListener = (event: ThrottleEvent) => void;

const THROTTLING_CODES = new Set(["Throttling", "ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded", "SlowDown"]);

export function isThrottlingError(e: unknown): boolean {
  const err = e as { name?: string; code?: string; $metadata?: { httpStatusCode?: number }; $retryable?: { throttling?: boolean } } | undefined;
  return err?.$metadata?.httpStatusCode === 429 || THROTTLING_CODES.has(err?.name ?? err?.code ?? "") || err?.$retryable?.throttling === true;
}

interface StackClient {
  middlewareStack: { add: (mw: unknown, opts: Record<string, unknown>) => void };
}
// The listeners live with the pool, not in this module: the start-up script and the
// Next.js bundle are separate module copies sharing the runtime's one pool, and the
// middleware may be added only once per client.
function observe(listenersByClient: WeakMap<object, Set<ThrottleListener>>, client: StackClient, service: ThrottleEvent["service"], listener: ThrottleListener): () => void {
  let set = listenersByClient.get(client);
  if (!set) {
    const listeners = new Set<ThrottleListener>();
    listenersByClient.set(client, (set = listeners));
    client.middlewareStack.add(
      (next: (args: { input: Record<string, unknown> }) => Promise<unknown>, context: { commandName?: string }) =>
        async (args: { input: Record<string, unknown> }) => {
          try {
            return await next(args);
          } catch (e) {
            if (isThrottlingError(e)) {
              const operation = (context.commandName ?? "").replace(/Command$/, "");
              const clusterName = typeof args.input.clusterName === "string" ? args.input.clusterName : undefined;
              for (const l of listeners) l({ service, operation, clusterName });
            }
            throw e;
          }
        },
      { step: "deserialize", name: "rolegateThrottleObserver", priority: "high" },
    );
  }
  set.add(listener);
  return () => set.delete(listener);
}

/** Calls `listener` for every throttled EKS or IAM attempt made for this location; returns an unsubscribe. */
export function observeThrottling(pool: AwsClientPool, location: AwsLocation, listener: ThrottleListener): () => void {
  const listeners = pool.throttleListeners as WeakMap<object, Set<ThrottleListener>>;
  const offEks = observe(listeners, pool.eksFor(location) as unknown as StackClient, "eks", listener);
  const offIam = observe(listeners, pool.iamFor(location) as unknown as StackClient, "iam", listener);
  return () => {
    offEks();
    offIam();
  };
}
