/**
 * The stat cache: remembers each hashed file's size, mtime, ctime and inode next to its digest, so a file whose
 * stat is unchanged is not read again. ctime cannot be set back by a user (utimes sets it to now), so an edit
 * that restores size and mtime (`touch -r`) is still seen; what it cannot see is a change below the file system
 * (bit rot, a raw disk write), which `ganflow verify` finds by re-reading everything (as DVC's stat cache and
 * `dvc status` leave to a full re-hash). It is only a cache: a missing, stale or unreadable cache file costs
 * re-hashing, never a wrong answer, and two processes writing it at once each leave a valid file behind.
 */
import { lstatSync, readFileSync, type Stats } from "node:fs"
import { hashFile } from "./Digest.ts"
import { writeFileAtomic } from "./internal/atomicWrite.ts"

type Entry = readonly [size: number, mtimeMs: number, ino: number, digest: string, ctimeMs: number]

/** A digest and the file's size in bytes. */
export interface FileDigest {
  readonly digest: string
  readonly size: number
}

/** Cache of file digests keyed by absolute path and validated by stat. */
export class StatCache {
  private readonly entries: Map<string, Entry>
  private dirty = false
  /** Number of files actually read and hashed since construction (for tests and benchmarks). */
  hashedFiles = 0

  private constructor(
    private readonly file: string | undefined,
    entries: Map<string, Entry>,
  ) {
    this.entries = entries
  }

  /** Load the cache stored at `file` (missing or corrupt: start empty). `undefined` keeps it in memory only. */
  static load(file: string | undefined): StatCache {
    const entries = new Map<string, Entry>()
    if (file !== undefined) {
      try {
        // grouped by folder: shorter keys parse faster than 20k absolute paths
        const parsed = JSON.parse(readFileSync(file, "utf8")) as { v: number; d: Record<string, Record<string, Entry>> }
        if (parsed.v === 3) {
          for (const dir in parsed.d) {
            const files = parsed.d[dir]!
            for (const name in files) entries.set(dir + name, files[name]!)
          }
        }
      } catch {
        // absent or unreadable: an empty cache is always correct
      }
    }
    return new StatCache(file, entries)
  }

  /** Digest of the file at absolute `path`, read only when its stat differs from the cached one. */
  digest(path: string, stats: Stats = lstatSync(path)): FileDigest {
    const hit = this.entries.get(path)
    if (hit !== undefined && hit[0] === stats.size && hit[1] === stats.mtimeMs && hit[2] === stats.ino && hit[4] === stats.ctimeMs) {
      return { digest: hit[3], size: hit[0] }
    }
    return this.rehash(path, stats)
  }

  /** Digest of the file, always read from disk (used to verify store objects before they are used). */
  rehash(path: string, stats: Stats = lstatSync(path)): FileDigest {
    const { digest, size } = hashFile(path)
    this.hashedFiles++
    this.entries.set(path, [stats.size, stats.mtimeMs, stats.ino, digest, stats.ctimeMs])
    this.dirty = true
    return { digest, size }
  }

  /** Forget a path (after it was deleted or found corrupt). */
  forget(path: string): void {
    if (this.entries.delete(path)) this.dirty = true
  }

  /** Write the cache back if anything changed. Failures are ignored: the cache is advisory. */
  save(): void {
    if (!this.dirty || this.file === undefined) return
    try {
      const d: Record<string, Record<string, Entry>> = {}
      for (const [path, entry] of this.entries) {
        const cut = path.lastIndexOf("/") + 1
        const dir = path.slice(0, cut)
        ;(d[dir] ??= {})[path.slice(cut)] = entry
      }
      writeFileAtomic(this.file, JSON.stringify({ v: 3, d }))
      this.dirty = false
    } catch {
      // a read-only or full disk must not fail a run over a cache
    }
  }
}
