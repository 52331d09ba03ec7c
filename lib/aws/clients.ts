// Builds SDK clients for an account/region. In sandbox mode they point at the
// sandbox's endpoint: the same SDK code path as production, over HTTP.
import { EKSClient } from "@aws-sdk/client-eks";
import { IAMClient } from "@aws-sdk/client-iam";
import { SQSClient } from "@aws-sdk/client-sqs";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@aws-sdk/types";
import { recordAwsAttempt } from "@/lib/observability/metrics";
import { AwsCallError, type AwsLocation } from "./types";

export interface AwsGatewaySettings {
  /** Sandbox (or any custom) endpoint; real AWS when absent. */
  endpoint?: string;
  /** Retry budget per call; the SDK's adaptive mode adds client-side rate limiting on throttling. */
  maxAttempts?: number;
  /** "adaptive" (default) adds the SDK's per-client rate limiter; "standard" leaves pacing to the caller (the inventory scanner paces per cluster). */
  retryMode?: "standard" | "adaptive";
  /**
   * Sockets per client (one client per account, region and role). The SDK's default, 50, queues a
   * scan's calls: one account's clusters are scanned side by side, each with several Describes in flight.
   */
  maxSockets?: number;
}

const SANDBOX_CREDENTIALS: AwsCredentialIdentity = { accessKeyId: "AKIASANDBOXROLEGATE1", secretAccessKey: "sandbox" };

function common(location: AwsLocation, settings: AwsGatewaySettings) {
  return {
    region: location.region,
    maxAttempts: settings.maxAttempts ?? 6,
    retryMode: settings.retryMode ?? "adaptive",
    // Names RoleGate in CloudTrail's userAgent (and lets the sandbox tell RoleGate's calls from a test's own).
    customUserAgent: "rolegate",
    ...(settings.maxSockets ? { requestHandler: { httpAgent: { maxSockets: settings.maxSockets }, httpsAgent: { maxSockets: settings.maxSockets } } } : {}),
    ...(settings.endpoint ? { endpoint: settings.endpoint, credentials: SANDBOX_CREDENTIALS } : {}),
  };
}

/** Credentials of an assumed role, refreshed five minutes before they expire. */
function assumedRoleProvider(location: AwsLocation, roleArn: string, settings: AwsGatewaySettings): AwsCredentialIdentityProvider {
  const sts = countCalls(new STSClient(common(location, settings)), "sts");
  let cached: AwsCredentialIdentity | undefined;
  let pending: Promise<AwsCredentialIdentity> | undefined;
  return async () => {
    if (cached?.expiration && cached.expiration.getTime() - Date.now() > 5 * 60_000) return cached;
    pending ??= sts
      .send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "rolegate", DurationSeconds: 3600 }))
      .then((out) => {
        const c = out.Credentials;
        if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`AssumeRole ${roleArn} returned no credentials`);
        cached = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
        return cached;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
}

/** What every view of one pool shares: the SDK clients and each assumed role's credentials. */
class SharedClients {
  readonly clients = new Map<string, EKSClient | IAMClient | STSClient | SQSClient>();
  readonly credentials = new Map<string, AwsCredentialIdentityProvider>();
  /** Throttle listeners per client (observeThrottling below): kept with the clients they observe. */
  readonly throttleListeners = new WeakMap<object, Set<unknown>>();
}

/**
 * The process's one AWS client pool (lib/runtime.ts builds it): clients keyed by
 * account, region and assumed role. Callers that need other retry settings
 * (apply writes: one attempt; the scanner: standard retries, paced by its own
 * limiters, and more sockets) take a view with `withSettings`, which shares the clients' pool and
 * the assumed roles' credentials.
 */
export class AwsClientPool {
  private readonly shared: SharedClients;

  constructor(
    private readonly settings: AwsGatewaySettings = {},
    shared?: SharedClients,
  ) {
    this.shared = shared ?? new SharedClients();
  }

  /** The same pool with other retry settings (same endpoint, same credentials). */
  withSettings(overrides: Pick<AwsGatewaySettings, "maxAttempts" | "retryMode" | "maxSockets">): AwsClientPool {
    return new AwsClientPool({ ...this.settings, ...overrides }, this.shared);
  }

  get throttleListeners(): WeakMap<object, Set<unknown>> {
    return this.shared.throttleListeners;
  }

  private config(location: AwsLocation) {
    const base = common(location, this.settings);
    if (!location.assumeRoleArn) return base;
    const key = `${location.accountId}/${location.region}/${location.assumeRoleArn}`;
    let provider = this.shared.credentials.get(key);
    if (!provider) this.shared.credentials.set(key, (provider = assumedRoleProvider(location, location.assumeRoleArn, this.settings)));
    return { ...base, credentials: provider };
  }

  private client<C extends EKSClient | IAMClient | STSClient | SQSClient>(service: string, location: AwsLocation, make: (config: ReturnType<AwsClientPool["config"]>) => C, global = false): C {
    const s = this.settings;
    const key = `${service}/${location.accountId}/${global ? "" : location.region}/${location.assumeRoleArn ?? ""}/${s.maxAttempts ?? ""}/${s.retryMode ?? ""}/${s.maxSockets ?? ""}`;
    let client = this.shared.clients.get(key) as C | undefined;
    if (!client) this.shared.clients.set(key, (client = make(this.config(location))));
    return client;
  }

  eksFor(location: AwsLocation): EKSClient {
    return this.client("eks", location, (c) => countCalls(new EKSClient(c), "eks"));
  }

  /** IAM is global: one client per account and role (the first location's region signs). */
  iamFor(location: AwsLocation): IAMClient {
    return this.client("iam", location, (c) => countCalls(new IAMClient(c), "iam"), true);
  }

  stsFor(location: AwsLocation): STSClient {
    return this.client("sts", location, (c) => countCalls(new STSClient(c), "sts"));
  }

  /** SQS in RoleGate's own account (the change-events queue): its own credentials, never an assumed role. */
  sqsFor(region: string): SQSClient {
    return this.client("sqs", { accountId: "self", region }, (c) => countCalls(new SQSClient(c), "sqs"));
  }

  /** The credentials this pool signs with for a location (sandbox keys, the assumed role, or the default chain). */
  async credentialsFor(location: AwsLocation): Promise<AwsCredentialIdentity> {
    const provider = this.stsFor(location).config.credentials;
    return provider();
  }

  /** Closes every client of the pool (all views). */
  destroy(): void {
    for (const c of this.shared.clients.values()) c.destroy();
    this.shared.clients.clear();
    this.shared.credentials.clear();
  }
}

// Lets services learn about every throttled attempt, including the ones the
// SDK's own retries absorb (they never reach the caller as errors). A
// deserialize-step middleware sees each attempt's outcome below the retry layer.

export interface ThrottleEvent {
  service: "eks" | "iam";
  operation: string;
  /** EKS calls name their cluster in the input. */
  clusterName?: string;
}
export type ThrottleListener = (event: ThrottleEvent) => void;

const THROTTLING_CODES = new Set(["Throttling", "ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded", "SlowDown"]);

/** An answer's HTTP status and AWS error code say it was throttled (a light GET's answer, an AwsCallError). */
export function isThrottlingAnswer(httpStatus: number | undefined, code: string): boolean {
  return httpStatus === 429 || THROTTLING_CODES.has(code) || /Throttl|TooManyRequests/.test(code);
}

/** An SDK exception, or the AwsCallError a gateway made of one, that says the call was throttled. */
export function isThrottlingError(e: unknown): boolean {
  if (e instanceof AwsCallError) return isThrottlingAnswer(e.httpStatus, e.code);
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

/** Tells the client's throttle listeners about a throttled attempt made outside its middleware stack (light-get.ts). */
export function notifyThrottled(pool: AwsClientPool, client: object, event: ThrottleEvent): void {
  const listeners = (pool.throttleListeners as WeakMap<object, Set<ThrottleListener>>).get(client);
  for (const l of listeners ?? []) l(event);
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

// Counts every AWS API attempt (below the SDK's retry layer, so absorbed retries
// and throttles count too) by service, operation and outcome for /metrics. High
// priority in the deserialize step: outside the SDK's deserializer, so AWS errors reach it.
export function countCalls<C>(client: C, service: "eks" | "iam" | "sts" | "sqs"): C {
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
