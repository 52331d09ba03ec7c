// After the whole browser run: the app's log (stdout and stderr, tee'd to
// E2E.appLog by the webServer command) holds JSON request lines and none of the
// secrets the run used: the OIDC client secret, API tokens (rg_...), session
// cookies, OAuth authorization codes.
import { existsSync, readFileSync } from "node:fs";
import { E2E, OIDC_SECRET } from "../playwright.config";

export default function checkLogForSecrets(): void {
  if (!existsSync(E2E.appLog)) throw new Error(`${E2E.appLog} is missing: the app's log was not captured`);
  const log = readFileSync(E2E.appLog, "utf8");
  const leaks = [
    log.includes(OIDC_SECRET) && "the OIDC client secret",
    /rg_[A-Za-z0-9_-]{40,}/.test(log) && "an API token (rg_...)",
    /rolegate_session=/.test(log) && "a session cookie",
    /[?&]code=[^&\s"]{8,}/.test(log) && "an OAuth authorization code",
  ].filter(Boolean);
  if (leaks.length) throw new Error(`The app's log of this e2e run (${E2E.appLog}) contains ${leaks.join(", ")}`);
  const requests = log.split("\n").filter((l) => l.startsWith("{") && l.includes('"msg":"request"'));
  if (!requests.some((l) => /"requestId":"[^"]+"/.test(l) && /"route":"\//.test(l))) throw new Error(`The app's log (${E2E.appLog}) has no JSON request line with a request id and route`);
  console.log(`App log: ${requests.length} JSON request lines, no secret (${E2E.appLog})`);
}
