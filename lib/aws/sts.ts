// Which account do the credentials for a target really act in? Default
// credentials silently read their own account, so a target of another account
// without an assume-role would show the wrong account's data.
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import type { AwsClientPool } from "./clients";
import { toAwsCallError } from "./errors";
import { AwsCallError, type AwsLocation } from "./types";

const VERIFIED_FOR_MS = 10 * 60_000;

/** Who the location's credentials are (GetCallerIdentity), with both fields EKS and RoleGate need. */
export async function callerIdentity(pool: AwsClientPool, location: AwsLocation): Promise<{ arn: string; account: string }> {
  try {
    const out = await pool.stsFor(location).send(new GetCallerIdentityCommand({}));
    if (!out.Arn || !out.Account) throw new Error("GetCallerIdentity returned no Arn or account");
    return { arn: out.Arn, account: out.Account };
  } catch (e) {
    throw toAwsCallError("GetCallerIdentity", e);
  }
}

export class IdentityGateway {
  private verified = new Map<string, number>();

  constructor(private readonly pool: AwsClientPool) {}

  async accountOf(location: AwsLocation): Promise<string> {
    return (await callerIdentity(this.pool, location)).account;
  }

  /** Throws AwsCallError "WrongAccount" when the target's credentials act in another account. */
  async assertAccount(location: AwsLocation): Promise<void> {
    const key = `${location.accountId}/${location.region}/${location.assumeRoleArn ?? ""}`;
    if ((this.verified.get(key) ?? 0) > Date.now()) return;
    const actual = await this.accountOf(location);
    if (actual !== location.accountId) {
      throw new AwsCallError(
        "GetCallerIdentity",
        "WrongAccount",
        `the credentials for account ${location.accountId} act in account ${actual}; configure a role to assume in ${location.accountId} (ROLEGATE_ASSUME_ROLES or assumeRoleArn)`,
      );
    }
    this.verified.set(key, Date.now() + VERIFIED_FOR_MS);
  }
}
