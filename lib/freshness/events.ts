// What a change-events message says, in RoleGate's terms: the body EventBridge
// puts in the queue is CloudTrail's "AWS API Call via CloudTrail" event. Only the
// fields RoleGate acts on are read; anything else about the shape is tolerated,
// while a body that is not such an event is "malformed" (deleted, counted, logged).
import { z } from "zod";

export const ASSOCIATION_EVENTS = ["CreatePodIdentityAssociation", "UpdatePodIdentityAssociation", "DeletePodIdentityAssociation"] as const;
export const ROLE_EVENTS = ["CreateRole", "DeleteRole", "UpdateAssumeRolePolicy", "AttachRolePolicy", "DetachRolePolicy", "PutRolePolicy", "DeleteRolePolicy"] as const;
export const OIDC_EVENTS = ["CreateOpenIDConnectProvider", "DeleteOpenIDConnectProvider"] as const;

const record = z.record(z.string(), z.unknown());
const eventSchema = z.object({
  "detail-type": z.literal("AWS API Call via CloudTrail"),
  source: z.enum(["aws.eks", "aws.iam"]),
  detail: z.object({
    eventID: z.string().min(1),
    eventName: z.string().min(1),
    eventTime: z.string().refine((s) => !Number.isNaN(Date.parse(s)), "not a time"),
    awsRegion: z.string().min(1),
    recipientAccountId: z.string().regex(/^\d{12}$/),
    userAgent: z.string().optional(),
    userIdentity: record.optional(),
    errorCode: z.string().optional(),
    requestParameters: record.nullable().optional(),
    responseElements: record.nullable().optional(),
  }),
});

interface Common {
  eventId: string;
  eventName: string;
  eventTime: Date;
  accountId: string;
  region: string;
  /** The caller's user agent: RoleGate's own SDK clients say "rolegate". */
  userAgent: string;
  /** Who made the change (the ARN CloudTrail names). */
  actor: string;
}

export type ChangeEvent =
  | (Common & { kind: "association"; cluster: string; associationId: string; namespace?: string; serviceAccount?: string })
  | (Common & { kind: "role"; roleName: string })
  | (Common & { kind: "oidc-provider"; providerArn?: string })
  /** A well-formed event RoleGate does not act on (a failed call, another API). */
  | (Common & { kind: "other" });

export type ParsedMessage = { ok: true; event: ChangeEvent } | { ok: false; reason: string };

const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
const includes = (list: readonly string[], name: string) => list.includes(name);

export function parseChangeEvent(body: string): ParsedMessage {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, reason: "body is not JSON" };
  }
  const r = eventSchema.safeParse(json);
  if (!r.success) return { ok: false, reason: r.error.issues.slice(0, 3).map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ") };
  const d = r.data.detail;
  const identity = d.userIdentity ?? {};
  const common: Common = {
    eventId: d.eventID,
    eventName: d.eventName,
    eventTime: new Date(d.eventTime),
    accountId: d.recipientAccountId,
    region: d.awsRegion,
    userAgent: d.userAgent ?? "",
    actor: str((identity.sessionContext as { sessionIssuer?: { arn?: unknown } } | undefined)?.sessionIssuer?.arn) ?? str(identity.arn) ?? "unknown",
  };
  if (d.errorCode) return { ok: true, event: { ...common, kind: "other" } };
  const req = d.requestParameters ?? {};
  const res = d.responseElements ?? {};
  if (r.data.source === "aws.eks" && includes(ASSOCIATION_EVENTS, d.eventName)) {
    const assoc = (res.association ?? {}) as Record<string, unknown>;
    const cluster = str(req.clusterName) ?? str(assoc.clusterName);
    const associationId = str(req.associationId) ?? str(assoc.associationId);
    if (!cluster || !associationId) return { ok: false, reason: `${d.eventName} names no cluster or association id` };
    return { ok: true, event: { ...common, kind: "association", cluster, associationId, namespace: str(req.namespace) ?? str(assoc.namespace), serviceAccount: str(req.serviceAccount) ?? str(assoc.serviceAccount) } };
  }
  if (r.data.source === "aws.iam" && includes(ROLE_EVENTS, d.eventName)) {
    const roleName = str(req.roleName);
    if (!roleName) return { ok: false, reason: `${d.eventName} names no role` };
    return { ok: true, event: { ...common, kind: "role", roleName } };
  }
  if (r.data.source === "aws.iam" && includes(OIDC_EVENTS, d.eventName)) {
    return { ok: true, event: { ...common, kind: "oidc-provider", providerArn: str(req.openIDConnectProviderArn) ?? str(res.openIDConnectProviderArn) } };
  }
  return { ok: true, event: { ...common, kind: "other" } };
}

/** RoleGate's own calls carry "rolegate" in their user agent (lib/aws/clients.ts). */
export const madeByRoleGate = (e: ChangeEvent) => /\brolegate\b/i.test(e.userAgent);
