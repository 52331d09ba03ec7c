import { redirect } from "next/navigation";
import { currentUser } from "@/lib/auth/authenticate";
import { DEMO_USERS } from "@/lib/auth/demo-users";
import { getConfig } from "@/lib/config";
import { DemoSignIn } from "./demo-sign-in";

const ERRORS: Record<string, string> = {
  expired: "Your sign-in took too long or was started in another browser. Start again.",
  failed: "The single sign-on response could not be verified. Start again; if it keeps failing, tell your RoleGate admin.",
  idp: "Your identity provider did not complete the sign-in. Start again.",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  if (await currentUser()) redirect("/");
  const { error } = await searchParams;
  const config = getConfig();
  const sandbox = config.mode === "sandbox";
  return (
    <section className="mx-auto max-w-lg">
      <h1 className="mb-2 text-2xl font-semibold">Sign in to RoleGate</h1>
      {error && ERRORS[error] && <p role="alert" className="mb-3 rounded bg-red-50 p-3 text-sm text-red-800">{ERRORS[error]}</p>}
      {config.oidc && (
        <a
          href="/api/auth/oidc/start"
          className="mb-6 block rounded bg-indigo-600 px-4 py-2 text-center font-medium text-white hover:bg-indigo-500"
        >
          Sign in with single sign-on
        </a>
      )}
      {sandbox && (
        <>
          <p className="mb-4 text-sm text-slate-600">Sandbox mode: pick a demo person. Each has the role shown.</p>
          <DemoSignIn users={DEMO_USERS} />
        </>
      )}
      {!sandbox && !config.oidc && (
        <p className="rounded border border-slate-300 bg-white p-4 text-sm text-slate-700">
          Single sign-on is not configured yet. Ask your RoleGate admin to set up your organisation&apos;s OpenID Connect provider.
        </p>
      )}
    </section>
  );
}
