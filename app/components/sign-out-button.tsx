"use client";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { signOut } from "@/lib/actions/sign-out";
import { signOutEverywhere } from "@/lib/actions/sign-out-everywhere";

/** Sign out of this browser, or (everywhere) end every session of this user in every browser. */
export function SignOutButton({ everywhere = false }: { everywhere?: boolean }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <button
      type="button"
      disabled={pending}
      onClick={() =>
        start(async () => {
          await (everywhere ? signOutEverywhere() : signOut());
          router.push("/signin");
          router.refresh();
        })
      }
      className="rounded border border-slate-300 px-2 py-1 text-xs hover:bg-slate-100 disabled:opacity-50"
    >
      {everywhere ? "Sign out everywhere" : "Sign out"}
    </button>
  );
}
