import type { Metadata } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import "./globals.css";
import { currentUser } from "@/lib/auth/authenticate";
import { getConfig } from "@/lib/config";
import { NavLinks } from "./components/nav-links";
import { SessionHeartbeat } from "./components/session-heartbeat";
import { SignOutButton } from "./components/sign-out-button";
import { Providers } from "./providers";

export const metadata: Metadata = {
  title: "RoleGate",
  description: "Who may become which AWS IAM role: EKS Pod Identity and IRSA mappings, reviewed and proven.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // The frame shows the running mode and the signed-in person: rendered per request, never at build time
  // (a build has no runtime configuration, and a prerendered page would bake one in).
  await connection();
  const config = getConfig();
  const user = await currentUser();
  return (
    <html lang="en">
      <body>
        {config.mode === "sandbox" && (
          <div role="status" className="bg-amber-400 px-4 py-1.5 text-center text-sm font-semibold text-amber-950">
            Sandbox mode: AWS and Kubernetes are RoleGate&apos;s built-in emulator with a demo fleet. Nothing here touches a real account.
          </div>
        )}
        <header className="border-b border-slate-200 bg-white">
          <div className="mx-auto flex max-w-7xl items-center justify-between gap-4 px-4 py-3">
            <div className="flex items-center gap-6">
              <a href="/" className="text-lg font-bold tracking-tight">
                Role<span className="text-indigo-600">Gate</span>
              </a>
              {user && <NavLinks />}
            </div>
            {user && (
              <div className="flex items-center gap-3 text-sm">
                <span data-testid="current-user">
                  {user.name} <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600">{user.role}</span>
                </span>
                <a href="/settings/tokens" className="text-xs text-slate-600 hover:underline">API tokens</a>
                <SignOutButton />
                <SignOutButton everywhere />
              </div>
            )}
            {user?.session && <SessionHeartbeat refreshedAt={user.session.lastSeenAt.toISOString()} />}
          </div>
        </header>
        <Providers>
          <main className="mx-auto max-w-7xl px-4 py-6">{children}</main>
        </Providers>
      </body>
    </html>
  );
}
