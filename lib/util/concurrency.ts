/** Maps items with at most `limit` calls in flight; results keep input order. */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  return results;
}

/**
 * Like mapWithConcurrency over items that arrive a page at a time: work on the
 * first page's items starts while later pages are still being read. Results keep
 * the order items arrived in. A failing page read or call rejects the whole map;
 * no new call starts after that.
 */
export async function mapPagesWithConcurrency<T, R>(
  pages: AsyncIterable<readonly T[]>,
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const items: T[] = [];
  const results: R[] = [];
  let next = 0;
  let listed = false;
  let stopped = false;
  // Workers with nothing to do wait for the next page (or the end of the list).
  let arrived!: () => void;
  let more = new Promise<void>((r) => (arrived = r));
  const wake = () => {
    const release = arrived;
    more = new Promise<void>((r) => (arrived = r));
    release();
  };
  const read = async () => {
    try {
      for await (const page of pages) {
        if (stopped) return;
        for (const item of page) items.push(item);
        wake();
      }
    } finally {
      listed = true;
      wake();
    }
  };
  const worker = async () => {
    while (!stopped) {
      if (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i]!, i);
      } else if (listed) return;
      else await more;
    }
  };
  try {
    await Promise.all([read(), ...Array.from({ length: Math.max(1, limit) }, worker)]);
  } catch (e) {
    stopped = true;
    wake();
    throw e;
  }
  return results;
}

/** At most `slots` holders at once; the others wait in arrival order. */
export class Semaphore {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(slots: number) {
    this.free = Math.max(1, slots);
  }

  /** Runs `fn` when a slot is free, and frees it when `fn` settles. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((r) => this.waiting.push(r));
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}
