"use client";
import { useEffect } from "react";
import { keepSessionAlive } from "@/lib/actions/keep-session-alive";

/** Sooner than this after the last refresh, activity sends nothing (the server refreshes at most every 5 minutes too). */
const REFRESH_AFTER_MS = 5 * 60_000;
const ACTIVITY = ["pointerdown", "keydown", "visibilitychange"] as const;

/**
 * Keeps the browser session's idle expiry sliding while someone uses the app:
 * page loads are GETs and write nothing, so on activity, once the session is more
 * than five minutes from its last refresh, one POST moves its idle clock.
 */
export function SessionHeartbeat({ refreshedAt }: { refreshedAt: string }) {
  useEffect(() => {
    let last = new Date(refreshedAt).getTime();
    const onActivity = () => {
      if (document.visibilityState === "hidden" || Date.now() - last < REFRESH_AFTER_MS) return;
      last = Date.now();
      void keepSessionAlive({});
    };
    for (const e of ACTIVITY) document.addEventListener(e, onActivity, { passive: true });
    return () => {
      for (const e of ACTIVITY) document.removeEventListener(e, onActivity);
    };
  }, [refreshedAt]);
  return null;
}
