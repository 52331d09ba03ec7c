import { redirect } from "next/navigation";
import { currentUser } from "@/lib/auth/authenticate";
import { DEMO_USERS } from "@/lib/auth/demo-users";
import { getConfig } from "@/lib/config";
import { DemoSignIn } from "./demo-sign-in";

export default async function SignInPage() {
  if (await currentUser()) redirect("/");
  const sandbox = getConfig().mode === "sandbox";
  return (
    <section className="mx-auto max-w-lg">
      <h1 className="mb-2 text-2xl font-semibold">Sign in to RoleGate</h1>
      {sandbox ? (
        <>
          <p className="mb-4 text-sm text-slate-600">Sandbox mode: pick a demo person. Each has the role shown.</p>
          <DemoSignIn users={DEMO_USERS} />
        </>
      ) : (
        <p className="rounded border border-slate-300 bg-white p-4 text-sm text-slate-700">
          Single sign-on is not configured yet. Ask your RoleGate admin to set up your organisation&apos;s OpenID Connect provider.
        </p>
      )}
    </section>
  );
}
