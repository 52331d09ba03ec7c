import type { Metadata } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import "./globals.css";
import { currentUser } from "@/lib/auth/authenticate";
import { can, refusal } from "@/lib/auth/permissions";
import { getConfig } from "@/lib/config";
import { SessionHeartbeat } from "./components/session-heartbeat";
import { reviewInboxCount } from "@/lib/requests/queries";
import { MobileMenu } from "./components/nav/mobile-menu";
import { SidebarNav } from "./components/nav/sidebar-nav";
import type { NavOptions } from "./components/nav/sections";
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
  const nav: NavOptions | null = user && {
    // The same rule as the approve service (lib/requests/inbox.ts): the count is what the person can act on now.
    inboxCount: refusal(user, "requests:review") === null ? await reviewInboxCount(user) : null,
    managesPolicies: can(user.role, "policies:manage"),
  };
  return (
    <html lang="en">
      <body>
        <a href="#main" className="sr-only rounded bg-slate-900 px-3 py-2 text-white focus:not-sr-only focus:fixed focus:left-2 focus:top-2 focus:z-50">
          Skip to content
        </a>
        {config.mode === "sandbox" && (
          <div role="status" className="bg-amber-300 px-4 py-1.5 text-center text-sm font-semibold text-amber-950">
            Sandbox mode: AWS and Kubernetes are RoleGate&apos;s built-in emulator with a demo fleet. Nothing here touches a real account.
          </div>
        )}
        <header className="border-b border-slate-200 bg-white">
          <div className="flex flex-wrap items-center justify-between gap-x-4 gap-y-2 px-4 py-3">
            <div className="flex items-center gap-3">
              {nav && <MobileMenu {...nav} />}
              <a href="/" className="flex items-center gap-2 text-lg font-bold tracking-tight">
                {/* eslint-disable-next-line @next/next/no-img-element -- a static SVG needs no optimisation */}
                <img src="/logo.svg" alt="" width={24} height={24} />
                <span>
                  Role<span className="text-indigo-700">Gate</span>
                </span>
              </a>
            </div>
            {user && (
              <div className="flex flex-wrap items-center gap-2 text-sm">
                <span data-testid="current-user">
                  {user.name} <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700">{user.role}</span>
                </span>
                <SignOutButton />
                <SignOutButton everywhere />
              </div>
            )}
            {user?.session && <SessionHeartbeat refreshedAt={user.session.lastSeenAt.toISOString()} />}
          </div>
        </header>
        <div className="lg:flex">
          {nav && (
            <aside className="hidden w-56 shrink-0 border-r border-slate-200 bg-white px-2 py-4 lg:block" data-testid="sidebar">
              <SidebarNav {...nav} />
            </aside>
          )}
          <Providers>
            <main id="main" tabIndex={-1} className="mx-auto w-full min-w-0 max-w-7xl px-4 py-6 focus:outline-none">
              {children}
            </main>
          </Providers>
        </div>
      </body>
    </html>
  );
}
