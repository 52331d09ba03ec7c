// IAM OpenID Connect providers (the IRSA side: one per cluster issuer).
// IAM keeps the URL without its scheme; that is what Get returns as Url.
import type { SandboxAccount, SandboxOidcProvider } from "../model";
import type { SandboxContext } from "../context";
import { AwsError } from "./errors";
import { isoSeconds, listParam, required, tagsParam, type Params, type XmlValue } from "./query-protocol";

type Op = (ctx: SandboxContext, account: SandboxAccount, params: Params) => Record<string, XmlValue> | undefined;

function providerOrThrow(account: SandboxAccount, arn: string): SandboxOidcProvider {
  const p = account.oidcProviders[arn];
  if (!p) throw new AwsError("NoSuchEntity", `OpenIDConnect Provider not found for arn ${arn}`, 404);
  return p;
}

export const oidcOperations: Record<string, Op> = {
  ListOpenIDConnectProviders(_ctx, account) {
    return { OpenIDConnectProviderList: Object.keys(account.oidcProviders).sort().map((Arn) => ({ Arn })) };
  },

  GetOpenIDConnectProvider(_ctx, account, params) {
    const p = providerOrThrow(account, required(params, "OpenIDConnectProviderArn"));
    return {
      Url: p.url,
      ClientIDList: p.clientIdList,
      ThumbprintList: p.thumbprintList,
      CreateDate: isoSeconds(p.createDate),
      Tags: p.tags.length > 0 ? p.tags.map((t) => ({ Key: t.Key, Value: t.Value })) : undefined,
    };
  },

  CreateOpenIDConnectProvider(ctx, account, params) {
    const rawUrl = required(params, "Url");
    if (!/^https:\/\/[^\s/]+/.test(rawUrl)) {
      throw new AwsError("ValidationError", "Invalid Open ID Connect Provider URL", 400);
    }
    const url = rawUrl.replace(/^https:\/\//, "").replace(/\/$/, "");
    const arn = `arn:aws:iam::${account.accountId}:oidc-provider/${url}`;
    if (account.oidcProviders[arn]) {
      throw new AwsError("EntityAlreadyExists", `Provider with url ${rawUrl} already exists.`, 409);
    }
    const thumbprints = listParam(params, "ThumbprintList");
    if (thumbprints.some((t) => !/^[0-9a-fA-F]{40}$/.test(t))) {
      throw new AwsError("ValidationError", "Thumbprint must be 40 hexadecimal characters.", 400);
    }
    account.oidcProviders[arn] = {
      arn,
      url,
      clientIdList: listParam(params, "ClientIDList"),
      thumbprintList: thumbprints,
      createDate: ctx.now().toISOString(),
      tags: tagsParam(params),
    };
    ctx.changed();
    return { OpenIDConnectProviderArn: arn, Tags: account.oidcProviders[arn]!.tags.length ? account.oidcProviders[arn]!.tags : undefined };
  },

  DeleteOpenIDConnectProvider(ctx, account, params) {
    const p = providerOrThrow(account, required(params, "OpenIDConnectProviderArn"));
    delete account.oidcProviders[p.arn];
    ctx.changed();
    return undefined;
  },
};
