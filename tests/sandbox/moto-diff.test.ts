// Differential test: the same SDK calls against moto (python3 -m moto.server)
// and against the sandbox must give the same results and error codes. Only
// fields that legitimately differ (ids, dates, request ids, messages) are
// normalised away. Skipped, with the reason printed, when moto is missing.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import net from "node:net";
import { CreateClusterCommand, DescribeClusterCommand, ListClustersCommand } from "@aws-sdk/client-eks";
import {
  CreateOpenIDConnectProviderCommand,
  AttachRolePolicyCommand,
  CreateRoleCommand,
  DeleteRoleCommand,
  DetachRolePolicyCommand,
  GetOpenIDConnectProviderCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListOpenIDConnectProvidersCommand,
  ListPoliciesCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  UpdateAssumeRolePolicyCommand,
} from "@aws-sdk/client-iam";
import { AssumeRoleCommand, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningSandbox } from "@/sandbox/server";
import { startSandbox } from "@/sandbox/server";
import { clients } from "../support/aws-world";

const MOTO_ACCOUNT = "123456789012";
const motoCheck = spawnSync("python3", ["-c", "import moto.server"], { encoding: "utf8" });
const motoMissing = motoCheck.status !== 0;
if (motoMissing) {
  console.log(`moto-diff skipped: python3 cannot import moto.server (${(motoCheck.stderr || String(motoCheck.error ?? "")).trim().split("\n").pop()})`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await fetch(url);
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`moto did not start at ${url}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

type Clients = ReturnType<typeof clients>;
type Outcome = { ok: unknown } | { error: string; status?: number };

/** Runs the same call on both backends; errors become {error, status}. */
async function both(call: (c: Clients) => Promise<unknown>, normalise: (v: any) => unknown = (v) => v): Promise<[Outcome, Outcome]> {
  const run = async (c: Clients): Promise<Outcome> => {
    try {
      return { ok: normalise(await call(c)) };
    } catch (e) {
      const err = e as { name: string; $metadata?: { httpStatusCode?: number } };
      return { error: err.name, status: err.$metadata?.httpStatusCode };
    }
  };
  return [await run(moto), await run(sandbox)];
}

let motoProc: ChildProcess | undefined;
let sb: RunningSandbox | undefined;
let moto: Clients;
let sandbox: Clients;

const trust = (extra = "") =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${MOTO_ACCOUNT}:root` }, Action: "sts:AssumeRole" },
      {
        Effect: "Allow",
        Principal: { Federated: `arn:aws:iam::${MOTO_ACCOUNT}:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC` },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: { StringLike: { "oidc.eks.us-east-1.amazonaws.com/id/ABC:sub": `system:serviceaccount:domino-compute:${extra}*` } },
      },
    ],
  });

const roleView = (r: any) => ({
  RoleName: r.Role.RoleName,
  Path: r.Role.Path,
  Arn: r.Role.Arn,
  MaxSessionDuration: r.Role.MaxSessionDuration,
  Description: r.Role.Description,
  Trust: JSON.parse(decodeURIComponent(r.Role.AssumeRolePolicyDocument)),
});

describe.skipIf(motoMissing)("sandbox vs moto", () => {
  beforeAll(async () => {
    const port = await freePort();
    motoProc = spawn("python3", ["-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)], {
      stdio: "ignore",
      // Moto loads AWS's managed-policy catalogue only when asked.
      env: { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: "true" },
    });
    await waitForHttp(`http://127.0.0.1:${port}/moto-api/`, 20_000);
    sb = await startSandbox({
      world: { accounts: { [MOTO_ACCOUNT]: { accountId: MOTO_ACCOUNT, alias: "moto-twin", roles: {}, oidcProviders: {}, regions: {} } } },
      awsPort: 0,
      kubePort: 0,
      log: () => {},
    });
    moto = clients(`http://127.0.0.1:${port}`);
    sandbox = clients(sb.awsEndpoint);
  });
  afterAll(async () => {
    motoProc?.kill("SIGTERM");
    await sb?.close();
  });

  it("IAM roles: create, duplicate, get, missing, list", async () => {
    for (const name of ["diff-a", "diff-b", "diff-c"]) {
      const [m, s] = await both(
        (c) => c.iam.send(new CreateRoleCommand({ RoleName: name, Path: "/diff/", AssumeRolePolicyDocument: trust(name), Description: `role ${name}` })),
        roleView,
      );
      expect(s).toEqual(m);
    }
    const [dm, ds] = await both((c) => c.iam.send(new CreateRoleCommand({ RoleName: "diff-a", AssumeRolePolicyDocument: trust() })));
    expect(ds).toEqual(dm);
    expect(ds).toMatchObject({ error: "EntityAlreadyExistsException", status: 409 });

    const [gm, gs] = await both((c) => c.iam.send(new GetRoleCommand({ RoleName: "diff-b" })), roleView);
    expect(gs).toEqual(gm);
    const [nm, ns] = await both((c) => c.iam.send(new GetRoleCommand({ RoleName: "missing" })));
    expect(ns).toEqual(nm);
    expect(ns).toEqual({ error: "NoSuchEntityException", status: 404 });

    // Moto returns roles in hash order, AWS (and the sandbox) by name: compare as sets.
    const names = (r: any) => ({ names: r.Roles.map((x: any) => x.RoleName).sort(), truncated: r.IsTruncated });
    const [lm, ls] = await both((c) => c.iam.send(new ListRolesCommand({ PathPrefix: "/diff/" })), names);
    expect(ls).toEqual(lm);
    const walk = async (c: Clients) => {
      const pages: number[] = [];
      const seen: string[] = [];
      let marker: string | undefined;
      do {
        const r = await c.iam.send(new ListRolesCommand({ PathPrefix: "/diff/", MaxItems: 2, Marker: marker }));
        pages.push(r.Roles!.length);
        seen.push(...r.Roles!.map((x) => x.RoleName!));
        marker = r.IsTruncated ? r.Marker : undefined;
      } while (marker);
      return { pages, seen: seen.sort() };
    };
    const [pm, ps] = await both(walk);
    expect(ps).toEqual(pm);
    expect(ps).toEqual({ ok: { pages: [2, 1], seen: ["diff-a", "diff-b", "diff-c"] } });
  });

  it("IAM trust policy update round-trips the URL-encoded document; malformed is rejected alike", async () => {
    const doc = trust("a & <b> 'q' ü+%");
    const [um, us] = await both((c) => c.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: "diff-a", PolicyDocument: doc })), () => "ok");
    expect(us).toEqual(um);
    const [gm, gs] = await both((c) => c.iam.send(new GetRoleCommand({ RoleName: "diff-a" })), (r) => decodeURIComponent(r.Role.AssumeRolePolicyDocument));
    expect(gs).toEqual(gm);
    expect(gs).toEqual({ ok: doc });
    const [bm, bs] = await both((c) => c.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: "diff-a", PolicyDocument: "not json" })));
    expect(bs).toEqual(bm);
    expect(bs).toMatchObject({ error: "MalformedPolicyDocumentException" });
  });

  it("IAM inline policies", async () => {
    const doc = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::bucket/a b/*" }] });
    const [pm, ps] = await both((c) => c.iam.send(new PutRolePolicyCommand({ RoleName: "diff-b", PolicyName: "read", PolicyDocument: doc })), () => "ok");
    expect(ps).toEqual(pm);
    const [lm, ls] = await both((c) => c.iam.send(new ListRolePoliciesCommand({ RoleName: "diff-b" })), (r) => [r.PolicyNames, r.IsTruncated]);
    expect(ls).toEqual(lm);
    const view = (r: any) => ({ RoleName: r.RoleName, PolicyName: r.PolicyName, Doc: JSON.parse(decodeURIComponent(r.PolicyDocument)) });
    const [gm, gs] = await both((c) => c.iam.send(new GetRolePolicyCommand({ RoleName: "diff-b", PolicyName: "read" })), view);
    expect(gs).toEqual(gm);
    const [xm, xs] = await both((c) => c.iam.send(new GetRolePolicyCommand({ RoleName: "diff-b", PolicyName: "nope" })));
    expect(xs).toEqual(xm);
    const [rm, rs] = await both((c) => c.iam.send(new ListRolePoliciesCommand({ RoleName: "missing" })));
    expect(rs).toEqual(rm);
  });

  it("IAM managed policies: attach, the 10-policy quota, detach, boundary, delete, the AWS catalogue", async () => {
    const aws = (name: string, path = "/") => `arn:aws:iam::aws:policy${path}${name}`;
    const same = async (call: (c: Clients) => Promise<unknown>, normalise?: (v: any) => unknown) => {
      const [m, s] = await both(call, normalise);
      expect(s).toEqual(m);
      return s;
    };
    const ok = () => "ok";
    await same((c) => c.iam.send(new CreateRoleCommand({ RoleName: "diff-m", AssumeRolePolicyDocument: trust() })), roleView);
    // Moto accepts what AWS refuses (a name outside [\w+=,.@-], a session under an hour, an eleventh managed
    // policy): those calls go to the sandbox only, which answers as AWS does.
    const sandboxOnly = async (call: (c: Clients) => Promise<unknown>) => {
      try {
        await call(sandbox);
        return "ok";
      } catch (e) {
        return { error: (e as Error).name, status: (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode };
      }
    };
    expect(await sandboxOnly((c) => c.iam.send(new CreateRoleCommand({ RoleName: "bad name!", AssumeRolePolicyDocument: trust() })))).toEqual({ error: "ValidationError", status: 400 });
    expect(await sandboxOnly((c) => c.iam.send(new CreateRoleCommand({ RoleName: "diff-short", AssumeRolePolicyDocument: trust(), MaxSessionDuration: 60 })))).toEqual({ error: "ValidationError", status: 400 });
    expect(await same((c) => c.iam.send(new AttachRolePolicyCommand({ RoleName: "diff-m", PolicyArn: aws("NoSuchPolicyAnywhere") })))).toMatchObject({ error: "NoSuchEntityException", status: 404 });
    expect(await same((c) => c.iam.send(new AttachRolePolicyCommand({ RoleName: "missing", PolicyArn: aws("ReadOnlyAccess") })))).toMatchObject({ error: "NoSuchEntityException", status: 404 });
    const ten = ["AmazonS3ReadOnlyAccess", "AmazonSQSReadOnlyAccess", "AmazonSNSReadOnlyAccess", "AmazonDynamoDBReadOnlyAccess", "AmazonEC2ReadOnlyAccess",
      "AmazonKinesisReadOnlyAccess", "CloudWatchReadOnlyAccess", "IAMReadOnlyAccess", "AmazonRDSReadOnlyAccess", "AmazonSSMReadOnlyAccess"];
    for (const name of ten) await same((c) => c.iam.send(new AttachRolePolicyCommand({ RoleName: "diff-m", PolicyArn: aws(name) })), ok);
    // Attaching an attached policy again changes nothing; an eleventh is over the quota.
    await same((c) => c.iam.send(new AttachRolePolicyCommand({ RoleName: "diff-m", PolicyArn: aws(ten[0]!) })), ok);
    expect(await sandboxOnly((c) => c.iam.send(new AttachRolePolicyCommand({ RoleName: "diff-m", PolicyArn: aws("ReadOnlyAccess") })))).toEqual({ error: "LimitExceededException", status: 409 });
    const attached = (r: any) => ({ arns: r.AttachedPolicies.map((p: any) => `${p.PolicyName}=${p.PolicyArn}`).sort(), truncated: r.IsTruncated });
    const list = await same((c) => c.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: "diff-m" })), attached);
    expect((list as { ok: { arns: string[] } }).ok.arns).toHaveLength(10);
    expect(await same((c) => c.iam.send(new DeleteRoleCommand({ RoleName: "diff-m" })))).toMatchObject({ error: "DeleteConflictException", status: 409 });
    expect(await same((c) => c.iam.send(new DetachRolePolicyCommand({ RoleName: "diff-m", PolicyArn: aws("ReadOnlyAccess") })))).toMatchObject({ error: "NoSuchEntityException", status: 404 });
    for (const name of ten) await same((c) => c.iam.send(new DetachRolePolicyCommand({ RoleName: "diff-m", PolicyArn: aws(name) })), ok);
    await same((c) => c.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: "diff-m" })), attached);

    await same((c) => c.iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: "diff-m", PermissionsBoundary: aws("PowerUserAccess") })), ok);
    const boundary = await same((c) => c.iam.send(new GetRoleCommand({ RoleName: "diff-m" })), (r) => r.Role.PermissionsBoundary);
    expect(boundary).toEqual({ ok: { PermissionsBoundaryType: "PermissionsBoundaryPolicy", PermissionsBoundaryArn: aws("PowerUserAccess") } });
    await same((c) => c.iam.send(new DeleteRoleCommand({ RoleName: "diff-m" })), ok);
    await same((c) => c.iam.send(new GetRoleCommand({ RoleName: "diff-m" })));

    // Moto carries AWS's whole catalogue, the sandbox a slice: compare the entries the slice has, and the paging.
    const entry = async (c: Clients, name: string) => {
      let marker: string | undefined;
      do {
        const r = await c.iam.send(new ListPoliciesCommand({ Scope: "AWS", Marker: marker, MaxItems: 1000 }));
        const hit = r.Policies!.find((p) => p.PolicyName === name);
        // Version ids follow AWS's edit history (not kept), and moto never lowers AttachmentCount on detach.
        if (hit) return { Arn: hit.Arn, Path: hit.Path, IsAttachable: hit.IsAttachable };
        marker = r.IsTruncated ? r.Marker : undefined;
      } while (marker);
      return null;
    };
    for (const name of ["AmazonS3ReadOnlyAccess", "AWSLambdaBasicExecutionRole", "ViewOnlyAccess", "AmazonEKS_CNI_Policy"]) {
      expect(await same((c) => entry(c, name))).toMatchObject({ ok: { IsAttachable: true } });
    }
    const page = (r: any) => ({ count: r.Policies.length, truncated: r.IsTruncated, marker: typeof r.Marker });
    expect(await same((c) => c.iam.send(new ListPoliciesCommand({ Scope: "AWS", MaxItems: 5 })), page)).toEqual({ ok: { count: 5, truncated: true, marker: "string" } });
  });

  it("IAM OIDC providers", async () => {
    const input = { Url: "https://oidc.eks.us-east-1.amazonaws.com/id/ABC", ClientIDList: ["sts.amazonaws.com"], ThumbprintList: ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"] };
    const [cm, cs] = await both((c) => c.iam.send(new CreateOpenIDConnectProviderCommand(input)), (r) => r.OpenIDConnectProviderArn);
    expect(cs).toEqual(cm);
    const arn = `arn:aws:iam::${MOTO_ACCOUNT}:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC`;
    expect(cs).toEqual({ ok: arn });
    const [dm, ds] = await both((c) => c.iam.send(new CreateOpenIDConnectProviderCommand(input)));
    expect(ds).toEqual(dm);
    const view = (r: any) => ({ Url: r.Url, ClientIDList: r.ClientIDList, ThumbprintList: r.ThumbprintList, hasDate: r.CreateDate instanceof Date });
    const [gm, gs] = await both((c) => c.iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn })), view);
    expect(gs).toEqual(gm);
    const [lm, ls] = await both((c) => c.iam.send(new ListOpenIDConnectProvidersCommand({})), (r) => r.OpenIDConnectProviderList.map((p: any) => p.Arn));
    expect(ls).toEqual(lm);
    const [nm, ns] = await both((c) => c.iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: `${arn}X` })));
    expect(ns).toEqual(nm);
  });

  it("STS: caller identity shape and AssumeRole of a role trusting the account", async () => {
    const [im, is] = await both((c) => c.sts.send(new GetCallerIdentityCommand({})), (r) => ({ Account: r.Account, arn: typeof r.Arn, user: typeof r.UserId }));
    expect(is).toEqual(im);
    const view = (r: any) => ({
      Arn: r.AssumedRoleUser.Arn,
      keyPrefix: r.Credentials.AccessKeyId.slice(0, 4),
      expires: r.Credentials.Expiration instanceof Date,
      token: typeof r.Credentials.SessionToken,
    });
    const [am, as] = await both((c) => c.sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${MOTO_ACCOUNT}:role/diff/diff-c`, RoleSessionName: "diff" })), view);
    expect(as).toEqual(am);
    expect(as).toMatchObject({ ok: { Arn: `arn:aws:sts::${MOTO_ACCOUNT}:assumed-role/diff-c/diff` } });
  });

  it("EKS: create, describe, list clusters and describe of a missing cluster", async () => {
    const input = {
      name: "diff-cluster",
      version: "1.31",
      roleArn: `arn:aws:iam::${MOTO_ACCOUNT}:role/diff/diff-a`,
      resourcesVpcConfig: { subnetIds: ["subnet-1", "subnet-2"] },
    };
    const view = (r: any) => ({ name: r.cluster.name, arn: r.cluster.arn, roleArn: r.cluster.roleArn, version: r.cluster.version, status: r.cluster.status, hasIssuer: /^https:\/\/oidc\.eks\.us-east-1\.amazonaws\.com\/id\//.test(r.cluster.identity?.oidc?.issuer ?? "") });
    const [cm, cs] = await both((c) => c.eks.send(new CreateClusterCommand(input)), view);
    expect(cs).toEqual(cm);
    const [dupM, dupS] = await both((c) => c.eks.send(new CreateClusterCommand(input)));
    expect(dupS).toEqual(dupM);
    expect(dupS).toMatchObject({ error: "ResourceInUseException" });
    const [dm, ds] = await both((c) => c.eks.send(new DescribeClusterCommand({ name: "diff-cluster" })), view);
    expect(ds).toEqual(dm);
    const [lm, ls] = await both((c) => c.eks.send(new ListClustersCommand({})), (r) => r.clusters);
    expect(ls).toEqual(lm);
    const [nm, ns] = await both((c) => c.eks.send(new DescribeClusterCommand({ name: "missing" })));
    expect(ns).toEqual(nm);
    expect(ns).toMatchObject({ error: "ResourceNotFoundException" });
  });
});
