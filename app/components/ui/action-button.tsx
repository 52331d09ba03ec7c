"use client";
import { useRouter } from "next/navigation";
import { useTransition, type ReactNode } from "react";
import { useHydrated } from "./use-hydrated";

/**
 * A button that runs a server action, disabled while it runs, then shows the
 * result: the same page again, or `then` (e.g. the sign-in page after signing out).
 */
export function ActionButton({ run, then, label, className, children }: { run: () => Promise<unknown>; then?: string; label?: string; className: string; children: ReactNode }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const hydrated = useHydrated();
  const onClick = () =>
    start(async () => {
      await run();
      if (then) router.push(then);
      router.refresh();
    });
  return (
    <button type="button" disabled={pending || !hydrated} aria-label={label} onClick={onClick} className={className}>
      {children}
    </button>
  );
}
