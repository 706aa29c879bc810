/**
 * Per-key locks (`locks/<key>.lock`, created exclusively): one process computes an entry at a time; the lock
 * file names its holder's pid, start time and the store keys its run writes, so `gc` leaves those alone and a
 * lock whose holder died is taken over.
 */
import { closeSync, mkdirSync, openSync, rmSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { isAlive, listFiles, readFileSafe } from "../internal/store-files.ts"
import type { LockHolder, StageLocksApi } from "./store-types.ts"

/** Lock files in a local store folder (one machine: pids are checked for liveness). */
export class LocalStageLocks implements StageLocksApi {
  constructor(readonly root: string) {}

  /**
   * Try to take the per-key lock; returns a release function, or the pid of a live holder. `keys` are the
   * store keys the holder's run writes (its cache key and checkpoint key), which `gc` leaves alone.
   */
  tryLock(key: string, keys: ReadonlyArray<string> = [key]): { readonly release: () => void } | { readonly heldBy: number } {
    const path = join(this.root, "locks", `${key}.lock`)
    mkdirSync(dirname(path), { recursive: true })
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fd = openSync(path, "wx")
        const holder: LockHolder = { pid: process.pid, since: Date.now(), keys }
        writeFileSync(fd, JSON.stringify(holder))
        closeSync(fd)
        return { release: () => rmSync(path, { force: true }) }
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e
        const holder = readLockHolder(path)
        if (holder !== undefined && isAlive(holder.pid)) return { heldBy: holder.pid }
        rmSync(path, { force: true }) // stale: its holder died
      }
    }
    return { heldBy: -1 }
  }

  /** The locks held by live processes (for `gc` and `verify`, which must not touch what a run is writing). */
  liveLocks(): LockHolder[] {
    const out: LockHolder[] = []
    for (const l of listFiles(join(this.root, "locks"))) {
      const holder = readLockHolder(join(this.root, "locks", l))
      if (holder !== undefined && isAlive(holder.pid)) out.push({ ...holder, file: l })
    }
    return out
  }
}

/** A lock file's holder; lock files of older versions hold just the pid. */
const readLockHolder = (path: string): LockHolder | undefined => {
  const text = readFileSafe(path)
  if (text === undefined) return undefined
  if (/^\d+$/.test(text.trim())) return { pid: Number(text), since: 0, keys: [] }
  try {
    const h = JSON.parse(text) as LockHolder
    return typeof h.pid === "number" ? { pid: h.pid, since: h.since ?? 0, keys: Array.isArray(h.keys) ? h.keys : [] } : undefined
  } catch {
    return undefined
  }
}
