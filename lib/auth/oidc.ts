import "server-only";
// OpenID Connect authorization-code flow with PKCE, state and nonce (openid-client).
// The per-attempt secrets travel in a short-lived HTTP-only cookie; the callback
// checks them, reads the groups, and hands over to completeOidcSignIn.
import * as oidc from "openid-client";
import type { OidcConfig } from "@/lib/config/oidc";
import { runtime } from "@/lib/runtime";
import { groupsFromClaims } from "./role-mapping";

export const OIDC_FLOW_COOKIE = "rolegate_oidc_flow";
export const OIDC_FLOW_MAX_AGE_S = 600;

// The discovery, kept by the process's runtime (lib/runtime.ts) so every bundle shares it.
type Cache = { current?: { issuer: string; promise: Promise<oidc.Configuration> } };

function isLoopbackHttp(url: string): boolean {
  const u = new URL(url);
  return u.protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(u.hostname);
}

/** Discovery once per process (retried after a failure). */
export function discover(config: OidcConfig): Promise<oidc.Configuration> {
  const holder = runtime().state<Cache>("oidc-discovery", () => ({}));
  const cached = holder.current;
  if (cached && cached.issuer === config.issuer) return cached.promise;
  const promise = oidc
    .discovery(new URL(config.issuer), config.clientId, config.clientSecret, undefined, {
      // Plain http only for a provider on this machine (config refuses it elsewhere).
      execute: isLoopbackHttp(config.issuer) ? [oidc.allowInsecureRequests] : [],
      timeout: 10,
    })
    .catch((e) => {
      delete holder.current;
      throw e;
    });
  holder.current = { issuer: config.issuer, promise };
  return promise;
}

interface FlowState {
  state: string;
  nonce: string;
  verifier: string;
}

export async function startFlow(config: OidcConfig): Promise<{ url: string; flow: FlowState }> {
  const server = await discover(config);
  const flow: FlowState = { state: oidc.randomState(), nonce: oidc.randomNonce(), verifier: oidc.randomPKCECodeVerifier() };
  const url = oidc.buildAuthorizationUrl(server, {
    redirect_uri: config.redirectUri,
    scope: config.scopes,
    response_type: "code",
    code_challenge: await oidc.calculatePKCECodeChallenge(flow.verifier),
    code_challenge_method: "S256",
    state: flow.state,
    nonce: flow.nonce,
  });
  return { url: url.href, flow };
}

export function encodeFlow(flow: FlowState): string {
  return Buffer.from(JSON.stringify(flow)).toString("base64url");
}

export function decodeFlow(value: string | undefined): FlowState | null {
  if (!value) return null;
  try {
    const f = JSON.parse(Buffer.from(value, "base64url").toString("utf8")) as Partial<FlowState>;
    return typeof f.state === "string" && typeof f.nonce === "string" && typeof f.verifier === "string" ? (f as FlowState) : null;
  } catch {
    return null;
  }
}

export interface IdentityClaims {
  sub: string;
  name: string;
  email?: string;
  groups: string[];
}

/** Exchanges the code (checking state, nonce and PKCE) and returns who signed in and their groups. */
export async function finishFlow(config: OidcConfig, search: string, flow: FlowState): Promise<IdentityClaims> {
  const server = await discover(config);
  // The URL the IdP redirected to, rebuilt from configuration (not from proxy-supplied Host headers).
  const current = new URL(config.redirectUri + search);
  const tokens = await oidc.authorizationCodeGrant(server, current, {
    pkceCodeVerifier: flow.verifier,
    expectedState: flow.state,
    expectedNonce: flow.nonce,
    idTokenExpected: true,
  });
  const idClaims = tokens.claims()!;
  let claims: Record<string, unknown> = { ...idClaims };
  if (!(config.groupsClaim in claims)) {
    // Many IdPs put groups only in the userinfo response.
    const info = await oidc.fetchUserInfo(server, tokens.access_token, idClaims.sub);
    claims = { ...info, ...claims };
  }
  const str = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : undefined);
  return {
    sub: idClaims.sub,
    name: str(claims.name) ?? str(claims.preferred_username) ?? str(claims.email) ?? idClaims.sub,
    email: str(claims.email),
    groups: groupsFromClaims(claims, config.groupsClaim),
  };
}
