// Work a process keeps after the request that started it (a cached view, a kept
// drift report, a pooled database connection) must not hold that request's
// async context. With AsyncLocalStorage in use (React and Next.js keep each
// render's state in it), every promise, timer and socket created during a
// request records the request's stores, and keeps them for as long as it lives:
// a pooled connection opened by a page load kept that render's whole Flight
// request, and through its abort reason's stack the queue of renders behind it
// (605 finished renders, about 70 MB, at 100,000 associations under 20 users).

import { AsyncLocalStorage } from "node:async_hooks";

type Runner = <R>(fn: () => R) => R;
const KEY = Symbol.for("rolegate.rootAsyncContext");
const holder = globalThis as { [KEY]?: Runner };

/**
 * Records the async context this is called in as the process's root: call it once at process start,
 * before any request (scripts/start.ts). The server's bundles and the start script share it.
 */
export function captureRootContext(): void {
  holder[KEY] ??= AsyncLocalStorage.snapshot();
}

/** A runner for the context this is called in (a pool's, made at boot): `fn` then runs without the caller's stores. */
export const contextRunner = (): Runner => AsyncLocalStorage.snapshot();

/** Runs `fn` in the root context (as it is when none was captured: tests, scripts); what it creates outlives any request. */
export function outsideRequest<R>(fn: () => R): R {
  const run = holder[KEY];
  return run ? run(fn) : fn();
}
