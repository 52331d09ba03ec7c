// IAM (awsQuery/XML) and STS over the real SDK clients, including the
// multi-account read path: AssumeRole into the second account, then IAM there.
import {
  CreateOpenIDConnectProviderCommand,
  CreateRoleCommand,
  GetOpenIDConnectProviderCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListOpenIDConnectProvidersCommand,
  ListRolePoliciesCommand,
  ListPoliciesCommand,
  ListRolesCommand,
  PutRolePolicyCommand,
  paginateListPolicies,
  UpdateAssumeRolePolicyCommand,
  paginateListRoles,
} from "@aws-sdk/client-iam";
import { AssumeRoleCommand, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { ListClustersCommand } from "@aws-sdk/client-eks";
import { beforeAll, describe, expect, it } from "vitest";
import { LAKE, PROD, clients, failure, testWorld } from "../support/aws-world";
import { useWorld } from "../support/world";

// The hand-built world of tests/support/aws-world.ts, restored before every test.
const w = useWorld({ database: false, sandbox: { world: testWorld() } });
let c: ReturnType<typeof clients>;

beforeAll(() => {
  c = clients(w.sandbox.awsEndpoint);
});

describe("IAM roles", () => {
  it("GetRole returns the trust policy URL-encoded, exactly encodeURIComponent of the JSON", async () => {
    const { Role } = await c.iam.send(new GetRoleCommand({ RoleName: "app-role" }));
    const stored = w.sandbox.ctx.world.accounts[PROD]!.roles["app-role"]!.assumeRolePolicyDocument;
    expect(Role?.AssumeRolePolicyDocument).toBe(encodeURIComponent(stored));
    expect(JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!))).toEqual(JSON.parse(stored));
    expect(Role).toMatchObject({ RoleName: "app-role", Arn: `arn:aws:iam::${PROD}:role/app-role`, Path: "/", MaxSessionDuration: 3600 });
    expect(Role?.CreateDate).toEqual(new Date("2026-01-01T00:00:00Z"));
    const missing = await failure(c.iam.send(new GetRoleCommand({ RoleName: "nope" })));
    expect(missing.name).toBe("NoSuchEntityException");
    expect(missing.$metadata.httpStatusCode).toBe(404);
    expect(missing.message).toBe("The role with name nope cannot be found.");
  });

  it("UpdateAssumeRolePolicy round-trips documents with characters that need encoding", async () => {
    const doc = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{
        Effect: "Allow",
        Principal: { Federated: `arn:aws:iam::${PROD}:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/C10000` },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: { StringLike: { "oidc.eks.us-east-1.amazonaws.com/id/C10000:sub": "system:serviceaccount:ns:a* & <b> 'c' \"d\" ü+%20" } },
      }],
    }, null, 2);
    await c.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: "app-role", PolicyDocument: doc }));
    const { Role } = await c.iam.send(new GetRoleCommand({ RoleName: "app-role" }));
    expect(decodeURIComponent(Role!.AssumeRolePolicyDocument!)).toBe(doc);
    const listed = (await c.iam.send(new ListRolesCommand({}))).Roles!.find((r) => r.RoleName === "app-role");
    expect(decodeURIComponent(listed!.AssumeRolePolicyDocument!)).toBe(doc);

    expect((await failure(c.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: "app-role", PolicyDocument: "not json" })))).name).toBe(
      "MalformedPolicyDocumentException",
    );
    const big = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole", Sid: "x".repeat(2100) }] });
    const limit = await failure(c.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: "app-role", PolicyDocument: big })));
    expect(limit.name).toBe("LimitExceededException");
    expect((await failure(c.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: "nope", PolicyDocument: doc })))).name).toBe(
      "NoSuchEntityException",
    );
  });

  it("ListRoles pages with Marker/MaxItems and filters by PathPrefix", async () => {
    const first = await c.iam.send(new ListRolesCommand({ MaxItems: 2 }));
    expect(first.Roles?.map((r) => r.RoleName)).toEqual(["app-role", "cluster-role"]);
    expect(first.IsTruncated).toBe(true);
    const names: string[] = [];
    for await (const page of paginateListRoles({ client: c.iam, pageSize: 2 }, {})) names.push(...page.Roles!.map((r) => r.RoleName!));
    expect(names).toEqual(["app-role", "cluster-role", "ebs-csi", "node-role", "other-role"]);
    const last = await c.iam.send(new ListRolesCommand({ MaxItems: 2, Marker: first.Marker }));
    expect(last.Roles?.map((r) => r.RoleName)).toEqual(["ebs-csi", "node-role"]);
    const all = await c.iam.send(new ListRolesCommand({}));
    expect(all.IsTruncated).toBe(false);
    expect(all.Marker).toBeUndefined();
    expect((await failure(c.iam.send(new ListRolesCommand({ MaxItems: 0 })))).name).toBe("ValidationError");
  });

  it("inline and attached policies", async () => {
    const doc = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }] });
    await c.iam.send(new PutRolePolicyCommand({ RoleName: "app-role", PolicyName: "read", PolicyDocument: doc }));
    expect((await c.iam.send(new ListRolePoliciesCommand({ RoleName: "app-role" }))).PolicyNames).toEqual(["read"]);
    const got = await c.iam.send(new GetRolePolicyCommand({ RoleName: "app-role", PolicyName: "read" }));
    expect(got.PolicyDocument).toBe(encodeURIComponent(doc));
    expect(got.RoleName).toBe("app-role");
    expect((await failure(c.iam.send(new GetRolePolicyCommand({ RoleName: "app-role", PolicyName: "x" })))).name).toBe("NoSuchEntityException");
    expect((await failure(c.iam.send(new PutRolePolicyCommand({ RoleName: "app-role", PolicyName: "bad", PolicyDocument: "{" })))).name).toBe(
      "MalformedPolicyDocumentException",
    );
    w.sandbox.ctx.world.accounts[PROD]!.roles["app-role"]!.attachedPolicies.push({ policyName: "ReadOnlyAccess", policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" });
    const attached = await c.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: "app-role" }));
    expect(attached.AttachedPolicies).toEqual([{ PolicyName: "ReadOnlyAccess", PolicyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }]);
  });

  it("ListPolicies pages AWS's managed catalogue; CreateRole sets a boundary only from an attachable policy", async () => {
    const names: string[] = [];
    let pages = 0;
    for await (const page of paginateListPolicies({ client: c.iam, pageSize: 7 }, { Scope: "AWS" })) {
      pages++;
      expect(page.Policies!.length).toBeLessThanOrEqual(7);
      names.push(...page.Policies!.map((p) => p.PolicyName!));
    }
    expect(names.length).toBeGreaterThanOrEqual(40);
    expect(pages).toBe(Math.ceil(names.length / 7));
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual([...names].sort());
    expect(names).toContain("AmazonS3ReadOnlyAccess");
    const jobs = await c.iam.send(new ListPoliciesCommand({ Scope: "AWS", PathPrefix: "/job-function/" }));
    expect(jobs.Policies!.map((p) => p.Arn)).toContain("arn:aws:iam::aws:policy/job-function/ViewOnlyAccess");
    expect((await failure(c.iam.send(new ListPoliciesCommand({ Scope: "Everything" as never })))).name).toBe("ValidationError");

    const doc = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "pods.eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] }] });
    const boundary = "arn:aws:iam::aws:policy/PowerUserAccess";
    const { Role } = await c.iam.send(new CreateRoleCommand({ RoleName: "bounded", AssumeRolePolicyDocument: doc, PermissionsBoundary: boundary }));
    expect(Role?.PermissionsBoundary).toEqual({ PermissionsBoundaryType: "PermissionsBoundaryPolicy", PermissionsBoundaryArn: boundary });
    const missing = await failure(c.iam.send(new CreateRoleCommand({ RoleName: "unbounded", AssumeRolePolicyDocument: doc, PermissionsBoundary: "arn:aws:iam::aws:policy/NoSuchBoundary" })));
    expect(missing.name).toBe("NoSuchEntityException");
    expect(w.sandbox.ctx.world.accounts[PROD]!.roles["unbounded"]).toBeUndefined();
  });

  it("CreateRole and OIDC providers", async () => {
    const created = await c.iam.send(new CreateRoleCommand({ RoleName: "new-role", Path: "/team/", AssumeRolePolicyDocument: w.sandbox.ctx.world.accounts[PROD]!.roles["app-role"]!.assumeRolePolicyDocument, Tags: [{ Key: "k", Value: "v" }] }));
    expect(created.Role?.Arn).toBe(`arn:aws:iam::${PROD}:role/team/new-role`);
    expect(created.Role?.RoleId).toMatch(/^AROA[A-Z0-9]{17}$/);
    expect((await failure(c.iam.send(new CreateRoleCommand({ RoleName: "new-role", AssumeRolePolicyDocument: "{}" })))).name).toBe("EntityAlreadyExistsException");

    const providers = await c.iam.send(new ListOpenIDConnectProvidersCommand({}));
    expect(providers.OpenIDConnectProviderList).toHaveLength(1);
    const arn = providers.OpenIDConnectProviderList![0]!.Arn!;
    const p = await c.iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
    expect(p.Url).toBe("oidc.eks.us-east-1.amazonaws.com/id/C10000");
    expect(p.ClientIDList).toEqual(["sts.amazonaws.com"]);
    expect(p.ThumbprintList).toEqual(["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"]);
    expect(p.CreateDate).toEqual(new Date("2026-01-01T00:00:00Z"));
    const made = await c.iam.send(new CreateOpenIDConnectProviderCommand({ Url: "https://oidc.eks.us-east-1.amazonaws.com/id/NEW", ClientIDList: ["sts.amazonaws.com"], ThumbprintList: ["a".repeat(40)] }));
    expect(made.OpenIDConnectProviderArn).toBe(`arn:aws:iam::${PROD}:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/NEW`);
    expect((await failure(c.iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: `${arn}X` })))).name).toBe("NoSuchEntityException");
  });
});

describe("STS and accounts", () => {
  it("default credentials act as sandbox-admin in the first account", async () => {
    const id = await c.sts.send(new GetCallerIdentityCommand({}));
    expect(id).toMatchObject({ Account: PROD, Arn: `arn:aws:iam::${PROD}:user/sandbox-admin` });
    expect(id.UserId).toMatch(/^AIDA/);
    const other = clients(w.sandbox.awsEndpoint, { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "x" });
    expect((await other.sts.send(new GetCallerIdentityCommand({}))).Account).toBe(PROD);
    const byId = clients(w.sandbox.awsEndpoint, { accessKeyId: LAKE, secretAccessKey: "x" });
    expect((await byId.sts.send(new GetCallerIdentityCommand({}))).Account).toBe(LAKE);
  });

  it("AssumeRole into the second account, then reads that account's roles", async () => {
    const roleArn = `arn:aws:iam::${LAKE}:role/rolegate-reader`;
    const r = await c.sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "rolegate", DurationSeconds: 900 }));
    expect(r.Credentials?.AccessKeyId).toMatch(/^ASIA/);
    expect(r.Credentials?.Expiration).toBeInstanceOf(Date);
    expect(r.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${LAKE}:assumed-role/rolegate-reader/rolegate`);
    const lake = clients(w.sandbox.awsEndpoint, {
      accessKeyId: r.Credentials!.AccessKeyId!,
      secretAccessKey: r.Credentials!.SecretAccessKey!,
      sessionToken: r.Credentials!.SessionToken!,
    });
    const me = await lake.sts.send(new GetCallerIdentityCommand({}));
    expect(me).toMatchObject({ Account: LAKE, Arn: `arn:aws:sts::${LAKE}:assumed-role/rolegate-reader/rolegate` });
    const roles = await lake.iam.send(new ListRolesCommand({}));
    expect(roles.Roles?.map((x) => x.RoleName)).toEqual(["lake-data", "lake-target", "locked", "rolegate-reader"]);
    expect(roles.Roles?.find((x) => x.RoleName === "lake-data")?.Arn).toBe(`arn:aws:iam::${LAKE}:role/data/lake-data`);
    expect((await lake.eks.send(new ListClustersCommand({}))).clusters).toEqual([]);
    const pathed = await lake.iam.send(new ListRolesCommand({ PathPrefix: "/data/" }));
    expect(pathed.Roles?.map((x) => x.RoleName)).toEqual(["lake-data"]);
  });

  it("GetRole reports RoleLastUsed as IAM does: empty when never used, the date and region of the last successful AssumeRole; ListRoles omits it", async () => {
    const get = async () => (await c.iam.send(new GetRoleCommand({ RoleName: "app-role" }))).Role!;
    expect((await get()).RoleLastUsed).toEqual({});
    expect((await c.iam.send(new ListRolesCommand({}))).Roles?.every((r) => r.RoleLastUsed === undefined)).toBe(true);
    // A refused assumption is no use of the role.
    await failure(c.sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${LAKE}:role/locked`, RoleSessionName: "s1" })));
    const lake = w.sandbox.ctx.world.accounts[LAKE]!.roles;
    expect(lake["locked"]!.lastUsed).toBeUndefined();
    const before = Date.now();
    await c.sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${LAKE}:role/rolegate-reader`, RoleSessionName: "s1" }));
    expect(lake["rolegate-reader"]!.lastUsed).toMatchObject({ region: "us-east-1" });
    expect(new Date(lake["rolegate-reader"]!.lastUsed!.date).getTime()).toBeGreaterThanOrEqual(before - 1000);
    // GetRole answers it with second precision, as IAM does.
    w.sandbox.ctx.world.accounts[PROD]!.roles["app-role"]!.lastUsed = { date: "2026-03-04T05:06:07.890Z", region: "eu-west-1" };
    expect((await get()).RoleLastUsed).toEqual({ LastUsedDate: new Date("2026-03-04T05:06:07Z"), Region: "eu-west-1" });
  });

  it("AssumeRole denies missing roles and roles whose trust policy does not name the caller", async () => {
    for (const roleArn of [`arn:aws:iam::${LAKE}:role/nope`, `arn:aws:iam::${LAKE}:role/locked`]) {
      const err = await failure(c.sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "s1" })));
      expect(err.name).toBe("AccessDenied");
      expect(err.$metadata.httpStatusCode).toBe(403);
      expect(err.message).toContain(`not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
    }
    expect((await failure(c.sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${LAKE}:role/rolegate-reader`, RoleSessionName: "s1", DurationSeconds: 7200 })))).name).toBe(
      "ValidationError",
    );
  });
});
