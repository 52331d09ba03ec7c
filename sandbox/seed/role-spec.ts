// Declarative role description turned into a SandboxRole by roles.ts.
import type { Statement } from "./policies";

export interface RoleSpec {
  name: string;
  /** Defaults to the production account. */
  account?: string;
  path?: string;
  description?: string;
  trust: Statement[];
  inline?: Record<string, string>;
  attached?: { policyName: string; policyArn: string }[];
  tags?: Record<string, string>;
  ageDays: number;
  /** Days since the role was last assumed (IAM RoleLastUsed); null or absent = never used. */
  lastUsedDaysAgo?: number | null;
  maxSessionDuration?: number;
}
