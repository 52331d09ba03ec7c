"use client";
// A button rendered on the server does nothing until React attaches its handler:
// a click in that moment is lost without a word. Buttons that decide something
// stay disabled until then, so the click is refused visibly instead.
import { useSyncExternalStore } from "react";

const noSubscription = () => () => {};

/** False in the server render and during hydration, true once the page is interactive. */
export function useHydrated(): boolean {
  return useSyncExternalStore(noSubscription, () => true, () => false);
}
