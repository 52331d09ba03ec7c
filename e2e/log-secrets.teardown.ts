// After the whole browser run: the app's log (stdout and stderr, tee'd to
// E2E.appLog by the webServer command) holds JSON request lines and none of the
// secrets the run used or minted (e2e/log-secret-scan.ts: the OIDC client
// secret, the audit key, the metrics and SCIM tokens, a DATABASE_URL password,
// the AWS keys and session tokens the sandbox's STS issued (its record),
// API tokens, session cookies, OAuth codes, EKS tokens).
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { APP_ENV, E2E } from "../playwright.config";
import { issuedCredentials, knownSecrets, secretsInLog } from "./log-secret-scan";

export default function checkLogForSecrets(): void {
  if (!existsSync(E2E.appLog)) throw new Error(`${E2E.appLog} is missing: the app's log was not captured`);
  const log = readFileSync(E2E.appLog, "utf8");
  // Playwright starts the app with its own environment plus APP_ENV (a metrics token or a
  // DATABASE_URL of the shell reaches it too); without ROLEGATE_AUDIT_KEY it generates audit.key.
  const env = { ...process.env, ...APP_ENV };
  const keyFile = path.join(E2E.dataDir, "audit.key");
  const issued = APP_ENV.ROLEGATE_SANDBOX_CREDENTIALS_RECORD!;
  const known = [...knownSecrets(env, existsSync(keyFile) ? readFileSync(keyFile, "utf8") : undefined), ...(existsSync(issued) ? issuedCredentials(readFileSync(issued, "utf8")) : [])];
  const leaks = secretsInLog(log, known);
  if (leaks.length) throw new Error(`The app's log of this e2e run (${E2E.appLog}) contains ${leaks.join(", ")}`);
  const requests = log.split("\n").filter((l) => l.startsWith("{") && l.includes('"msg":"request"'));
  if (!requests.some((l) => /"requestId":"[^"]+"/.test(l) && /"route":"\//.test(l))) throw new Error(`The app's log (${E2E.appLog}) has no JSON request line with a request id and route`);
  console.log(`App log: ${requests.length} JSON request lines, none of ${known.filter((k) => k.value).length} known secrets nor any token-shaped credential (${E2E.appLog})`);
}
