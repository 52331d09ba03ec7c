// The AWS edge: one HTTP handler for EKS, IAM and STS (and /_sandbox/*),
// dispatching on the SigV4 credential scope like LocalStack's edge port.
// Every AWS call goes through the same pipeline: route -> latency -> fault
// decision -> execute -> call log, so faults and logs look alike everywhere.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { SandboxContext, SandboxService } from "../context";
import { Accounts } from "./accounts";
import { handleControl, type ControlOptions } from "./control";
import { AwsError, isAwsError } from "./errors";
import { eksError, routeEks } from "./eks";
import { iamError, routeIam } from "./iam";
import { newRequestId } from "./ids";
import { signingScope } from "./sigv4-scope";
import { routeSts, stsError } from "./sts";
import { EMITTED_OPERATIONS, cloudTrailEvent } from "./cloudtrail";
import { renderSqsError } from "./sqs";
import type { AwsRequest, AwsResponse, RoutedCall } from "./wire";

const MAX_BODY_BYTES = 8 * 1024 * 1024;
type AwsService = Exclude<SandboxService, "kube">;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new AwsError("RequestEntityTooLarge", "Request body too large", 413));
        req.destroy();
      } else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** Renders an error in the wire format of the service (query codes drop the "Exception" suffix). */
function renderError(service: AwsService, err: AwsError, requestId: string): AwsResponse {
  if (service === "eks") return eksError(err);
  if (service === "sqs") return renderSqsError(err);
  const code = err.code.replace(/Exception$/, "");
  const e = code === err.code ? err : new AwsError(code, err.message, err.status, err.fields);
  return service === "iam" ? iamError(e, requestId) : stsError(e, requestId);
}

/** Which service an unsigned request was probably meant for, to answer in its format. */
function guessService(query: URLSearchParams, body: string, target?: string): AwsService {
  if (target?.startsWith("AmazonSQS.")) return "sqs";
  const params = new URLSearchParams(body.includes("Action=") ? body : query.toString());
  if (!params.get("Action")) return "eks";
  return params.get("Version") === "2011-06-15" ? "sts" : "iam";
}

function injectedError(service: AwsService, kind: "throttle" | "5xx", flip: number): AwsError {
  if (kind === "throttle") {
    if (service === "sqs") return new AwsError("RequestThrottled", "Request is throttled.", 403);
    return service === "eks"
      ? new AwsError("ThrottlingException", "Rate exceeded", 429)
      : new AwsError("Throttling", "Rate exceeded", 400);
  }
  if (service === "sqs") return new AwsError("InternalFailure", "The request processing has failed because of an unknown error, exception or failure.", 500);
  if (service === "iam") return new AwsError("ServiceFailure", "Request processing has failed due to some unknown error, exception or failure.", 500);
  if (service === "sts") return new AwsError("InternalFailure", "An internal error occurred.", 500);
  // Alternate so clients see both 5xx shapes EKS produces.
  return flip % 2 === 0
    ? new AwsError("ServerException", "An internal error occurred. Please try again.", 500)
    : new AwsError("ServiceUnavailableException", "Service is unavailable. Please try again.", 503);
}

function internalError(service: AwsService, e: unknown): AwsError {
  const detail = e instanceof Error ? e.message : String(e);
  const code = service === "eks" ? "ServerException" : service === "iam" ? "ServiceFailure" : "InternalFailure"; // sqs and sts: InternalFailure
  return new AwsError(code, `Sandbox internal error: ${detail}`, 500);
}

function write(res: ServerResponse, response: AwsResponse, requestId: string): void {
  res.writeHead(response.status, {
    ...response.headers,
    "content-type": response.contentType,
    "content-length": Buffer.byteLength(response.body),
    "x-amzn-RequestId": requestId,
  });
  res.end(response.body);
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface AwsHandlerOptions extends ControlOptions {
  log?: (message: string) => void;
  /** Shared with the Kubernetes API so it can verify tokens signed with AssumeRole credentials. */
  accounts?: Accounts;
}

export function createAwsRequestHandler(ctx: SandboxContext, opts: AwsHandlerOptions) {
  const accounts = opts.accounts ?? new Accounts(ctx);
  const log = opts.log ?? ((m: string) => console.error(m));
  let injected5xx = 0;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const url = new URL(req.url ?? "/", "http://sandbox.local");
    const body = await readBody(req);
    if (url.pathname.startsWith("/_sandbox")) return handleControl(ctx, opts, req.method ?? "GET", url, body, res);

    const requestId = newRequestId();
    // A long poll whose client hung up must not take messages it will never see.
    let gone = false;
    res.on("close", () => (gone = true));
    const target = req.headers["x-amz-target"];
    let service: AwsService = guessService(url.searchParams, body, Array.isArray(target) ? target[0] : target);
    let operation = "Unknown";
    let accountId: string | undefined;
    let region: string | undefined;
    let routed: RoutedCall | undefined;
    let injected: "throttle" | "5xx" | undefined;
    let response: AwsResponse;
    try {
      const header = req.headers.authorization;
      const scope = signingScope(Array.isArray(header) ? header[0] : header, url.searchParams);
      if (scope.service !== "eks" && scope.service !== "iam" && scope.service !== "sts" && !(scope.service === "sqs" && ctx.sqs)) {
        throw new AwsError("UnknownOperationException", `The RoleGate sandbox does not emulate service '${scope.service}'`, 400);
      }
      service = scope.service as AwsService;
      region = scope.region;
      const caller = accounts.resolve(scope.accessKeyId);
      accountId = caller.accountId;
      const request: AwsRequest = {
        method: req.method ?? "GET",
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
        region: scope.region,
        requestId,
      };
      routed =
        service === "eks" ? routeEks(ctx, caller, request)
        : service === "iam" ? routeIam(ctx, caller, request)
        : service === "sqs" ? ctx.sqs!.route(caller, request, () => gone)
        : routeSts(ctx, accounts, caller, request);
      operation = routed.operation;
      const latency = ctx.faults.latencyFor(operation);
      if (latency > 0) await sleep(latency);
      const decision = ctx.faults.decide(operation, routed.cluster);
      if (decision.kind !== "none") {
        injected = decision.kind;
        throw injectedError(service, decision.kind, decision.kind === "5xx" ? injected5xx++ : 0);
      }
      response = await routed.execute();
      // Only writes are emitted: a read (most calls) builds no event, not even its arguments.
      if (ctx.cloudTrail && (service === "eks" || service === "iam") && response.status < 300 && EMITTED_OPERATIONS[service].includes(operation)) {
        const event = cloudTrailEvent({
          service, operation, caller, region: scope.region, request, result: routed.result, at: ctx.now(),
          userAgent: String(req.headers["x-amz-user-agent"] ?? req.headers["user-agent"] ?? ""),
          sourceIp: req.socket.remoteAddress ?? "127.0.0.1",
        });
        if (event) ctx.cloudTrail.emit(event);
      }
    } catch (e) {
      if (!isAwsError(e)) log(`[sandbox/aws] ${service} ${operation} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      response = renderError(service, isAwsError(e) ? e : internalError(service, e), requestId);
    }
    const errorCode = response.status >= 300 ? extractCode(response) : undefined;
    ctx.calls.add({
      service,
      operation,
      accountId,
      region,
      cluster: routed?.cluster,
      status: response.status,
      errorCode,
      injected,
      durationMs: Date.now() - started,
      userAgent: String(req.headers["x-amz-user-agent"] ?? req.headers["user-agent"] ?? ""),
    });
    write(res, response, requestId);
  }

  return (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((e: unknown) => {
      log(`[sandbox/aws] request failed before routing: ${e instanceof Error ? e.message : String(e)}`);
      if (!res.headersSent) {
        const err = isAwsError(e) ? e : internalError("eks", e);
        write(res, eksError(err), newRequestId());
      }
    });
  };
}

function extractCode(r: AwsResponse): string | undefined {
  if (r.headers?.["x-amzn-ErrorType"]) return r.headers["x-amzn-ErrorType"];
  return /<Code>([^<]*)<\/Code>/.exec(r.body)?.[1];
}
