// Raw policy documents as editable JSON (the generators change statements and
// print them back the way the IAM console shows them).
import { decodePolicyText } from "@/lib/trust";

export type RawStatement = Record<string, unknown>;
export interface RawPolicy {
  Version: string;
  Statement: RawStatement[];
  [k: string]: unknown;
}

/** Parse a policy (JSON or URL-encoded JSON); Statement always becomes a list. */
export function readPolicy(text: string): RawPolicy {
  const doc = JSON.parse(decodePolicyText(text)) as Record<string, unknown>;
  const st = doc.Statement;
  const statements = Array.isArray(st) ? (st as RawStatement[]) : st ? [st as RawStatement] : [];
  return { ...doc, Version: typeof doc.Version === "string" ? doc.Version : "2012-10-17", Statement: statements.map((s) => structuredClone(s)) };
}

export const formatPolicy = (p: RawPolicy | { Version: string; Statement: unknown[] }) => JSON.stringify(p, null, 2);

export const asList = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Single value stays a string, several become a list (console style). */
export const oneOrMany = (values: string[]): string | string[] => (values.length === 1 ? values[0]! : values);
