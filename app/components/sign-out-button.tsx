"use client";
import { signOut } from "@/lib/actions/sign-out";
import { signOutEverywhere } from "@/lib/actions/sign-out-everywhere";
import { ActionButton } from "./ui/action-button";

/** Sign out of this browser, or (everywhere) end every session of this user in every browser. */
export function SignOutButton({ everywhere = false }: { everywhere?: boolean }) {
  return (
    <ActionButton run={everywhere ? signOutEverywhere : signOut} then="/signin" className="rounded border border-slate-300 px-2 py-1 text-xs hover:bg-slate-100 disabled:opacity-50">
      {everywhere ? "Sign out everywhere" : "Sign out"}
    </ActionButton>
  );
}
