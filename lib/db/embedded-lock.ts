// One process at a time may open the embedded (PGlite) data dir: two would
// corrupt it. A lock file holding the owner's pid guards it; a lock left by a
// process that no longer exists is taken over.
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import path from "node:path";

export class EmbeddedDatabaseLockedError extends Error {
  constructor(
    readonly lockPath: string,
    readonly ownerPid: number,
  ) {
    super(
      `The embedded database at ${path.dirname(lockPath)} is already open in another RoleGate process (pid ${ownerPid}). ` +
        `Stop that process, or set DATABASE_URL to use a Postgres server that several processes can share.`,
    );
    this.name = "EmbeddedDatabaseLockedError";
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Takes the lock or throws EmbeddedDatabaseLockedError. Returns the release function. */
export function acquireEmbeddedLock(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, "rolegate.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        try {
          if (readFileSync(lockPath, "utf8").trim() === String(process.pid)) rmSync(lockPath);
        } catch {
          /* already gone */
        }
      };
      process.once("exit", release);
      return release;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const owner = Number.parseInt(readFileSync(lockPath, "utf8").trim(), 10);
      if (owner === process.pid) throw new EmbeddedDatabaseLockedError(lockPath, owner);
      if (Number.isFinite(owner) && processAlive(owner)) throw new EmbeddedDatabaseLockedError(lockPath, owner);
      rmSync(lockPath, { force: true }); // stale: its owner is gone
    }
  }
  throw new Error(`Could not take the embedded database lock at ${lockPath}`);
}
