// A real OpenID Connect provider on localhost for the SSO browser test
// (oidc-provider): one confidential client (RoleGate) and test users in groups.
// Its own minimal login form (the package's dev form pulls a web font).
// Env: OIDC_PORT, OIDC_REDIRECT_URI, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET.
import http from "node:http";
import Provider from "oidc-provider";

const port = Number(process.env.OIDC_PORT ?? 9400);
const issuer = `http://localhost:${port}`;
export const PASSWORD = "correct horse";

// login -> profile. "nora" is in no group RoleGate maps.
const USERS = {
  iris: { name: "Iris IAM", groups: ["iam-team", "everyone"] },
  dom: { name: "Dom Domino", groups: ["domino-admins"] },
  sam: { name: "Sam Security", groups: ["security"] },
  nora: { name: "Nora Nogroup", groups: ["everyone"] },
};

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.OIDC_CLIENT_ID ?? "rolegate",
      client_secret: process.env.OIDC_CLIENT_SECRET ?? "rolegate-e2e-secret",
      redirect_uris: [process.env.OIDC_REDIRECT_URI ?? "http://localhost:3100/api/auth/oidc/callback"],
      grant_types: ["authorization_code"],
      response_types: ["code"],
    },
  ],
  claims: { openid: ["sub"], profile: ["name", "preferred_username"], email: ["email"], groups: ["groups"] },
  scopes: ["openid", "profile", "email", "groups"],
  pkce: { required: () => true },
  cookies: { keys: ["rolegate-e2e-provider-cookie-key"] },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(_ctx, id) {
    const u = USERS[id];
    if (!u) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, name: u.name, preferred_username: id, email: `${id}@corp.example`, groups: u.groups }) };
  },
});

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (uid, error = "") => `<!doctype html><html><head><title>Corp SSO</title></head><body>
<h1>Corp SSO</h1>${error ? `<p role="alert">${esc(error)}</p>` : ""}
<form method="post" action="/interaction/${esc(uid)}/login">
<label>Username <input name="login" autofocus></label>
<label>Password <input name="password" type="password"></label>
<button type="submit">Sign in</button></form></body></html>`;

async function body(req) {
  let data = "";
  for await (const chunk of req) data += chunk;
  return new URLSearchParams(data);
}

async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (details.prompt.name === "consent") {
    // Internal corporate app: consent is implied.
    const grant = details.grantId ? await provider.Grant.find(details.grantId) : new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
    grant.addOIDCScope(String(details.params.scope));
    const grantId = await grant.save();
    return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }
  if (action !== "login") {
    res.writeHead(200, { "content-type": "text/html" }).end(page(uid));
    return;
  }
  const form = await body(req);
  const login = form.get("login") ?? "";
  if (!USERS[login] || form.get("password") !== PASSWORD) {
    res.writeHead(200, { "content-type": "text/html" }).end(page(uid, "Wrong username or password."));
    return;
  }
  return provider.interactionFinished(req, res, { login: { accountId: login } }, { mergeWithLastSubmission: false });
}

const callback = provider.callback();
http
  .createServer((req, res) => {
    const m = req.url?.match(/^\/interaction\/([\w-]+)(?:\/(login))?$/);
    if (!m) return callback(req, res);
    interaction(req, res, m[1], m[2]).catch((e) => {
      res.writeHead(500, { "content-type": "text/plain" }).end(`interaction failed: ${e.message}`);
    });
  })
  .listen(port, () => console.log(`OIDC provider at ${issuer}`));
