// The watched estate: a request may only name an account, region and cluster of a
// configured target (lib/config targets; in sandbox mode the sandbox fleet's
// accounts). Anything else would be applied with the base credentials to an
// estate nobody reviews, so it is refused at filing and again at apply.
import { DomainError } from "@/lib/core/errors";
import type { Target } from "@/lib/config/schema";

export function targetFor(targets: Target[], where: { accountId: string; region: string; cluster: string }): Target | undefined {
  return targets.find((t) => t.accountId === where.accountId && t.region === where.region && (t.clusters.includes("*") || t.clusters.includes(where.cluster)));
}

/** "111122223333/us-east-1/* , 444455556666/eu-west-1/green+blue": the configured targets, for messages. */
export function describeTargets(targets: Target[]): string {
  return targets.map((t) => `${t.accountId}/${t.region}/${t.clusters.join("+")}`).join(", ");
}

export function outsideTargetsMessage(targets: Target[], where: { accountId: string; region: string; cluster: string }): string {
  return `${where.accountId}/${where.region}/${where.cluster} is not a configured target; the configured targets are ${describeTargets(targets)}`;
}

/** 400 naming the configured targets when the item is outside them. */
export function requireTarget(targets: Target[], where: { accountId: string; region: string; cluster: string }, field: string): void {
  if (!targetFor(targets, where)) throw new DomainError("invalid", "Invalid input", { [field]: [outsideTargetsMessage(targets, where)] });
}
