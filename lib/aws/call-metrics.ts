// Counts every AWS API attempt (below the SDK's retry layer, so absorbed retries
// and throttles count too) by service, operation and outcome for /metrics. High
// priority in the deserialize step: outside the SDK's deserializer, so AWS errors reach it.
import { recordAwsAttempt } from "@/lib/observability/metrics";
import { isThrottlingError } from "./throttle-observer";

interface StackClient {
  middlewareStack: { add: (mw: unknown, opts: Record<string, unknown>) => void };
}

export function countCalls<C>(client: C, service: "eks" | "iam" | "sts"): C {
  (client as unknown as StackClient).middlewareStack.add(
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
      const operation = (context.commandName ?? "unknown").replace(/Command$/, "");
      try {
        const out = await next(args);
        recordAwsAttempt(service, operation);
        return out;
      } catch (e) {
        const err = e as { name?: string; Code?: string };
        recordAwsAttempt(service, operation, { code: err.name ?? err.Code ?? "Error", throttled: isThrottlingError(e) });
        throw e;
      }
    },
    { step: "deserialize", name: "rolegateCallMetrics", priority: "high" },
  );
  return client;
}
