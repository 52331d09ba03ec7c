"use client";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { signOut } from "@/lib/actions/sign-out";
import { signOutEverywhere } from "@/lib/actions/sign-out-everywhere";

export function SignOutButton() {
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <button
      type="button"
      disabled={pending}
      onClick={() =>
        start(async () => {
          await signOut();
          router.push("/signin");
          router.refresh();
        })
      }
      className="rounded border border-slate-300 px-2 py-1 text-xs hover:bg-slate-100 disabled:opacity-50"
    >
      Sign out
    </button>
  );
}

/** Ends every session of this user, in every browser. */
export function SignOutEverywhereButton() {
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <button
      type="button"
      disabled={pending}
      onClick={() =>
        start(async () => {
          await signOutEverywhere();
          router.push("/signin");
          router.refresh();
        })
      }
      className="rounded border border-slate-300 px-2 py-1 text-xs hover:bg-slate-100 disabled:opacity-50"
    >
      Sign out everywhere
    </button>
  );
}
