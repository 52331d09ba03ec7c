// API token uses, recorded in memory while the request that used the token
// writes nothing (a GET must not write). The background upkeep
// (lib/workers/auth-upkeep.ts) flushes them to ApiToken.lastUsedAt: at most one
// UPDATE per token per flush, and it flushes once a minute.
//
// One recorder per process: the Next.js server bundle (which authenticates) and
// the start script's bundle (which runs the upkeep) each load this module, so the
// recorder sits on globalThis like the runtime handle (lib/runtime.ts).

export class TokenUses {
  private latest = new Map<string, Date>();

  /** The token with this id was used at `at` (only the latest use is kept). */
  note(tokenId: string, at: Date): void {
    const prev = this.latest.get(tokenId);
    if (!prev || prev < at) this.latest.set(tokenId, at);
  }

  /** The uses noted since the last take, each token's latest; the recorder starts over. */
  take(): [string, Date][] {
    const out = [...this.latest];
    this.latest = new Map();
    return out;
  }
}

const HOLDER = Symbol.for("rolegate.tokenUses");
type Holder = { [HOLDER]?: TokenUses };

/** The process's recorder. */
export function tokenUses(): TokenUses {
  const holder = globalThis as Holder;
  holder[HOLDER] ??= new TokenUses();
  return holder[HOLDER];
}
