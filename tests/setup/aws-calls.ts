// Vitest global set-up: every AWS call that RoleGate's code makes to a sandbox
// during the whole run (the sandbox's call log, written to a file by every test
// process: ROLEGATE_SANDBOX_CALL_RECORD) must be allowed by deploy/iam/. Calls a
// test makes itself with its own SDK client (no "rolegate" User-Agent) are not
// RoleGate's and are left out. Fails the run at the end, naming the operations.
//
// The other direction (deploy/iam/ grants an action that no call of the run
// needed) can only be judged when the run ran every test file, each to a pass:
// a partial run, a name filter, a shard or a failed file would miss calls. Then
// it fails too; otherwise it says why it was not judged.
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { actionsFor, actionsNotNeededBy, allowedActions, isAllowed, NO_PERMISSION_NEEDED, root } from "../deploy/iam-policies";

/** Why this run cannot tell which granted actions are never called, or undefined for a full, passing run. */
async function notAFullRun(project: TestProject): Promise<string | undefined> {
  const config = project.vitest.config;
  if (config.testNamePattern) return "a test name filter was given";
  if (config.shard) return "the run is one shard";
  const all = (await project.globTestFiles()).testFiles;
  const modules = project.vitest.state.getTestModules();
  const ran = new Set(modules.map((m) => m.moduleId));
  const missing = all.filter((f) => !ran.has(f)).length;
  if (missing) return `${missing} of ${all.length} test files did not run`;
  const failed = modules.filter((m) => m.state() === "failed").length;
  if (failed) return `${failed} test file(s) failed`;
  return undefined;
}

function fail(message: string) {
  // Vitest reports an error thrown here but still exits 0: set the exit code ourselves.
  console.error(`\nFAILED (deploy/iam): ${message}\n`);
  process.exitCode = 1;
}

export default function setup(project: TestProject) {
  const dir = path.join(root, "tmp", "test-results");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `aws-calls-${process.pid}.jsonl`);
  rmSync(file, { force: true });
  process.env.ROLEGATE_SANDBOX_CALL_RECORD = file;
  return async () => {
    if (!existsSync(file)) return;
    const allowed = allowedActions();
    const calls = readFileSync(file, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as { service: string; operation: string; userAgent: string });
    rmSync(file, { force: true });
    const ours = calls.filter((c) => /\brolegate\b/i.test(c.userAgent) && c.operation !== "Unknown");
    const operations = new Set(ours.map((c) => `${c.service}:${c.operation}`));
    const denied = new Set<string>();
    for (const op of operations) for (const a of actionsFor(op)) if (!isAllowed(a, allowed)) denied.add(a);
    if (denied.size) {
      fail(`RoleGate called AWS operations that deploy/iam/ does not allow: ${[...denied].sort().join(", ")}. Add them to the reader or applier policy (least privilege), or stop calling them.`);
      return;
    }
    console.log(`AWS calls: ${ours.length} calls by RoleGate during the run, ${operations.size} operations, all allowed by deploy/iam/`);
    const uncalled = actionsNotNeededBy(operations, allowed).filter((a) => !NO_PERMISSION_NEEDED.has(a));
    const partial = await notAFullRun(project);
    if (partial) {
      console.log(`AWS calls: granted actions no call needed: not judged (${partial})${uncalled.length ? `; not called in this run: ${uncalled.join(", ")}` : ""}`);
      return;
    }
    if (uncalled.length) {
      fail(`deploy/iam/ grants actions that no AWS call of this full test run needed: ${uncalled.join(", ")}. Remove them from the policies (least privilege), or add a test that makes the call.`);
      return;
    }
    console.log("AWS calls: every action deploy/iam/ grants was needed by a call of this run");
  };
}
