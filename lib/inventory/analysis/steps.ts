// Analysis as resumable steps. The analysis is pure and CPU-bound (5,000 roles
// x 2,000 service accounts is over a second), and it runs in the web process
// that also serves pages and drives the apply worker. Each long loop is a
// generator that yields after a unit of work (a role parsed, a service
// account matched); runSteps drives it in one go (tests, CLI, benchmark),
// runStepsYielding hands the event loop back every few milliseconds. Both run
// the very same code in the same order, so the results are identical.

export type Steps<T> = Generator<void, T, void>;

/** Run to completion synchronously. */
export function runSteps<T>(steps: Steps<T>): T {
  let r = steps.next();
  while (!r.done) r = steps.next();
  return r.value;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Run to completion, yielding to the event loop whenever a slice of `sliceMs` is used up. */
export async function runStepsYielding<T>(steps: Steps<T>, sliceMs = 8): Promise<T> {
  let since = performance.now();
  let r = steps.next();
  while (!r.done) {
    if (performance.now() - since >= sliceMs) {
      await nextTurn();
      since = performance.now();
    }
    r = steps.next();
  }
  return r.value;
}
