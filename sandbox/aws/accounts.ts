// Which account is calling. Rules (documented in the sandbox README section of
// the final report):
//  - temporary keys issued by our STS AssumeRole map back to the assumed role;
//  - a 12-digit access key id naming an account of the world selects it
//    (LocalStack does the same, handy for scripts);
//  - anything else ("test", "AKIAIOSFODNN7EXAMPLE") is the default account, the
//    first one of the world, acting as user "sandbox-admin".
// Temporary keys embed the account id ("ASIA" + 12 digits + 4 chars) so they
// still resolve to the right account after a restart that lost the session map.
import { appendFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import type { SandboxContext } from "../context";
import { hashChars, userIdFor } from "./ids";

export const ADMIN_USER = "sandbox-admin";
/**
 * The secret access key of every long-term access key (the AWS edge does not
 * check signatures; the Kubernetes API's EKS token check does, against this).
 */
export const LONG_TERM_SECRET = "sandbox";

export interface Caller {
  accountId: string;
  arn: string;
  userId: string;
  /** Set when the caller uses credentials from AssumeRole. */
  assumedRole?: { roleArn: string; roleName: string; roleId: string; sessionName: string };
}

interface IssuedCredentials {
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
  Expiration: Date;
}

export class Accounts {
  private sessions = new Map<string, Caller>();
  private secrets = new Map<string, { secretAccessKey: string; sessionToken: string; expiration: Date }>();
  private issued = 0;

  constructor(private readonly ctx: SandboxContext) {}

  defaultAccountId(): string {
    return Object.keys(this.ctx.world.accounts)[0] ?? "000000000000";
  }

  resolve(accessKeyId: string): Caller {
    const session = this.sessions.get(accessKeyId);
    if (session) return session;
    const temp = /^ASIA(\d{12})[A-Z0-9]{4}$/.exec(accessKeyId);
    if (temp && this.ctx.world.accounts[temp[1]!]) return this.adminOf(temp[1]!);
    if (/^\d{12}$/.test(accessKeyId) && this.ctx.world.accounts[accessKeyId]) return this.adminOf(accessKeyId);
    return this.adminOf(this.defaultAccountId());
  }

  /**
   * The signing secret of an access key, as STS knows it: the issued secret and
   * session token of a live AssumeRole session, LONG_TERM_SECRET for "AKIA..."
   * and other long-term keys; undefined for temporary keys it did not issue
   * (or issued before a restart) and for expired sessions.
   */
  secretFor(accessKeyId: string): { caller: Caller; secretAccessKey: string; sessionToken?: string } | undefined {
    if (accessKeyId.startsWith("ASIA")) {
      const s = this.secrets.get(accessKeyId);
      const caller = this.sessions.get(accessKeyId);
      if (!s || !caller || s.expiration.getTime() <= this.ctx.now().getTime()) return undefined;
      return { caller, secretAccessKey: s.secretAccessKey, sessionToken: s.sessionToken };
    }
    return { caller: this.resolve(accessKeyId), secretAccessKey: LONG_TERM_SECRET };
  }

  private adminOf(accountId: string): Caller {
    return { accountId, arn: `arn:aws:iam::${accountId}:user/${ADMIN_USER}`, userId: userIdFor(accountId, ADMIN_USER) };
  }

  issue(
    role: { accountId: string; roleArn: string; roleName: string; roleId: string },
    sessionName: string,
    durationSeconds: number,
  ): { credentials: IssuedCredentials; caller: Caller } {
    const seed = `${role.roleArn}|${sessionName}|${++this.issued}|${this.ctx.now().toISOString()}`;
    const accessKeyId = `ASIA${role.accountId}${hashChars(seed, 4)}`;
    const caller: Caller = {
      accountId: role.accountId,
      arn: `arn:aws:sts::${role.accountId}:assumed-role/${role.roleName}/${sessionName}`,
      userId: `${role.roleId}:${sessionName}`,
      assumedRole: { roleArn: role.roleArn, roleName: role.roleName, roleId: role.roleId, sessionName },
    };
    this.sessions.set(accessKeyId, caller);
    const credentials: IssuedCredentials = {
      AccessKeyId: accessKeyId,
      SecretAccessKey: hashChars(`secret|${seed}`, 40, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"),
      SessionToken: "IQoJb3JpZ2luX2VjE" + hashChars(`token|${seed}`, 200, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"),
      Expiration: new Date(this.ctx.now().getTime() + durationSeconds * 1000),
    };
    this.secrets.set(accessKeyId, { secretAccessKey: credentials.SecretAccessKey, sessionToken: credentials.SessionToken, expiration: credentials.Expiration });
    // A test run's record of what STS handed out: the browser run looks for each in the app's log (e2e/log-secrets.teardown.ts).
    const record = process.env.ROLEGATE_SANDBOX_CREDENTIALS_RECORD;
    if (record) {
      mkdirSync(path.dirname(record), { recursive: true });
      appendFileSync(record, JSON.stringify({ accessKeyId, secretAccessKey: credentials.SecretAccessKey, sessionToken: credentials.SessionToken }) + "\n");
    }
    return { credentials, caller };
  }
}
