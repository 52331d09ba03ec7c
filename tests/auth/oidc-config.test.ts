import { describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config/load";
import { roleForGroups, groupsFromClaims } from "@/lib/auth/role-mapping";

// SSO without targets must name its mode (issue 10, hole 3): these tests run it in sandbox mode, as the e2e suite does.
const SSO = {
  ROLEGATE_MODE: "sandbox",
  ROLEGATE_OIDC_ISSUER: "https://idp.example.com/oauth2/default",
  ROLEGATE_OIDC_CLIENT_ID: "rolegate",
  ROLEGATE_OIDC_CLIENT_SECRET: "s3cret",
  ROLEGATE_ROLE_MAP: "iam-team=approver,domino-admins=requester,security=auditor,rolegate-admins=admin",
  ROLEGATE_PUBLIC_URL: "https://rolegate.example.com/",
};

describe("single sign-on configuration", () => {
  it("is off without settings, and on in either mode with them", () => {
    expect(loadConfig({}).oidc).toBeUndefined();
    const c = loadConfig(SSO);
    expect(c.oidc).toMatchObject({ clientId: "rolegate", groupsClaim: "groups", redirectUri: "https://rolegate.example.com/api/auth/oidc/callback" });
    expect(c.oidc!.roleMap).toHaveLength(4);
    expect(loadConfig({ ...SSO, ROLEGATE_AUDIT_KEY: "k".repeat(32), ROLEGATE_MODE: "aws", ROLEGATE_TARGETS: "111122223333/us-east-1/*" }).oidc?.issuer).toBe(SSO.ROLEGATE_OIDC_ISSUER);
  });

  it.each([
    [{ ROLEGATE_OIDC_ISSUER: undefined }, "ROLEGATE_OIDC_ISSUER"],
    [{ ROLEGATE_OIDC_ISSUER: "http://idp.example.com" }, "ROLEGATE_OIDC_ISSUER"],
    [{ ROLEGATE_OIDC_CLIENT_ID: "" }, "ROLEGATE_OIDC_CLIENT_ID"],
    [{ ROLEGATE_OIDC_CLIENT_SECRET: undefined }, "ROLEGATE_OIDC_CLIENT_SECRET"],
    [{ ROLEGATE_PUBLIC_URL: undefined }, "ROLEGATE_PUBLIC_URL"],
    [{ ROLEGATE_PUBLIC_URL: "ftp://x" }, "ROLEGATE_PUBLIC_URL"],
    [{ ROLEGATE_ROLE_MAP: undefined }, "ROLEGATE_ROLE_MAP"],
    [{ ROLEGATE_ROLE_MAP: "iam-team=superuser" }, "ROLEGATE_ROLE_MAP"],
    [{ ROLEGATE_ROLE_MAP: "a=admin,a=auditor" }, "ROLEGATE_ROLE_MAP"],
    [{ ROLEGATE_OIDC_GROUPS_CLAIM: "bad claim" }, "ROLEGATE_OIDC_GROUPS_CLAIM"],
  ])("refuses %o naming %s", (patch, setting) => {
    expect(() => loadConfig({ ...SSO, ...patch })).toThrow(`Configuration error in ${setting}`);
  });

  it("accepts plain http only for a provider and app on localhost", () => {
    const c = loadConfig({ ...SSO, ROLEGATE_OIDC_ISSUER: "http://127.0.0.1:9000", ROLEGATE_PUBLIC_URL: "http://localhost:3000" });
    expect(c.oidc?.redirectUri).toBe("http://localhost:3000/api/auth/oidc/callback");
  });
});

describe("roles from groups", () => {
  const map = loadConfig(SSO).oidc!.roleMap;
  it("maps each group, the highest role winning, and no mapped group to no role", () => {
    expect(roleForGroups(["iam-team"], map)).toBe("approver");
    expect(roleForGroups(["domino-admins", "everyone"], map)).toBe("requester");
    expect(roleForGroups(["security", "domino-admins"], map)).toBe("requester");
    expect(roleForGroups(["security", "iam-team", "rolegate-admins"], map)).toBe("admin");
    expect(roleForGroups(["security"], map)).toBe("auditor");
    expect(roleForGroups(["everyone"], map)).toBeNull();
    expect(roleForGroups([], map)).toBeNull();
  });
  it("reads the groups claim as an array or a single string, ignoring other types", () => {
    expect(groupsFromClaims({ groups: ["a", 1, "b"] }, "groups")).toEqual(["a", "b"]);
    expect(groupsFromClaims({ roles: "a" }, "roles")).toEqual(["a"]);
    expect(groupsFromClaims({}, "groups")).toEqual([]);
  });
});
