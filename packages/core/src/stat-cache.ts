/**
 * The stat cache: remembers each hashed file's size, mtime, ctime and inode next to its digest, so a file whose
 * stat is unchanged is not read again. ctime cannot be set back by a user (utimes sets it to now), so an edit
 * that restores size and mtime (`touch -r`) is still seen; what it cannot see is a change below the file system
 * (bit rot, a raw disk write), which `ganflow verify` finds by re-reading everything (as DVC's stat cache and
 * `dvc status` leave to a full re-hash). It is only a cache: a missing, stale or unreadable cache file costs
 * re-hashing, never a wrong answer, and two processes writing it at once each leave a valid file behind.
 *
 * On disk it is one JSON file with a column per field for each folder (names joined by NUL, which no file name contains; sizes, mtimes,
 * inodes, digests concatenated), which parses several times faster than one small array per file; a folder's
 * name index is built the first time a file in it is looked up, so loading the cache of a 20,000-file dataset
 * costs a few milliseconds.
 */
import { lstatSync, readFileSync, type Stats } from "node:fs"
import { hashFile } from "./digest.ts"
import { writeFileAtomic } from "./internal/atomic-write.ts"

type Entry = readonly [size: number, mtimeMs: number, ino: number, digest: string, ctimeMs: number]

/** One folder's entries as stored: names (NUL-separated), sizes, mtimes (ms), inodes, hex digests concatenated, ctimes (ms). */
type FolderColumns = [names: string, sizes: number[], mtimes: number[], inodes: number[], digests: string, ctimes: number[]]

/** A loaded folder: its columns and, once looked up, the index of each name (-1: forgotten). */
interface LoadedFolder {
  readonly columns: FolderColumns
  index: Map<string, number> | undefined
}

const format = 4
const digestLength = 64

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

const splitPath = (path: string): [dir: string, name: string] => {
  const cut = path.lastIndexOf("/") + 1
  return [path.slice(0, cut), path.slice(cut)]
}

const indexOf = (folder: LoadedFolder, name: string): number => {
  if (folder.index === undefined) {
    folder.index = new Map()
    const names = folder.columns[0] === "" ? [] : folder.columns[0].split("\0")
    for (let i = 0; i < names.length; i++) folder.index.set(names[i]!, i)
  }
  return folder.index.get(name) ?? -1
}

/** Cache of file digests keyed by absolute path and validated by stat. */
export class StatCache {
  /** Entries hashed (or forgotten: undefined) by this process; they win over the loaded folders. */
  private readonly entries = new Map<string, Entry | undefined>()
  /** Compiled sources by the digest of their content (see {@link compiled}). */
  private readonly compiledByDigest: Map<string, CompiledSource>
  private dirty = false
  /** Number of files actually read and hashed since construction (for tests and benchmarks). */
  hashedFiles = 0

  private constructor(
    private readonly file: string | undefined,
    private readonly loaded: Map<string, LoadedFolder>,
    compiled: Map<string, CompiledSource>,
  ) {
    this.compiledByDigest = compiled
  }

  /** Load the cache stored at `file` (missing, corrupt or older format: start empty). `undefined` keeps it in memory only. */
  static load(file: string | undefined): StatCache {
    const loaded = new Map<string, LoadedFolder>()
    const compiled = new Map<string, CompiledSource>()
    if (file !== undefined) {
      try {
        const parsed = JSON.parse(readFileSync(file, "utf8")) as {
          v: number
          d: Record<string, FolderColumns>
          c?: Record<string, [digest: string, imports: string[]]>
        }
        if (parsed.v === format) {
          for (const dir in parsed.d) loaded.set(dir, { columns: parsed.d[dir]!, index: undefined })
          for (const digest in parsed.c) compiled.set(digest, { digest: parsed.c[digest]![0], imports: parsed.c[digest]![1] })
        }
      } catch {
        // absent or unreadable: an empty cache is always correct
      }
    }
    return new StatCache(file, loaded, compiled)
  }

  /** The cached entry of an absolute path, if any. */
  private entry(path: string): Entry | undefined {
    if (this.entries.has(path)) return this.entries.get(path)
    const [dir, name] = splitPath(path)
    const folder = this.loaded.get(dir)
    if (folder === undefined) return undefined
    const i = indexOf(folder, name)
    if (i < 0) return undefined
    const [, sizes, mtimes, inodes, digests, ctimes] = folder.columns
    return [sizes[i]!, mtimes[i]!, inodes[i]!, digests.slice(i * digestLength, (i + 1) * digestLength), ctimes[i]!]
  }

  /** Digest of the file at absolute `path`, read only when its stat differs from the cached one. */
  digest(path: string, stats: Stats = lstatSync(path)): FileDigest {
    const hit = this.entry(path)
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
    if (this.entry(path) !== undefined) {
      this.entries.set(path, undefined)
      this.dirty = true
    }
  }

  /** Write the cache back if anything changed. Failures are ignored: the cache is advisory. */
  save(): void {
    if (!this.dirty || this.file === undefined) return
    try {
      const byFolder = new Map<string, Map<string, Entry>>()
      for (const [dir, folder] of this.loaded) {
        const [names, sizes, mtimes, inodes, digests, ctimes] = folder.columns
        const files = new Map<string, Entry>()
        if (names !== "") {
          names.split("\0").forEach((name, i) => {
            files.set(name, [sizes[i]!, mtimes[i]!, inodes[i]!, digests.slice(i * digestLength, (i + 1) * digestLength), ctimes[i]!])
          })
        }
        byFolder.set(dir, files)
      }
      for (const [path, entry] of this.entries) {
        const [dir, name] = splitPath(path)
        let files = byFolder.get(dir)
        if (files === undefined) byFolder.set(dir, (files = new Map()))
        if (entry === undefined) files.delete(name)
        else files.set(name, entry)
      }
      const d: Record<string, FolderColumns> = {}
      const c: Record<string, [string, ReadonlyArray<string>]> = {}
      for (const [dir, files] of byFolder) {
        if (files.size === 0) continue
        const columns: FolderColumns = ["", [], [], [], "", []]
        const names: string[] = []
        const digests: string[] = []
        for (const [name, [size, mtime, ino, digest, ctime]] of files) {
          names.push(name)
          columns[1].push(size)
          columns[2].push(mtime)
          columns[3].push(ino)
          digests.push(digest)
          columns[5].push(ctime)
          const compiled = this.compiledByDigest.get(digest)
          if (compiled !== undefined) c[digest] = [compiled.digest, compiled.imports]
        }
        columns[0] = names.join("\0")
        columns[4] = digests.join("")
        d[dir] = columns
      }
      writeFileAtomic(this.file, JSON.stringify({ v: format, d, c }))
      this.dirty = false
    } catch {
      // a read-only or full disk must not fail a run over a cache
    }
  }
}
