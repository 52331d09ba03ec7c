import { requireUser } from "@/lib/auth/require-user";
import { can } from "@/lib/auth/permissions";
import { apiTokensView } from "@/lib/auth/queries";
import { TokenForms, RevokeButton } from "./token-forms";
import { Time } from "../../components/ui";

export const dynamic = "force-dynamic";

export default async function TokensPage() {
  const user = await requireUser("tokens:personal");
  const admin = can(user.role, "tokens:service");
  const tokens = await apiTokensView(user, admin);
  const now = new Date();
  const state = (t: (typeof tokens)[number]) => (t.revokedAt ? "revoked" : t.expiresAt <= now ? "expired" : "active");
  return (
    <section className="max-w-4xl">
      <h1 className="mb-2 text-2xl font-semibold">API tokens</h1>
      <p className="mb-4 text-sm text-slate-600">
        Use a token as <code>Authorization: Bearer &lt;token&gt;</code> for the <code>/api/v1</code> API. A personal token acts as you, with your
        current role ({user.role}). The token is shown once; RoleGate keeps only its hash.
      </p>
      <TokenForms admin={admin} />
      <div className="overflow-x-auto">
      <table className="mt-6 w-full text-left text-sm" data-testid="tokens">
        <thead className="border-b text-xs uppercase text-slate-500">
          <tr><th className="py-2">Name</th><th>Kind</th><th>Acts as</th><th>Expires</th><th>Last used</th><th>State</th><th /></tr>
        </thead>
        <tbody>
          {tokens.map((t) => (
            <tr key={t.id} className="border-b border-slate-100">
              <td className="py-2">{t.name} <span className="text-xs text-slate-500">{t.prefix}…</span></td>
              <td>{t.kind}</td>
              <td>{t.user.login} ({t.user.role})</td>
              <td><Time at={t.expiresAt} /></td>
              <td>{t.lastUsedAt ? <Time at={t.lastUsedAt} /> : "never"}</td>
              <td>{state(t)}</td>
              <td>{state(t) === "active" && <RevokeButton id={t.id} name={t.name} />}</td>
            </tr>
          ))}
          {!tokens.length && <tr><td colSpan={7} className="py-3 text-slate-500">No tokens yet.</td></tr>}
        </tbody>
      </table>
      </div>
    </section>
  );
}
