/**
 * The stat cache: remembers each hashed file's size, mtime and inode next to its digest, so a file whose
 * stat is unchanged is not read again. It is only a cache: a missing, stale or unreadable cache file costs
 * re-hashing, never a wrong answer, and two processes writing it at once each leave a valid file behind.
 */
import { lstatSync, readFileSync, type Stats } from "node:fs"
import { hashFile } from "./Digest.ts"
import { writeFileAtomic } from "./internal/atomicWrite.ts"

type Entry = readonly [size: number, mtimeMs: number, ino: number, digest: string]

/** What a source file compiles to, derived from its content alone: the compiled code's digest and its imports. */
export interface CompiledSource {
  readonly digest: string
  readonly imports: ReadonlyArray<string>
}

/** A digest and the file's size in bytes. */
export interface FileDigest {
  readonly digest: string
  readonly size: number
}

/** Cache of file digests keyed by absolute path and validated by stat. */
export class StatCache {
  private readonly entries: Map<string, Entry>
  /** Compiled sources by the digest of their content (see {@link compiled}). */
  private readonly compiledByDigest: Map<string, CompiledSource>
  private dirty = false
  /** Number of files actually read and hashed since construction (for tests and benchmarks). */
  hashedFiles = 0

  private constructor(
    private readonly file: string | undefined,
    entries: Map<string, Entry>,
    compiled: Map<string, CompiledSource>,
  ) {
    this.entries = entries
    this.compiledByDigest = compiled
  }

  /** Load the cache stored at `file` (missing or corrupt: start empty). `undefined` keeps it in memory only. */
  static load(file: string | undefined): StatCache {
    const entries = new Map<string, Entry>()
    const compiled = new Map<string, CompiledSource>()
    if (file !== undefined) {
      try {
        // grouped by folder: shorter keys parse faster than 20k absolute paths
        const parsed = JSON.parse(readFileSync(file, "utf8")) as {
          v: number
          d: Record<string, Record<string, Entry>>
          c?: Record<string, [digest: string, imports: string[]]>
        }
        if (parsed.v === 2) {
          for (const dir in parsed.d) {
            const files = parsed.d[dir]!
            for (const name in files) entries.set(dir + name, files[name]!)
          }
          for (const digest in parsed.c) compiled.set(digest, { digest: parsed.c[digest]![0], imports: parsed.c[digest]![1] })
        }
      } catch {
        // absent or unreadable: an empty cache is always correct
      }
    }
    return new StatCache(file, entries, compiled)
  }

  /** Digest of the file at absolute `path`, read only when its stat differs from the cached one. */
  digest(path: string, stats: Stats = lstatSync(path)): FileDigest {
    const hit = this.entries.get(path)
    if (hit !== undefined && hit[0] === stats.size && hit[1] === stats.mtimeMs && hit[2] === stats.ino) {
      return { digest: hit[3], size: hit[0] }
    }
    return this.rehash(path, stats)
  }

  /** Digest of the file, always read from disk (used to verify store objects before they are used). */
  rehash(path: string, stats: Stats = lstatSync(path)): FileDigest {
    const { digest, size } = hashFile(path)
    this.hashedFiles++
    this.entries.set(path, [stats.size, stats.mtimeMs, stats.ino, digest])
    this.dirty = true
    return { digest, size }
  }

  /**
   * What the source whose content has digest `contentDigest` compiles to: remembered, or made by `compile` and
   * remembered (saved with the cache while a cached file still has that content).
   */
  compiled(contentDigest: string, compile: () => CompiledSource): CompiledSource {
    let hit = this.compiledByDigest.get(contentDigest)
    if (hit === undefined) {
      hit = compile()
      this.compiledByDigest.set(contentDigest, hit)
      this.dirty = true
    }
    return hit
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
      const c: Record<string, [string, ReadonlyArray<string>]> = {}
      for (const [path, entry] of this.entries) {
        const cut = path.lastIndexOf("/") + 1
        const dir = path.slice(0, cut)
        ;(d[dir] ??= {})[path.slice(cut)] = entry
        const compiled = this.compiledByDigest.get(entry[3])
        if (compiled !== undefined) c[entry[3]] = [compiled.digest, compiled.imports]
      }
      writeFileAtomic(this.file, JSON.stringify({ v: 2, d, c }))
      this.dirty = false
    } catch {
      // a read-only or full disk must not fail a run over a cache
    }
  }
}
