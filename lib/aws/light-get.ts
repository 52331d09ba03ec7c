// A signed GET made with an SDK client's own parts (its endpoint rules,
// credentials, clock offset and HTTP handler; signed by sigv4-get.ts, which
// matches @smithy/signature-v4) but not its middleware stack and schema-driven
// deserializer. The scanner makes one DescribePodIdentityAssociation per
// association; through `client.send` each costs about 1.0 ms of client CPU on
// the 2-core CI machine, this way about 0.34 ms (bench:scale prints the effect).
//
// It answers only the easy case: a 200 with a JSON body. A throttled answer is
// reported to the pool's throttle listeners, so the scanner's pacing sees it, and
// returned as LightThrottled: the scanner makes the call again under its slowed
// limiter, other callers through `client.send`. Anything else (an AWS error, a
// network fault) returns `undefined`, and the caller makes the same call with
// `client.send`, which parses AWS's error and retries as the SDK does.
import type { EKSClient } from "@aws-sdk/client-eks";
import { recordAwsAttempt } from "@/lib/observability/metrics";
import { isThrottlingAnswer, notifyThrottled, type AwsClientPool, type ThrottleEvent } from "./clients";
import { GetSigner } from "./sigv4-get";

interface Prepared {
  signer: GetSigner;
  protocol: string;
  hostname: string;
  port?: number;
  /** The Host header: host and port as the URL names them. */
  host: string;
  /** The endpoint's own path, without a trailing slash. */
  basePath: string;
}

interface HttpAnswer {
  statusCode: number;
  headers: Record<string, string | undefined>;
  body: NodeJS.ReadableStream;
}
interface RequestHandlerLike {
  handle(request: unknown): Promise<{ response: HttpAnswer }>;
}
interface EndpointLike {
  protocol: string;
  hostname: string;
  port?: number;
  path: string;
}

const prepared = new WeakMap<object, Promise<Prepared>>();

async function prepare(client: EKSClient, service: string): Promise<Prepared> {
  const config = client.config;
  const region = await config.region();
  // A custom endpoint (the sandbox) is given to the rules as AWS's own resolver does; otherwise the rules pick the regional host.
  const custom = config.isCustomEndpoint && config.endpoint ? ((await config.endpoint()) as EndpointLike) : undefined;
  const resolved = config.endpointProvider({
    Region: region,
    UseFIPS: await config.useFipsEndpoint(),
    UseDualStack: await config.useDualstackEndpoint(),
    ...(custom ? { Endpoint: `${custom.protocol}//${custom.hostname}${custom.port ? `:${custom.port}` : ""}${custom.path}` } : {}),
  });
  const url = new URL(resolved.url.href);
  return {
    signer: new GetSigner(region, service),
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    host: url.host,
    basePath: url.pathname.replace(/\/$/, ""),
  };
}

// Events, not `for await`: an async iterator over the response costs a promise per chunk.
function readBody(body: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    body.on("data", (c: Buffer) => chunks.push(c));
    body.once("end", () => resolve(chunks.length === 1 ? chunks[0]!.toString("utf8") : Buffer.concat(chunks).toString("utf8")));
    body.once("error", reject);
  });
}

/** A throttled answer to a light GET (its AWS error code and HTTP status). */
export class LightThrottled {
  constructor(
    readonly code: string,
    readonly httpStatus: number,
  ) {}
}

/**
 * GET `path` (already URI-encoded) on the client's endpoint; the parsed JSON body
 * of a 200, LightThrottled for a throttled answer, else undefined (the caller then
 * uses `client.send`).
 */
export async function lightGetJson(pool: AwsClientPool, client: EKSClient, event: ThrottleEvent, path: string): Promise<unknown> {
  let ready = prepared.get(client);
  if (!ready) {
    ready = prepare(client, event.service);
    prepared.set(client, ready);
    // A failed preparation (credentials not yet available, say) is tried again on the next call.
    ready.catch(() => prepared.delete(client));
  }
  try {
    const p = await ready;
    const fullPath = p.basePath + path;
    const credentials = await client.config.credentials();
    const signed = p.signer.sign(credentials, p.host, fullPath, new Date(Date.now() + (client.config.systemClockOffset ?? 0)));
    const request = {
      method: "GET",
      protocol: p.protocol,
      hostname: p.hostname,
      ...(p.port ? { port: p.port } : {}),
      path: fullPath,
      query: {},
      // User-Agent is never signed; it names RoleGate in CloudTrail as the SDK's clients do.
      headers: { host: p.host, "user-agent": "aws-sdk-js rolegate", ...signed },
    };
    const { response } = await (client.config.requestHandler as unknown as RequestHandlerLike).handle(request);
    const text = await readBody(response.body);
    if (response.statusCode === 200) {
      recordAwsAttempt(event.service, event.operation);
      return JSON.parse(text) as unknown;
    }
    const code = (response.headers["x-amzn-errortype"] ?? "").split(":")[0] || `Http${response.statusCode}`;
    const throttled = isThrottlingAnswer(response.statusCode, code);
    recordAwsAttempt(event.service, event.operation, { code, throttled });
    if (!throttled) return undefined;
    notifyThrottled(pool, client, event);
    return new LightThrottled(code, response.statusCode);
  } catch {
    // A network fault or a body that is not JSON: the SDK's path retries and reports it.
    return undefined;
  }
}
