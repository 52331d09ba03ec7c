// `npm run sandbox`: runs the AWS + Kubernetes sandbox alone, for the app, the
// AWS CLI, boto3 or kubectl to talk to.
import path from "node:path";
import { parseArgs } from "node:util";
import type { FaultSettings } from "./context";
import { parseFaultSettings } from "./aws/fault-schema";
import { startSandbox } from "./server";

const USAGE = `Usage: npm run sandbox -- [options]
  --aws-port N        AWS edge port (EKS, IAM, STS)   [env SANDBOX_AWS_PORT, default 4566]
  --kube-port N       Kubernetes API port             [env SANDBOX_KUBE_PORT, default 4567]
  --host H            listen address                  [env SANDBOX_HOST, default 127.0.0.1]
  --state FILE        persist the world to FILE (loaded on start when it exists)
  --kubeconfig FILE   where to write the kubeconfig   [default .data/sandbox/kubeconfig]
  --latency MS        added latency on every call
  --throttle OP=RATE  token-bucket throttle, RATE calls/s (OP may be "*"); repeatable
  --error-rate X      fraction 0..1 of calls answered with a 5xx
  --fail-next OP=N    fail the next N calls of OP with a 5xx; repeatable
  --seed N            seed of the random source for --error-rate
  --kube-anonymous    serve Kubernetes API calls that carry no token (for kubectl,
                      which sends none over plain http)      [env SANDBOX_KUBE_ANONYMOUS=1]
                      Without it, as on EKS, a call without a valid EKS token answers 401.`;

function pairs(values: string[] | undefined, flag: string): [string, number][] {
  return (values ?? []).map((v) => {
    const eq = v.lastIndexOf("=");
    const n = Number(v.slice(eq + 1));
    if (eq <= 0 || !Number.isFinite(n)) throw new Error(`${flag} expects OP=NUMBER, got "${v}"`);
    return [v.slice(0, eq), n];
  });
}

function flagFromEnv(value: string | undefined, name: string): boolean {
  if (value === undefined || value === "" || /^(0|false|no)$/i.test(value)) return false;
  if (/^(1|true|yes)$/i.test(value)) return true;
  throw new Error(`${name} expects 1/true or 0/false, got "${value}"`);
}

function port(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${flag} expects a port number, got "${value}"`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      "aws-port": { type: "string" },
      "kube-port": { type: "string" },
      host: { type: "string" },
      state: { type: "string" },
      kubeconfig: { type: "string" },
      latency: { type: "string" },
      throttle: { type: "string", multiple: true },
      "error-rate": { type: "string" },
      "fail-next": { type: "string", multiple: true },
      seed: { type: "string" },
      "kube-anonymous": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const raw: FaultSettings = {
    latencyMs: values.latency !== undefined ? Number(values.latency) : undefined,
    throttle: values.throttle
      ? Object.fromEntries(pairs(values.throttle, "--throttle").map(([op, rate]) => [op, { ratePerSecond: rate }]))
      : undefined,
    errorRate5xx: values["error-rate"] !== undefined ? Number(values["error-rate"]) : undefined,
    failNext: values["fail-next"] ? Object.fromEntries(pairs(values["fail-next"], "--fail-next")) : undefined,
    seed: values.seed !== undefined ? Number(values.seed) : undefined,
  };
  const faults = parseFaultSettings(JSON.parse(JSON.stringify(raw)));
  if (!faults.ok) throw new Error(`invalid fault options: ${faults.error}`);

  const kubeAnonymous = values["kube-anonymous"] ?? flagFromEnv(process.env.SANDBOX_KUBE_ANONYMOUS, "SANDBOX_KUBE_ANONYMOUS");
  const sandbox = await startSandbox({
    awsPort: port(values["aws-port"] ?? process.env.SANDBOX_AWS_PORT, 4566, "--aws-port"),
    kubePort: port(values["kube-port"] ?? process.env.SANDBOX_KUBE_PORT, 4567, "--kube-port"),
    host: values.host ?? process.env.SANDBOX_HOST,
    stateFile: values.state ? path.resolve(values.state) : undefined,
    faults: faults.value,
    // Opt-in only: a sandbox reachable by others should refuse unauthenticated calls, as EKS does.
    kubeAllowAnonymous: kubeAnonymous,
  });
  const kubeconfig = path.resolve(values.kubeconfig ?? ".data/sandbox/kubeconfig");
  sandbox.writeKubeconfig(kubeconfig);
  const accounts = Object.values(sandbox.ctx.world.accounts).map((a) => `${a.accountId} (${a.alias})`).join(", ");
  console.log(`RoleGate sandbox running
  AWS (EKS, IAM, STS, SQS): ${sandbox.awsEndpoint}
  Change events (SQS): ${sandbox.eventsQueueUrl}   (CloudTrail events of every change served)
  Kubernetes API:      ${sandbox.kubeEndpoint}/clusters/<cluster>
  Accounts:            ${accounts}   (default: the first)
  State file:          ${values.state ? path.resolve(values.state) : "(none: changes are lost on exit)"}
  Kubeconfig:          ${kubeconfig}

Point the AWS CLI / boto3 / SDK at it:
  export AWS_ENDPOINT_URL=${sandbox.awsEndpoint}
  export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
  aws sts get-caller-identity && aws eks list-clusters
  (an access key id equal to an account id, e.g. AWS_ACCESS_KEY_ID=${Object.keys(sandbox.ctx.world.accounts)[1] ?? "444455556666"}, acts in that account)
  SDK v3: new EKSClient({ endpoint: "${sandbox.awsEndpoint}", region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } })
${
    kubeAnonymous
      ? `kubectl (anonymous Kubernetes access is on: calls without a token are served):
  export KUBECONFIG=${kubeconfig}; kubectl get pods -n domino-compute`
      : `Kubernetes API: EKS tokens only (calls without one answer 401, as on EKS); kubectl sends none over
  plain http: restart with --kube-anonymous for kubectl (export KUBECONFIG=${kubeconfig})`
  }
Control: ${sandbox.awsEndpoint}/_sandbox/health | /_sandbox/calls | /_sandbox/faults (PUT) | /_sandbox/events (GET, PUT) | /_sandbox/reset (POST)
Ctrl-C to stop.`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping sandbox`);
    sandbox.close().then(
      () => process.exit(0),
      (e: unknown) => {
        console.error(e);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

main().catch((e: unknown) => {
  console.error(`sandbox: ${e instanceof Error ? e.message : String(e)}`);
  if (e instanceof Error && /expects|invalid/.test(e.message)) console.error(USAGE);
  process.exit(1);
});
