/**
 * Per-key locks (`locks/<key>.lock`, created exclusively): one process computes an entry at a time; the lock
 * file names its holder's host, pid, start time and the store keys its run writes, so `gc` leaves those alone and a
 * lock whose holder died is taken over. On this host a holder is alive while its pid is; a holder on another host
 * (a store shared by cluster nodes) cannot be asked, so it refreshes its lock file's mtime every
 * {@link heartbeatMs} while it holds the lock, and its lock is stale once the mtime is older than {@link staleAfterMs}.
 */
import { closeSync, mkdirSync, openSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs"
import { hostname } from "node:os"
import { dirname, join } from "node:path"
import { isAlive, listFiles, readFileSafe } from "../internal/store-files.ts"
import type { LockHolder, StageLocksApi } from "./store-types.ts"

/** How often a holder refreshes its lock file's mtime. */
export const heartbeatMs = 10_000
/** How old another host's lock file's mtime may be before the lock counts as abandoned. */
export const staleAfterMs = 6 * heartbeatMs

const thisHost = hostname()

/** Whether the holder of the lock file at `path` still holds it (see the module doc). */
const holderAlive = (holder: LockHolder, path: string, now = Date.now()): boolean => {
  if (holder.host === undefined || holder.host === thisHost) return isAlive(holder.pid)
  try {
    return now - statSync(path).mtimeMs <= staleAfterMs
  } catch {
    return false
  }
}

/** Lock files in a local or shared store folder. */
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
        const holder: LockHolder = { pid: process.pid, host: thisHost, since: Date.now(), keys }
        writeFileSync(fd, JSON.stringify(holder))
        closeSync(fd)
        const heartbeat = setInterval(() => {
          try {
            const now = new Date()
            utimesSync(path, now, now)
          } catch {
            // gone (released, or removed by hand): nothing to refresh
          }
        }, heartbeatMs)
        heartbeat.unref()
        return {
          release: () => {
            clearInterval(heartbeat)
            rmSync(path, { force: true })
          },
        }
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e
        const holder = readLockHolder(path)
        if (holder !== undefined && holderAlive(holder, path)) return { heldBy: holder.pid }
        rmSync(path, { force: true }) // stale: its holder died (or, on another host, stopped refreshing it)
      }
    }
    return { heldBy: -1 }
  }

  /** The locks held by live processes (for `gc` and `verify`, which must not touch what a run is writing). */
  liveLocks(): LockHolder[] {
    const out: LockHolder[] = []
    for (const l of listFiles(join(this.root, "locks"))) {
      const path = join(this.root, "locks", l)
      const holder = readLockHolder(path)
      if (holder !== undefined && holderAlive(holder, path)) out.push({ ...holder, file: l })
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
    if (typeof h.pid !== "number") return undefined
    return { pid: h.pid, ...(typeof h.host === "string" ? { host: h.host } : {}), since: h.since ?? 0, keys: Array.isArray(h.keys) ? h.keys : [] }
  } catch {
    return undefined
  }
}
