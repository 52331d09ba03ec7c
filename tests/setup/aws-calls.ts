// Vitest global set-up: every AWS call that RoleGate's code makes to a sandbox
// during the whole run (the sandbox's call log, written to a file by every test
// process: ROLEGATE_SANDBOX_CALL_RECORD) must be allowed by deploy/iam/. Calls a
// test makes itself with its own SDK client (no "rolegate" User-Agent) are not
// RoleGate's and are left out. Fails the run at the end, naming the operations.
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { actionsFor, allowedActions, isAllowed, root } from "../deploy/iam-policies";

export default function setup() {
  const dir = path.join(root, "tmp", "test-results");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `aws-calls-${process.pid}.jsonl`);
  rmSync(file, { force: true });
  process.env.ROLEGATE_SANDBOX_CALL_RECORD = file;
  return () => {
    if (!existsSync(file)) return;
    const allowed = allowedActions();
    const calls = readFileSync(file, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as { service: string; operation: string; userAgent: string });
    const ours = calls.filter((c) => /\brolegate\b/i.test(c.userAgent) && c.operation !== "Unknown");
    const denied = new Set<string>();
    for (const c of ours) for (const a of actionsFor(`${c.service}:${c.operation}`)) if (!isAllowed(a, allowed)) denied.add(a);
    rmSync(file, { force: true });
    if (denied.size) {
      // Vitest reports an error thrown here but still exits 0: set the exit code ourselves.
      console.error(`\nFAILED (deploy/iam): RoleGate called AWS operations that deploy/iam/ does not allow: ${[...denied].sort().join(", ")}. Add them to the reader or applier policy (least privilege), or stop calling them.\n`);
      process.exitCode = 1;
      return;
    }
    console.log(`AWS calls: ${ours.length} calls by RoleGate during the run, ${new Set(ours.map((c) => `${c.service}:${c.operation}`)).size} operations, all allowed by deploy/iam/`);
  };
}
