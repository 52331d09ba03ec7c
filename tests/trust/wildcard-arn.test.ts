import { describe, expect, it } from "vitest";
import { arnMatches, matchWildcard, normalizeIssuer, parseClusterArn, parseOidcProviderArn } from "@/lib/trust";

describe("wildcards", () => {
  it.each<[string, string, boolean, boolean?]>([
    ["*", "", true],
    ["a*", "a", true],
    ["*b", "ab", true],
    ["a*b*c", "aXXbYYc", true],
    ["a*b*c", "aXXbYY", false],
    ["??", "ab", true],
    ["??", "a", false],
    ["a**b", "ab", true],
    ["sts:assume*", "STS:AssumeRole", true, true],
    ["sts:assume*", "STS:AssumeRole", false, false],
  ])("%s vs %s -> %s", (p, v, expected, ignoreCase) => {
    expect(matchWildcard(p, v, { ignoreCase: ignoreCase ?? false })).toBe(expected);
  });

  it("stays fast on adversarial patterns", () => {
    const start = performance.now();
    expect(matchWildcard("*a*a*a*a*a*a*a*a*b", "a".repeat(5000))).toBe(false);
    expect(performance.now() - start).toBeLessThan(500);
  });
});

describe("ARNs and issuers", () => {
  it("matches ARN segments separately; the resource may contain colons", () => {
    expect(arnMatches("arn:aws:logs:*:*:log-group:x:*", "arn:aws:logs:us-east-1:1:log-group:x:log-stream:y")).toBe(true);
    expect(arnMatches("arn:aws:iam::*:role/*", "arn:aws:iam::111122223333:role/a/b")).toBe(true);
    expect(arnMatches("*", "anything")).toBe(true);
  });

  it("parses cluster and OIDC provider ARNs", () => {
    expect(parseClusterArn("arn:aws-cn:eks:cn-north-1:111122223333:cluster/my_cluster-1")).toMatchObject({ account: "111122223333", name: "my_cluster-1", partition: "aws-cn" });
    expect(parseClusterArn("arn:aws:eks:us-east-1:111122223333:nodegroup/x")).toBeNull();
    expect(parseOidcProviderArn("arn:aws:iam::111122223333:oidc-provider/OIDC.eks.x.amazonaws.com/id/AB")).toEqual({ account: "111122223333", path: "oidc.eks.x.amazonaws.com/id/AB" });
    expect(parseOidcProviderArn("arn:aws:iam::111122223333:saml-provider/x")).toBeNull();
  });

  it.each([
    ["https://oidc.eks.us-east-1.amazonaws.com/id/ABC", "oidc.eks.us-east-1.amazonaws.com/id/ABC"],
    ["HTTPS://OIDC.eks.us-east-1.amazonaws.com/id/ABC/", "oidc.eks.us-east-1.amazonaws.com/id/ABC"],
    ["oidc.eks.us-east-1.amazonaws.com/id/ABC", "oidc.eks.us-east-1.amazonaws.com/id/ABC"],
  ])("normalises issuer %s", (input, expected) => {
    expect(normalizeIssuer(input)).toBe(expected);
  });
});
