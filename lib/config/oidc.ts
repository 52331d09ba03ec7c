// Single sign-on settings (OpenID Connect) and the IdP group -> role map.
// Every error names the setting, like the rest of lib/config.
import { ConfigError } from "./schema";

const ROLE_NAMES = ["requester", "approver", "auditor", "admin"] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  groupsClaim: string;
  /** ROLEGATE_OIDC_SCOPES, default "openid profile email groups". */
  scopes: string;
  /** Group -> role, in configuration order. */
  roleMap: { group: string; role: RoleName }[];
  /** ROLEGATE_PUBLIC_URL + /api/auth/oidc/callback */
  redirectUri: string;
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

function parseUrl(value: string, setting: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(setting, `"${value}" is not a URL`);
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK.has(url.hostname))) {
    throw new ConfigError(setting, `"${value}" must be an https:// URL (plain http is accepted for localhost only)`);
  }
  return url;
}

/** ROLEGATE_PUBLIC_URL: the address users reach RoleGate at, without a trailing slash. */
export function parsePublicUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const url = parseUrl(value, "ROLEGATE_PUBLIC_URL");
  if (url.search || url.hash) throw new ConfigError("ROLEGATE_PUBLIC_URL", `"${value}" must not have a query or fragment`);
  return url.href.replace(/\/+$/, "");
}

/** ROLEGATE_ROLE_MAP="iam-team=approver,domino-admins=requester,security=auditor,rolegate-admins=admin" */
function parseRoleMap(value: string): OidcConfig["roleMap"] {
  const out: OidcConfig["roleMap"] = [];
  for (const entry of value.split(",").map((s) => s.trim()).filter(Boolean)) {
    const eq = entry.lastIndexOf("=");
    const group = entry.slice(0, eq).trim();
    const role = entry.slice(eq + 1).trim();
    if (eq <= 0 || !group || !(ROLE_NAMES as readonly string[]).includes(role)) {
      throw new ConfigError("ROLEGATE_ROLE_MAP", `"${entry}" must look like <group>=<${ROLE_NAMES.join("|")}>`);
    }
    if (out.some((m) => m.group === group)) throw new ConfigError("ROLEGATE_ROLE_MAP", `group "${group}" is listed twice`);
    out.push({ group, role: role as RoleName });
  }
  if (!out.length) throw new ConfigError("ROLEGATE_ROLE_MAP", "list at least one <group>=<role> pair");
  return out;
}

export function loadOidcConfig(env: Record<string, string | undefined>, publicUrl: string | undefined): OidcConfig | undefined {
  const issuer = env.ROLEGATE_OIDC_ISSUER?.trim();
  const clientId = env.ROLEGATE_OIDC_CLIENT_ID?.trim();
  const clientSecret = env.ROLEGATE_OIDC_CLIENT_SECRET;
  if (!issuer && !clientId && !clientSecret) return undefined;
  if (!issuer) throw new ConfigError("ROLEGATE_OIDC_ISSUER", "is required when ROLEGATE_OIDC_CLIENT_ID or _SECRET is set (the IdP's issuer URL)");
  parseUrl(issuer, "ROLEGATE_OIDC_ISSUER");
  if (!clientId) throw new ConfigError("ROLEGATE_OIDC_CLIENT_ID", "is required when ROLEGATE_OIDC_ISSUER is set");
  if (!clientSecret) throw new ConfigError("ROLEGATE_OIDC_CLIENT_SECRET", "is required when ROLEGATE_OIDC_ISSUER is set");
  if (!publicUrl) throw new ConfigError("ROLEGATE_PUBLIC_URL", "is required for single sign-on: the IdP redirects users back to <ROLEGATE_PUBLIC_URL>/api/auth/oidc/callback");
  if (!env.ROLEGATE_ROLE_MAP) {
    throw new ConfigError("ROLEGATE_ROLE_MAP", "is required for single sign-on, e.g. iam-team=approver,domino-admins=requester,security=auditor,rolegate-admins=admin");
  }
  const groupsClaim = env.ROLEGATE_OIDC_GROUPS_CLAIM?.trim() || "groups";
  if (!/^[\w.:/-]{1,200}$/.test(groupsClaim)) throw new ConfigError("ROLEGATE_OIDC_GROUPS_CLAIM", `"${groupsClaim}" is not a claim name`);
  return {
    issuer: issuer.replace(/\/+$/, ""),
    clientId,
    clientSecret,
    groupsClaim,
    scopes: env.ROLEGATE_OIDC_SCOPES?.trim() || "openid profile email groups",
    roleMap: parseRoleMap(env.ROLEGATE_ROLE_MAP),
    redirectUri: `${publicUrl}/api/auth/oidc/callback`,
  };
}
