import { getConfig } from "@/lib/config";

export default async function NoAccessPage({ searchParams }: { searchParams: Promise<{ reason?: string }> }) {
  const { reason } = await searchParams;
  const groups = getConfig().oidc?.roleMap.map((m) => m.group) ?? [];
  return (
    <section className="mx-auto max-w-xl" data-testid="no-access">
      <h1 className="mb-2 text-2xl font-semibold">No access to RoleGate</h1>
      {reason === "deprovisioned" ? (
        <p className="text-slate-700">Your identity provider has deactivated your RoleGate account. Ask your identity team if this is a mistake.</p>
      ) : reason === "sandbox-account" ? (
        <p className="text-slate-700">
          Your RoleGate account was created while this installation ran in sandbox (demo) mode, so it cannot be used now. Ask your RoleGate admin.
        </p>
      ) : reason === "not-sso-account" ? (
        <p className="text-slate-700">
          Your identity provider account has the same name as a built-in RoleGate account, so single sign-on cannot use it. Ask your RoleGate admin.
        </p>
      ) : (
        <>
          <p className="mb-3 text-slate-700">
            Your identity provider signed you in, but you are in none of the groups that give a RoleGate role, so RoleGate has no role for you.
          </p>
          {groups.length > 0 && (
            <p className="text-slate-700">
              Ask your identity team to add you to one of: {groups.map((g, i) => <span key={g}>{i ? ", " : ""}<code>{g}</code></span>)}. Then sign in again.
            </p>
          )}
        </>
      )}
      <p className="mt-4"><a className="text-indigo-700 underline" href="/signin">Back to sign-in</a></p>
    </section>
  );
}
