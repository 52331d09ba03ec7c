// The scanner's own SigV4 for a bodiless GET (lib/aws/sigv4-get.ts) signs exactly
// as @smithy/signature-v4 does: AWS's published "get-vanilla" vector, and random
// paths, hosts, dates, regions and credentials with and without a session token.
import { Sha256Node } from "@smithy/core/checksum";
import { SignatureV4 } from "@smithy/signature-v4";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GetSigner, canonicalPath } from "@/lib/aws/sigv4-get";

interface Case {
  host: string;
  port?: number;
  path: string;
  date: Date;
  region: string;
  service: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

async function librarySigned(c: Case) {
  const signer = new SignatureV4({ credentials: c.credentials, region: c.region, service: c.service, sha256: Sha256Node, uriEscapePath: true, applyChecksum: false });
  const host = c.port ? `${c.host}:${c.port}` : c.host;
  const signed = await signer.sign({ method: "GET", protocol: "https:", hostname: c.host, ...(c.port ? { port: c.port } : {}), path: c.path, query: {}, headers: { host } }, { signingDate: c.date });
  return { authorization: signed.headers.authorization, "x-amz-date": signed.headers["x-amz-date"], "x-amz-security-token": signed.headers["x-amz-security-token"] };
}

function ours(c: Case) {
  const signed = new GetSigner(c.region, c.service).sign(c.credentials, c.port ? `${c.host}:${c.port}` : c.host, c.path, c.date);
  return { authorization: signed.authorization, "x-amz-date": signed["x-amz-date"], "x-amz-security-token": signed["x-amz-security-token"] };
}

describe("SigV4 for a bodiless GET", () => {
  it("gives AWS's get-vanilla signature", async () => {
    const c: Case = {
      host: "example.amazonaws.com",
      path: "/",
      date: new Date("2015-08-30T12:36:00Z"),
      region: "us-east-1",
      service: "service",
      credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" },
    };
    const expected =
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";
    expect(ours(c).authorization).toBe(expected);
    expect((await librarySigned(c)).authorization).toBe(expected);
  });

  it("signs every path, host, date and identity as @smithy/signature-v4 does", async () => {
    const segment = fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/), fc.string({ maxLength: 12 }), fc.constantFrom(".", "..", "a b", "é/ü", "!'()*", "%2F"));
    const arbitraryCase = fc.record({
      host: fc.constantFrom("eks.us-east-1.amazonaws.com", "eks-fips.us-gov-west-1.amazonaws.com", "127.0.0.1", "localhost"),
      port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
      // Callers encode each segment (eks.ts), and the library is given the same encoded path.
      path: fc.tuple(fc.array(segment, { maxLength: 5 }), fc.boolean()).map(([segs, slash]) => `/${segs.map(encodeURIComponent).join("/")}${slash ? "/" : ""}`),
      date: fc.date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2099-12-31T23:59:59Z"), noInvalidDate: true }),
      region: fc.constantFrom("us-east-1", "eu-west-1", "ap-southeast-2", "us-gov-west-1"),
      service: fc.constantFrom("eks", "iam", "sts"),
      credentials: fc.record(
        { accessKeyId: fc.stringMatching(/^[A-Z0-9]{16,20}$/), secretAccessKey: fc.string({ minLength: 1, maxLength: 40 }), sessionToken: fc.oneof(fc.string({ minLength: 1, maxLength: 60 }), fc.string({ unit: fc.constantFrom("a", " ", "\t", "\r", "\n", "\u00a0", "\v"), minLength: 1, maxLength: 8 })) },
        { requiredKeys: ["accessKeyId", "secretAccessKey"] },
      ),
    });
    await fc.assert(
      fc.asyncProperty(arbitraryCase, async (c) => {
        expect(ours(c)).toEqual(await librarySigned(c));
      }),
      { numRuns: 400 },
    );
  });

  it("keeps the day's key: a second call the same day, or with a new object for the same keys, signs the same", () => {
    const signer = new GetSigner("us-east-1", "eks");
    const at = new Date("2026-12-02T00:30:00Z");
    const a = signer.sign({ accessKeyId: "AKIA0000000000000000", secretAccessKey: "s1" }, "h", "/p", at);
    expect(signer.sign({ accessKeyId: "AKIA0000000000000000", secretAccessKey: "s1" }, "h", "/p", at)).toEqual(a);
    // Another secret with the same key id is another identity, and the next day another key.
    expect(signer.sign({ accessKeyId: "AKIA0000000000000000", secretAccessKey: "s2" }, "h", "/p", at).authorization).not.toBe(a.authorization);
    expect(signer.sign({ accessKeyId: "AKIA0000000000000000", secretAccessKey: "s1" }, "h", "/p", new Date("2026-12-03T00:30:00Z")).authorization).toMatch(/20261203\/us-east-1\/eks/);
  });

  it("normalizes and double-encodes the path as the library does for every service but S3", () => {
    expect(canonicalPath("/clusters/c1/pod-identity-associations/a-1")).toBe("/clusters/c1/pod-identity-associations/a-1");
    expect(canonicalPath("/a/./b/../c/")).toBe("/a/c/");
    expect(canonicalPath("/a%20b")).toBe("/a%2520b");
    expect(canonicalPath("/")).toBe("/");
  });
});
