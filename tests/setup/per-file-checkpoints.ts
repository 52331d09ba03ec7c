// Each test file gets its own audit checkpoint file: files reset the database
// between them, and a checkpoint signed by an earlier file would (rightly) make
// the chain of the next one look truncated.
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";

process.env.ROLEGATE_AUDIT_CHECKPOINT_FILE = path.join(os.tmpdir(), `rolegate-test-checkpoints-${process.pid}-${randomUUID()}.jsonl`);
