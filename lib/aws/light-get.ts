// A signed GET made with an SDK client's own parts (its endpoint rules,
// credentials, clock offset, hash and HTTP handler, signed by
// @smithy/signature-v4) but not its middleware stack and schema-driven
// deserializer. The scanner makes one DescribePodIdentityAssociation per
// association; through `client.send` each costs about 1.1 ms of client CPU on
// the 2-core CI machine, this way about 0.5 ms (bench:scale prints the effect).
//
// It answers only the easy case: a 200 with a JSON body. Anything else (an AWS
// error, throttling, a network fault) returns `undefined`, and the caller makes
// the same call with `client.send`, which parses AWS's error and retries as the
// SDK does. A throttled answer is still reported to the pool's throttle
// listeners, so the scanner's pacing sees it.
import { SignatureV4 } from "@smithy/signature-v4";
import type { EKSClient } from "@aws-sdk/client-eks";
import { recordAwsAttempt } from "@/lib/observability/metrics";
import { notifyThrottled, type AwsClientPool, type ThrottleEvent } from "./clients";

interface Prepared {
  signer: SignatureV4;
  url: URL;
}

interface HttpAnswer {
  statusCode: number;
  headers: Record<string, string | undefined>;
  body: AsyncIterable<Uint8Array>;
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
  return {
    signer: new SignatureV4({ service, region, credentials: config.credentials, sha256: config.sha256, uriEscapePath: config.signingEscapePath }),
    url: new URL(resolved.url.href),
  };
}

async function readBody(body: AsyncIterable<Uint8Array>): Promise<string> {
  const chunks: Uint8Array[] = [];
  for await (const c of body) chunks.push(c);
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * GET `path` (already URI-encoded) on the client's endpoint; the parsed JSON body
 * of a 200, else undefined (the caller then uses `client.send`).
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
    const { signer, url } = await ready;
    const request = {
      method: "GET",
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: `${url.pathname.replace(/\/$/, "")}${path}`,
      query: {},
      headers: { host: url.host, accept: "application/json", "user-agent": "aws-sdk-js rolegate", "x-amz-user-agent": "aws-sdk-js rolegate" },
    };
    const signed = await signer.sign(request, { signingDate: new Date(Date.now() + (client.config.systemClockOffset ?? 0)) });
    const { response } = await (client.config.requestHandler as unknown as RequestHandlerLike).handle(signed);
    const text = await readBody(response.body);
    if (response.statusCode === 200) {
      recordAwsAttempt(event.service, event.operation);
      return JSON.parse(text) as unknown;
    }
    const code = (response.headers["x-amzn-errortype"] ?? "").split(":")[0] || `Http${response.statusCode}`;
    const throttled = response.statusCode === 429 || /Throttl|TooManyRequests/.test(code);
    recordAwsAttempt(event.service, event.operation, { code, throttled });
    if (throttled) notifyThrottled(pool, client, event);
    return undefined;
  } catch {
    // A network fault or a body that is not JSON: the SDK's path retries and reports it.
    return undefined;
  }
}
