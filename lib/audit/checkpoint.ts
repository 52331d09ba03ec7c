// Signed checkpoints of the audit chain's head: {lastId, hash, count, at},
// HMAC-signed with the audit key and kept OUTSIDE the database (a file of JSON
// lines, and the webhook). The chain alone cannot show rows cut from its end;
// a checkpoint can: its head row must still be there with the same hash, and
// the same number of rows up to it. A checkpoint cannot be forged without the key.
import { createHmac, timingSafeEqual } from "node:crypto";
import { canonicalJson } from "./chain";
import type { AuditKey } from "./key";

export interface CheckpointHead {
  /** The last row's id, null for an empty trail. */
  lastId: string | null;
  /** That row's hash (the genesis hash for an empty trail). */
  hash: string;
  /** Rows up to and including lastId (unchained rows from before the chain too). */
  count: number;
  /** When it was taken (ISO 8601). */
  at: string;
}

export interface AuditCheckpoint extends CheckpointHead {
  v: 1;
  /** Fingerprint of the key that signed it (lib/audit/key.ts). */
  keyId: string;
  /** Hex HMAC-SHA256 with the key's checkpoint subkey over the other fields. */
  sig: string;
}

function signature(cp: Omit<AuditCheckpoint, "sig">, key: AuditKey): string {
  const { v, keyId, lastId, hash, count, at } = cp;
  return createHmac("sha256", key.checkpoint).update(canonicalJson({ v, keyId, lastId, hash, count, at }), "utf8").digest("hex");
}

export function signCheckpoint(head: CheckpointHead, key: AuditKey): AuditCheckpoint {
  const unsigned = { v: 1 as const, keyId: key.id, lastId: head.lastId, hash: head.hash, count: head.count, at: head.at };
  return { ...unsigned, sig: signature(unsigned, key) };
}

/** Null when the signature is this key's; otherwise why not. */
export function checkpointSignatureProblem(cp: AuditCheckpoint, key: AuditKey): string | null {
  if (cp.keyId !== key.id) return `it names key ${cp.keyId}, but the audit key is ${key.id}: signed with another key, or forged`;
  const expected = Buffer.from(signature(cp, key), "hex");
  const given = Buffer.from(cp.sig, "hex");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return "its signature does not match its content: the checkpoint was forged or edited";
  return null;
}

export class CheckpointFileError extends Error {
  override name = "CheckpointFileError";
  constructor(
    message: string,
    /** The offending line (0: the file as a whole). */
    readonly line = 0,
  ) {
    super(message);
  }
}

const HEX64 = /^[0-9a-f]{64}$/;

function asCheckpoint(value: unknown): AuditCheckpoint | null {
  if (typeof value !== "object" || value === null) return null;
  const c = value as Record<string, unknown>;
  const ok =
    c.v === 1 &&
    typeof c.keyId === "string" &&
    (c.lastId === null || (typeof c.lastId === "string" && /^\d+$/.test(c.lastId))) &&
    typeof c.hash === "string" &&
    HEX64.test(c.hash) &&
    Number.isSafeInteger(c.count) &&
    (c.count as number) >= 0 &&
    typeof c.at === "string" &&
    !Number.isNaN(Date.parse(c.at)) &&
    typeof c.sig === "string" &&
    HEX64.test(c.sig);
  return ok ? (c as unknown as AuditCheckpoint) : null;
}

export interface ParsedCheckpoint {
  /** 1-based line in the file. */
  line: number;
  checkpoint: AuditCheckpoint;
}

/** One checkpoint per non-empty line; a line that is not one is an error naming the line. */
export function parseCheckpoints(text: string, source: string): ParsedCheckpoint[] {
  const out: ParsedCheckpoint[] = [];
  text.split("\n").forEach((raw, i) => {
    if (raw.trim() === "") return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw new CheckpointFileError(`${source} line ${i + 1} is not JSON`, i + 1);
    }
    const checkpoint = asCheckpoint(json);
    if (!checkpoint) throw new CheckpointFileError(`${source} line ${i + 1} is not an audit checkpoint ({v:1,keyId,lastId,hash,count,at,sig})`, i + 1);
    out.push({ line: i + 1, checkpoint });
  });
  if (!out.length) throw new CheckpointFileError(`${source} holds no checkpoints`);
  return out;
}
