import { describe, expect, it } from "vitest";
import { canAssume, decodePolicyText, parseTrustPolicy, safeParseTrustPolicy, TrustPolicyError } from "@/lib/trust";
import { PROVIDER, irsa, irsaStmt, policy, pod, podStmt } from "../support/trust-policies";

describe("parseTrustPolicy", () => {
  it("normalises single values and lists alike", () => {
    const single = parseTrustPolicy(JSON.stringify({ Statement: { Effect: "Allow", Principal: { Federated: PROVIDER }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringEquals: { k: "v" } } } }));
    const listed = parseTrustPolicy(JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { Federated: [PROVIDER] }, Action: ["sts:AssumeRoleWithWebIdentity"], Condition: { StringEquals: { k: ["v"] } } }] }));
    expect(single.statements).toEqual(listed.statements);
  });

  it("stringifies numeric and boolean condition values", () => {
    const p = parseTrustPolicy(policy({ ...podStmt(), Condition: { Bool: { "aws:SecureTransport": true }, NumericLessThan: { n: 5 } } }));
    expect(p.statements[0]?.conditions.map((c) => c.values)).toEqual([["true"], ["5"]]);
  });

  it("accepts an already-parsed object", () => {
    expect(parseTrustPolicy({ Statement: podStmt() }).statements).toHaveLength(1);
  });

  it("decodes an IAM URL-encoded document", () => {
    const encoded = encodeURIComponent(policy(irsaStmt()));
    expect(encoded.startsWith("%7B")).toBe(true);
    expect(canAssume(encoded, irsa()).allowed).toBe(true);
  });

  it("decodes a URL-encoded document with spaces, keeping %2B as +", () => {
    const text = JSON.stringify({ Statement: [{ Sid: "a+b", ...podStmt() }] }, null, 2);
    expect(parseTrustPolicy(encodeURIComponent(text)).statements[0]?.sid).toBe("a+b");
  });

  it("decodes form-encoded documents where + means space", () => {
    const text = encodeURIComponent(JSON.stringify({ Statement: podStmt() }, null, 1)).replace(/%20/g, "+");
    expect(parseTrustPolicy(text).statements).toHaveLength(1);
    expect(decodePolicyText(text)).toContain(" ");
  });

  it("tolerates a BOM and surrounding whitespace", () => {
    expect(canAssume(`\uFEFF  ${policy(podStmt())}\n`, pod()).allowed).toBe(true);
  });

  it.each<[string, string | RegExp]>([
    ["", /empty/],
    ["not json", /not valid JSON/],
    ["%7B%ZZ", /invalid %-escapes/],
    ["[]", /JSON object/],
    ["{}", /no Statement element/],
    ['{"Statement": null}', /Statement must be an object or a list/],
    ['{"Statement": []}', /empty/],
    ['{"Statement": "x"}', /Statement/],
    [policy({ ...podStmt(), Effect: "allow" }), /Effect must be "Allow" or "Deny"/],
    [policy({ ...podStmt(), Effect: undefined }), /Effect/],
    [policy({ ...podStmt(), Condition: { StringEqualz: { a: "b" } } }), /unknown condition operator "StringEqualz"/],
    [policy({ ...podStmt(), Condtion: {} }), /unknown statement element "Condtion"/],
    [policy({ ...podStmt(), Principal: { Foo: "x" } }), /unknown principal type "Foo"/],
    [policy({ ...podStmt(), Principal: "someone" }), /Principal/],
    [policy({ ...podStmt(), Principal: {} }), /empty/],
    [policy({ ...podStmt(), Principal: undefined }), /exactly one of Principal or NotPrincipal/],
    [policy({ ...podStmt(), NotPrincipal: "*" }), /exactly one of Principal or NotPrincipal/],
    [policy({ ...podStmt(), Action: undefined }), /exactly one of Action or NotAction/],
    [policy({ ...podStmt(), Action: 5 }), /Action must be a string/],
    [policy({ ...podStmt(), Action: [] }), /Action list must not be empty/],
    [policy({ ...podStmt(), Condition: { StringEquals: { a: [] } } }), /no values/],
    [policy({ ...podStmt(), Condition: { StringEquals: { a: null } } }), /condition values/],
    [policy({ ...podStmt(), Condition: { StringEquals: "x" } }), /condition operator must map keys/],
  ])("rejects %j", (text, msg) => {
    expect(() => parseTrustPolicy(text)).toThrow(TrustPolicyError);
    expect(() => parseTrustPolicy(text)).toThrow(msg);
  });

  it("safeParse returns the error message instead of throwing", () => {
    expect(safeParseTrustPolicy("nope")).toMatchObject({ ok: false, error: expect.stringMatching(/JSON/) });
    expect(safeParseTrustPolicy(policy(podStmt())).ok).toBe(true);
  });

  it("error messages are one line", () => {
    for (const bad of ["{", "not json", '{"Statement":{"Effect":"x"}}']) {
      const r = safeParseTrustPolicy(bad);
      expect(r.ok || !r.error.includes("\n")).toBe(true);
    }
  });
});
