import {
  TrustPolicyError,
  TrustRequestError,
  buildRequest,
  evaluateTrust,
  parseTrustPolicy,
  type CanAssumeInput,
  type TrustResult,
} from "@/lib/trust";
import { parseOptions } from "./args";
import { EXIT_NO, EXIT_OK, UsageError, type CliIO, type Command } from "./types";

const HELP = `Usage: rolegate can-assume --trust-policy FILE --namespace NS --service-account SA
         (--issuer ISSUER | --pod-identity [--cluster-arn ARN] [--no-session-tags])
         [--audience AUD] [--json]

Decide whether a Kubernetes service account may assume an IAM role, by evaluating
the role's trust policy the way IAM does.

Options:
  --trust-policy FILE    Trust policy document: JSON or URL-encoded JSON (as IAM's
                         GetRole returns it). "-" reads standard input.
  --namespace NS         Kubernetes namespace of the service account.
  --service-account SA   Name of the service account.
  --issuer ISSUER        IRSA: the cluster's OIDC issuer URL (https:// optional).
  --audience AUD         IRSA: token audience (default sts.amazonaws.com).
  --pod-identity         EKS Pod Identity: the role must trust pods.eks.amazonaws.com
                         for sts:AssumeRole and, with session tags, sts:TagSession.
  --cluster-arn ARN      Pod Identity: the cluster's ARN. Without it, cluster-specific
                         keys (aws:SourceArn, aws:SourceAccount, eks-cluster-* tags)
                         are treated as absent, so conditions requiring them fail.
  --no-session-tags      Pod Identity: the association disables session tags
                         (sts:TagSession not needed, no aws:RequestTag keys).
  --json                 Print {"allowed","mechanism","reason","statements"} as JSON.
  -h, --help             Show this help.

Exit status: 0 allowed, 1 not allowed, 2 unusable input.`;

const SPEC = {
  "trust-policy": "string",
  namespace: "string",
  "service-account": "string",
  issuer: "string",
  audience: "string",
  "pod-identity": "boolean",
  "cluster-arn": "string",
  "no-session-tags": "boolean",
  json: "boolean",
  help: "boolean",
} as const;

function required(opts: Record<string, unknown>, name: string): string {
  const v = opts[name];
  if (typeof v !== "string" || v === "") throw new UsageError(`--${name} is required`);
  return v;
}

function toInput(opts: Record<string, string | boolean | undefined>): CanAssumeInput {
  const namespace = required(opts, "namespace");
  const serviceAccount = required(opts, "service-account");
  const issuer = opts.issuer as string | undefined;
  const pod = opts["pod-identity"] === true;
  if (issuer !== undefined && pod) throw new UsageError("--issuer and --pod-identity are mutually exclusive");
  if (issuer === undefined && !pod) throw new UsageError("one of --issuer (IRSA) or --pod-identity is required");
  if (issuer !== undefined) {
    if (issuer === "") throw new UsageError("--issuer must not be empty");
    for (const f of ["cluster-arn", "no-session-tags"]) {
      if (opts[f] !== undefined) throw new UsageError(`--${f} only applies with --pod-identity`);
    }
    const audience = opts.audience as string | undefined;
    if (audience === "") throw new UsageError("--audience must not be empty");
    return { mechanism: "irsa", issuer, namespace, serviceAccount, ...(audience !== undefined ? { audience } : {}) };
  }
  if (opts.audience !== undefined) throw new UsageError("--audience only applies with --issuer");
  const clusterArn = opts["cluster-arn"] as string | undefined;
  return {
    mechanism: "pod-identity",
    namespace,
    serviceAccount,
    sessionTags: opts["no-session-tags"] !== true,
    ...(clusterArn !== undefined ? { clusterArn } : {}),
  };
}

async function readPolicy(file: string, io: CliIO): Promise<string> {
  try {
    return file === "-" ? await io.readStdin() : await io.readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : code === "EACCES" ? "permission denied" : (e as Error).message;
    throw new UsageError(`cannot read trust policy ${file === "-" ? "from stdin" : `file "${file}"`}: ${why}`);
  }
}

export function formatHuman(r: TrustResult): string {
  const lines = [`${r.allowed ? "ALLOWED" : "NOT ALLOWED"} (${r.mechanism})`, r.reason];
  for (const s of r.statements) {
    const sid = s.sid ? ` (Sid "${s.sid}")` : "";
    lines.push(`  statement ${s.index}${sid} ${s.effect}: ${s.why}`);
  }
  return lines.join("\n") + "\n";
}

export const canAssumeCommand: Command = {
  name: "can-assume",
  summary: "Decide whether a service account may assume a role (IRSA or EKS Pod Identity)",
  help: HELP,
  async run(args, io) {
    const opts = parseOptions(args, SPEC);
    if (opts.help) {
      io.stdout(HELP + "\n");
      return EXIT_OK;
    }
    const file = required(opts, "trust-policy");
    const input = toInput(opts);
    let result: TrustResult;
    try {
      // Validate the request before reading the file so flag mistakes are reported first.
      const request = buildRequest(input);
      const policy = parseTrustPolicy(await readPolicy(file, io));
      result = evaluateTrust(policy, request);
    } catch (e) {
      if (e instanceof TrustPolicyError || e instanceof TrustRequestError) throw new UsageError(e.message);
      throw e;
    }
    if (opts.json) {
      const { allowed, mechanism, reason, statements } = result;
      io.stdout(JSON.stringify({ allowed, mechanism, reason, statements }, null, 2) + "\n");
    } else {
      io.stdout(formatHuman(result));
    }
    return result.allowed ? EXIT_OK : EXIT_NO;
  },
};
