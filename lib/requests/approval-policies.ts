// Approval policies are versioned: an edit adds a new row (name, version + 1) and
// deactivates the older versions of the same name, in one transaction with its
// audit row. Requests keep the version they were filed under (Request.policyVersionId
// plus the copied requiredApprovals / approverRole), so an edit never changes them.
import { z } from "zod";
import { DomainError } from "@/lib/core/errors";
import { recordAudit } from "@/lib/audit/record";
import type { ApprovalPolicy, PrismaClient } from "@/lib/db/generated/client";
import type { Actor } from "./deps";

export const MAX_REQUIRED_APPROVALS = 5;

const GLOB_HINT = "use * for any run of characters and ? for one character";

// AWS accounts: 12 digits. Regions: lower-case letters, digits and - (us-gov-west-1).
// EKS cluster names: [A-Za-z0-9][A-Za-z0-9_-]{0,99}. Kubernetes namespaces: DNS labels (63).
// IAM role ARNs: arn:<partition>:iam::<account>:role/<path/><name>, name chars [\w+=,.@-].
// Each pattern may use the characters its value can contain, plus * and ?.
const pattern = (what: string, max: number, chars: RegExp, hint: string) =>
  z
    .string()
    .trim()
    .min(1, `give a ${what} pattern (* matches every ${what})`)
    .max(max, `at most ${max} characters`)
    .regex(chars, `${what} patterns may only contain ${hint}; ${GLOB_HINT}`);
// Optional (default "*"): they came after the others, and older clients and forms do not send them.
const accountPattern = pattern("account", 32, /^[0-9*?]+$/, "digits").default("*");
const regionPattern = pattern("region", 32, /^[a-z0-9*?-]+$/, "lower-case letters, digits and -").default("*");
const clusterPattern = pattern("cluster", 100, /^[A-Za-z0-9_*?-]+$/, "letters, digits, - and _");
const namespacePattern = pattern("namespace", 63, /^[a-z0-9*?-]+$/, "lower-case letters, digits and -");
const rolePattern = pattern("role", 256, /^[A-Za-z0-9:/+=,.@_*?-]+$/, "letters, digits and :/+=,.@_-").refine(
  (p) => p.startsWith("arn:") || p.startsWith("*"),
  "a role pattern is * or starts with arn: (e.g. arn:aws:iam::111122223333:role/team-a/*)",
);

export const approvalPolicyInput = z
  .object({
    name: z.string().trim().min(1, "give the policy a name").max(48, "at most 48 characters").regex(/^[a-z0-9][a-z0-9-]*$/, "lower-case letters, digits and - only, starting with a letter or digit"),
    /** The latest version the editor saw: 0 for a new policy. A different latest version is a conflict. */
    previousVersion: z.coerce.number().int().min(0),
    requiredApprovals: z.coerce.number().int().min(1, "at least 1 approval").max(MAX_REQUIRED_APPROVALS, `at most ${MAX_REQUIRED_APPROVALS} approvals`),
    approverRole: z.enum(["approver", "admin"]),
    accountPattern,
    regionPattern,
    clusterPattern,
    namespacePattern,
    rolePattern,
    active: z.boolean(),
  })
  .strict();

/** Not on the settings form (a new version keeps its policy's priority); the API may set it. Higher wins among matching policies. */
export const policyPrioritySchema = z.coerce.number().int("must be a whole number").min(-1000, "at least -1000").max(1000, "at most 1000");

type Prisma = Pick<PrismaClient, "$transaction" | "approvalPolicy">;

function isUniqueViolation(e: unknown): boolean {
  return typeof e === "object" && e !== null && (e as { code?: string }).code === "P2002";
}

/** Adds version N+1 of a policy (or version 1 of a new one); older versions of that name stop matching. */
export async function createApprovalPolicyVersion(prisma: Prisma, actor: Pick<Actor, "login">, raw: z.input<typeof approvalPolicyInput>, opts: { priority?: number } = {}): Promise<ApprovalPolicy> {
  const input = approvalPolicyInput.parse(raw);
  const priority = opts.priority === undefined ? undefined : policyPrioritySchema.parse(opts.priority);
  try {
    return await prisma.$transaction(async (tx) => {
      const latest = await tx.approvalPolicy.findFirst({ where: { name: input.name }, orderBy: { version: "desc" } });
      const latestVersion = latest?.version ?? 0;
      if (latestVersion !== input.previousVersion) {
        throw new DomainError(
          "conflict",
          input.previousVersion === 0
            ? `A policy named "${input.name}" already exists (version ${latestVersion}); edit it to add a version, or pick another name.`
            : `Policy "${input.name}" is now at version ${latestVersion}, not ${input.previousVersion}: someone else changed it. Reload the page and try again.`,
        );
      }
      const deactivated = await tx.approvalPolicy.updateMany({ where: { name: input.name, active: true }, data: { active: false } });
      const created = await tx.approvalPolicy.create({
        data: {
          name: input.name,
          version: latestVersion + 1,
          requiredApprovals: input.requiredApprovals,
          approverRole: input.approverRole,
          accountPattern: input.accountPattern,
          regionPattern: input.regionPattern,
          clusterPattern: input.clusterPattern,
          namespacePattern: input.namespacePattern,
          rolePattern: input.rolePattern,
          // Not on the form: a new version keeps its policy's priority (lib/requests/policies.ts) unless the API sets one.
          priority: priority ?? latest?.priority ?? 0,
          active: input.active,
          createdBy: actor.login,
        },
      });
      await recordAudit(tx, {
        actor: actor.login,
        event: "approval_policy.created",
        subject: `approval_policy:${created.name}@${created.version}`,
        details: {
          id: created.id,
          name: created.name,
          version: created.version,
          previousVersion: latest?.version ?? null,
          deactivatedRows: deactivated.count,
          requiredApprovals: created.requiredApprovals,
          approverRole: created.approverRole,
          accountPattern: created.accountPattern,
          regionPattern: created.regionPattern,
          clusterPattern: created.clusterPattern,
          namespacePattern: created.namespacePattern,
          rolePattern: created.rolePattern,
          priority: created.priority,
          active: created.active,
        },
      });
      return created;
    });
  } catch (e) {
    // Two admins adding the same version at once: @@unique([name, version]) lets one win.
    if (isUniqueViolation(e)) throw new DomainError("conflict", `Someone else just added a version of "${input.name}". Reload the page and try again.`);
    throw e;
  }
}

export interface PolicyWithVersions {
  name: string;
  latest: ApprovalPolicy;
  /** Newest first, at most POLICY_VERSIONS_SHOWN of them. */
  versions: (ApprovalPolicy & { requests: number })[];
  /** How many versions the policy has; versionsTruncated when `versions` shows fewer. */
  versionsTotal: number;
  versionsTruncated: boolean;
}

/** Policies (by name) one list returns, and versions shown per policy: every edit adds a version, so neither grows the answer without bound. */
export const POLICY_LIST_MAX = 200;
export const POLICY_VERSIONS_SHOWN = 20;

/**
 * The policies by name (at most POLICY_LIST_MAX, in name order), each with its newest
 * versions (at most POLICY_VERSIONS_SHOWN) and how many requests pinned each; `total`
 * counts every name and `truncated` says the list stops short of it.
 */
export async function listApprovalPolicies(
  prisma: Pick<PrismaClient, "approvalPolicy">,
  caps: { policies?: number; versions?: number } = {},
): Promise<{ policies: PolicyWithVersions[]; total: number; truncated: boolean }> {
  const maxPolicies = caps.policies ?? POLICY_LIST_MAX;
  const maxVersions = caps.versions ?? POLICY_VERSIONS_SHOWN;
  const [names, total] = await Promise.all([
    prisma.approvalPolicy.groupBy({ by: ["name"], _max: { version: true }, _count: { _all: true }, orderBy: { name: "asc" }, take: maxPolicies }),
    prisma.approvalPolicy.groupBy({ by: ["name"] }).then((all) => all.length),
  ]);
  // Versions of a name are 1..N without gaps (each edit adds latest + 1): the newest k are those above N - k.
  const rows = names.length
    ? await prisma.approvalPolicy.findMany({
        where: { OR: names.map((n) => ({ name: n.name, version: { gt: (n._max.version ?? 0) - maxVersions } })) },
        orderBy: [{ name: "asc" }, { version: "desc" }],
        include: { _count: { select: { requests: true } } },
      })
    : [];
  const policies = names.map((n): PolicyWithVersions => {
    const versions = rows.filter((r) => r.name === n.name).map(({ _count, ...row }) => ({ ...row, requests: _count.requests }));
    const { requests: _r, ...latest } = versions[0]!;
    return { name: n.name, latest, versions, versionsTotal: n._count._all, versionsTruncated: n._count._all > versions.length };
  });
  return { policies, total, truncated: total > policies.length };
}

/** The latest version number of a policy name, 0 when there is none. */
export async function latestPolicyVersion(prisma: Pick<PrismaClient, "approvalPolicy">, name: string): Promise<number> {
  const latest = await prisma.approvalPolicy.findFirst({ where: { name }, orderBy: { version: "desc" }, select: { version: true } });
  return latest?.version ?? 0;
}
