/**
 * The content-addressed store (`.ganflow/` at the workspace root by default).
 *
 * ```
 * objects/ab/cdef…        every output file, by sha256, read-only
 * manifests/<key>.json    one per stage execution: files, returned value, metrics, env (the commit point)
 * out/<key>/…             a read-only view of a manifest's files (hard links to objects)
 * checkpoints/<ckey>/     checkpoint manifests (step-N.json) and their views (step-N/)
 * listings/<digest>.json  folder listings, to say which files of an input changed
 * index/<pipeline>/<stage>.json   the key record of the last execution, to explain reruns
 * runs/<id>.json          run records
 * tmp/  locks/  stat-cache.json
 * ```
 * Writes go to `tmp/` and are renamed into place, and a manifest is written last, so a reader sees a complete
 * entry or none. Reads verify digests (through the stat cache); a corrupt entry is reported and recomputed.
 */
import {
  chmodSync, existsSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync,
  writeFileSync, openSync, closeSync,
} from "node:fs"
import { join, dirname, sep } from "node:path"
import { randomBytes } from "node:crypto"
import { canonicalJson, type Json } from "./CanonicalJson.ts"
import { sha256 } from "./Digest.ts"
import { StatCache } from "./StatCache.ts"
import type { ListingEntry } from "./InputDigest.ts"
import type { Checkpoint, Checkpoints } from "./Checkpoints.ts"
import { writeFileAtomic } from "./internal/atomicWrite.ts"

/** Store format version; part of every cache key. */
export const storeFormat = 1

/** One output file: path relative to the output folder, digest, size. */
export type StoredFile = readonly [path: string, digest: string, size: number]

/** The record of one stage execution. */
export interface Manifest {
  readonly format: number
  readonly key: string
  readonly stage: string
  readonly instance: string
  readonly pipeline: string
  readonly files: ReadonlyArray<StoredFile>
  readonly value: Json
  /** Digest of files + value: what downstream stages see, so identical outputs keep them cached. */
  readonly outputDigest: string
  readonly metrics: Readonly<Record<string, number>>
  /** Metrics recorded with a step (`ctx.metric(name, value, step)`), as [step, value] points in order. */
  readonly metricSeries?: Readonly<Record<string, ReadonlyArray<readonly [number, number]>>>
  readonly env: Readonly<Record<string, Json>>
  readonly durationMs: number
  readonly createdAt: string
}

/** The result of looking up a key. */
export type Lookup =
  | { readonly status: "hit"; readonly manifest: Manifest; readonly dir: string }
  | { readonly status: "absent" }
  | { readonly status: "corrupt"; readonly reason: string }

/** The digest of a stage's outputs as downstream stages see it. */
export const outputDigestOf = (files: ReadonlyArray<StoredFile>, value: Json): string =>
  sha256(canonicalJson({ files: files.map(([p, d]) => [p, d]), value }))

const isAlive = (pid: number): boolean => {
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM"
  }
}

/** The store rooted at a folder. All methods are synchronous file system work; the runner wraps them. */
export class Store {
  readonly statCache: StatCache
  constructor(readonly root: string) {
    mkdirSync(join(root, "tmp"), { recursive: true })
    this.statCache = StatCache.load(join(root, "stat-cache.json"))
  }

  private objectPath(digest: string): string {
    return join(this.root, "objects", digest.slice(0, 2), digest.slice(2))
  }
  private manifestPath(key: string): string {
    return join(this.root, "manifests", `${key}.json`)
  }
  /** The read-only folder holding the outputs of `key`. */
  outDir(key: string): string {
    return join(this.root, "out", key)
  }

  /** A fresh temp folder whose name carries this process's pid (so `gc` knows when it is abandoned). */
  makeTemp(label: string): string {
    const dir = join(this.root, "tmp", `${label.replace(/[^\w.-]/g, "_")}-${process.pid}-${randomBytes(4).toString("hex")}`)
    mkdirSync(dir, { recursive: true })
    return dir
  }

  /** Remove a temp folder (idempotent). */
  removeTemp(dir: string): void {
    rmSync(dir, { recursive: true, force: true })
  }

  /** Look up the manifest of `key` and verify its objects. Corrupt entries are removed so they get recomputed. */
  lookup(key: string): Lookup {
    const path = this.manifestPath(key)
    let manifest: Manifest
    try {
      manifest = JSON.parse(readFileSync(path, "utf8")) as Manifest
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return { status: "absent" }
      this.discard(key)
      return { status: "corrupt", reason: `manifest ${path} is unreadable` }
    }
    const problem = this.verifyFiles(manifest.key === key ? manifest.files : undefined)
    if (problem !== undefined) {
      this.discard(key)
      return { status: "corrupt", reason: problem }
    }
    const dir = this.outDir(key)
    this.ensureView(dir, manifest.files)
    return { status: "hit", manifest, dir }
  }

  /** Verify stored files through the stat cache; returns a problem description or undefined. */
  private verifyFiles(files: ReadonlyArray<StoredFile> | undefined, fresh = false): string | undefined {
    if (files === undefined) return "manifest does not match its key"
    for (const [rel, digest, size] of files) {
      const obj = this.objectPath(digest)
      let actual: string
      try {
        const stats = statSync(obj)
        if (stats.size !== size) return `object for ${rel} has ${stats.size} bytes, expected ${size}`
        actual = (fresh ? this.statCache.rehash(obj, stats) : this.statCache.digest(obj, stats)).digest
      } catch {
        return `object for ${rel} is missing`
      }
      if (actual !== digest) {
        this.statCache.forget(obj)
        rmSync(obj, { force: true })
        return `object for ${rel} is corrupt (sha256 ${actual.slice(0, 12)}…, expected ${digest.slice(0, 12)}…)`
      }
    }
    return undefined
  }

  /** Re-hash every object of a manifest from disk (used before a stage reads its inputs). */
  verifyFresh(manifest: Manifest): string | undefined {
    const problem = this.verifyFiles(manifest.files, true)
    if (problem !== undefined) this.discard(manifest.key)
    return problem
  }

  private discard(key: string): void {
    rmSync(this.manifestPath(key), { force: true })
    rmSync(this.outDir(key), { recursive: true, force: true })
  }

  /** Make sure the view folder holds every file (rebuild it when something is missing). */
  private ensureView(dir: string, files: ReadonlyArray<StoredFile>): void {
    if (files.every(([rel]) => existsSync(join(dir, rel)))) return
    const tmp = this.makeTemp("view")
    this.linkView(tmp, files)
    const old = `${dir}.old-${process.pid}-${randomBytes(3).toString("hex")}`
    try {
      renameSync(dir, old)
    } catch {
      // no old view
    }
    this.placeDir(tmp, dir)
    rmSync(old, { recursive: true, force: true })
  }

  private linkView(dir: string, files: ReadonlyArray<StoredFile>): void {
    for (const [rel, digest] of files) {
      const target = join(dir, rel)
      mkdirSync(dirname(target), { recursive: true })
      linkSync(this.objectPath(digest), target)
    }
  }

  /** Rename `tmp` to `dir`; if another process placed `dir` first, keep theirs. */
  private placeDir(tmp: string, dir: string): void {
    mkdirSync(dirname(dir), { recursive: true })
    try {
      renameSync(tmp, dir)
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code
      if (code !== "ENOTEMPTY" && code !== "EEXIST") throw e
      rmSync(tmp, { recursive: true, force: true })
    }
  }

  /** Move every file under `from` into the object store; returns the sorted file list. */
  ingest(from: string): StoredFile[] {
    const files: StoredFile[] = []
    const walk = (dir: string, prefix: string) => {
      for (const d of readdirSync(dir, { withFileTypes: true })) {
        const abs = join(dir, d.name)
        const rel = prefix === "" ? d.name : `${prefix}/${d.name}`
        if (d.isDirectory()) walk(abs, rel)
        else if (d.isFile()) {
          const { digest, size } = this.statCache.rehash(abs)
          this.statCache.forget(abs)
          const obj = this.objectPath(digest)
          if (existsSync(obj) && statSync(obj).size === size) rmSync(abs)
          else {
            mkdirSync(dirname(obj), { recursive: true })
            chmodSync(abs, 0o444)
            renameSync(abs, obj)
          }
          files.push([rel, digest, size])
        }
      }
    }
    walk(from, "")
    return files.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
  }

  /** Commit the outputs written to `outTmp` under `key`: objects, view, then the manifest (the commit point). */
  commit(key: string, outTmp: string, entry: Omit<Manifest, "format" | "key" | "files" | "outputDigest" | "createdAt">): Manifest {
    const files = this.ingest(outTmp)
    const manifest: Manifest = {
      format: storeFormat,
      key,
      files,
      outputDigest: outputDigestOf(files, entry.value),
      createdAt: new Date().toISOString(),
      ...entry,
    }
    const view = this.makeTemp("view")
    this.linkView(view, files)
    this.placeDir(view, this.outDir(key))
    this.ensureView(this.outDir(key), files)
    writeFileAtomic(this.manifestPath(key), JSON.stringify(manifest, null, 1))
    return manifest
  }

  /** Try to take the per-key lock; returns a release function, or the pid of a live holder. */
  tryLock(key: string): { readonly release: () => void } | { readonly heldBy: number } {
    const path = join(this.root, "locks", `${key}.lock`)
    mkdirSync(dirname(path), { recursive: true })
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fd = openSync(path, "wx")
        writeFileSync(fd, String(process.pid))
        closeSync(fd)
        return { release: () => rmSync(path, { force: true }) }
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e
        const pid = Number(readFileSafe(path))
        if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) return { heldBy: pid }
        rmSync(path, { force: true }) // stale: its holder died
      }
    }
    return { heldBy: -1 }
  }

  /** Keep a folder listing (by its Merkle digest) so later runs can say which files changed. */
  saveListing(digest: string, listing: ReadonlyArray<ListingEntry>): void {
    const path = join(this.root, "listings", `${digest}.json`)
    if (!existsSync(path)) writeFileAtomic(path, JSON.stringify(listing))
  }
  /** A listing saved earlier, if still there. */
  loadListing(digest: string): ReadonlyArray<ListingEntry> | undefined {
    const text = readFileSafe(join(this.root, "listings", `${digest}.json`))
    return text === undefined ? undefined : (JSON.parse(text) as ListingEntry[])
  }

  /** Remember the key record of the latest execution of `pipeline`/`instance`. */
  writeIndex(pipeline: string, instance: string, record: Json): void {
    writeFileAtomic(join(this.root, "index", pipeline, `${instance}.json`), JSON.stringify(record))
  }
  /** The key record remembered for `pipeline`/`instance`. */
  readIndex(pipeline: string, instance: string): Json | undefined {
    const text = readFileSafe(join(this.root, "index", pipeline, `${instance}.json`))
    try {
      return text === undefined ? undefined : (JSON.parse(text) as Json)
    } catch {
      return undefined
    }
  }

  /** Write a run record. */
  writeRun(id: string, record: Json): string {
    const path = join(this.root, "runs", `${id}.json`)
    writeFileAtomic(path, JSON.stringify(record, null, 1))
    return path
  }
  /** Ids of all run records, oldest first. */
  runIds(): string[] {
    try {
      return readdirSync(join(this.root, "runs"))
        .filter((f) => f.endsWith(".json"))
        .map((f) => f.slice(0, -5))
        .sort()
    } catch {
      return []
    }
  }
  /** A run record by id. */
  readRun(id: string): Json | undefined {
    const text = readFileSafe(join(this.root, "runs", `${id}.json`))
    return text === undefined ? undefined : (JSON.parse(text) as Json)
  }

  /** The checkpoints filed under `ckey`; scratch folders are created under `tmp/` and removed by `removeTemp`. */
  checkpoints(ckey: string, scratchDirs: string[]): Checkpoints {
    const base = join(this.root, "checkpoints", ckey)
    const read = (): Checkpoint[] => {
      let names: string[]
      try {
        names = readdirSync(base).filter((n) => /^step-\d+\.json$/.test(n))
      } catch {
        return []
      }
      const out: Checkpoint[] = []
      for (const name of names) {
        let m: { step: number; files: StoredFile[]; meta: Json; digest: string }
        try {
          m = JSON.parse(readFileSync(join(base, name), "utf8"))
        } catch {
          rmSync(join(base, name), { force: true })
          continue
        }
        const problem = this.verifyFiles(m.files)
        const dir = join(base, `step-${m.step}`)
        if (problem !== undefined) {
          process.stderr.write(`ganflow: checkpoint ${ckey.slice(0, 12)} step ${m.step} is corrupt (${problem}); ignoring it\n`)
          rmSync(join(base, name), { force: true })
          rmSync(dir, { recursive: true, force: true })
          continue
        }
        this.ensureView(dir, m.files)
        out.push({ step: m.step, dir, digest: m.digest, files: m.files.map(([p]) => p), meta: m.meta })
      }
      return out.sort((a, b) => a.step - b.step)
    }
    return {
      key: ckey,
      list: read,
      latest: () => read().at(-1),
      scratch: () => {
        const dir = this.makeTemp("checkpoint")
        scratchDirs.push(dir)
        return dir
      },
      save: (step, fromDir, meta = null) => {
        const files = this.ingest(fromDir)
        const digest = outputDigestOf(files, meta)
        const dir = join(base, `step-${step}`)
        const view = this.makeTemp("view")
        this.linkView(view, files)
        rmSync(dir, { recursive: true, force: true })
        this.placeDir(view, dir)
        writeFileAtomic(join(base, `step-${step}.json`), JSON.stringify({ step, files, meta, digest }))
        return { step, dir, digest, files: files.map(([p]) => p), meta }
      },
    }
  }

  /**
   * Remove what nothing references: objects not listed by any manifest or checkpoint, views without a
   * manifest, temp folders and locks of processes that are gone. With `keepLatestOnly`, manifests and
   * checkpoints not named by any pipeline's latest index are dropped first.
   */
  gc(options: { keepLatestOnly?: boolean } = {}): { removedObjects: number; freedBytes: number; removedManifests: number } {
    let removedManifests = 0
    const manifestsDir = join(this.root, "manifests")
    const keys = listFiles(manifestsDir).filter((f) => f.endsWith(".json")).map((f) => f.slice(0, -5))
    if (options.keepLatestOnly === true) {
      const live = new Set<string>()
      const liveCkpt = new Set<string>()
      for (const p of listFiles(join(this.root, "index"))) {
        for (const f of listFiles(join(this.root, "index", p))) {
          const rec = this.readIndex(p, f.replace(/\.json$/, "")) as { key?: string; checkpointKey?: string } | undefined
          if (rec?.key !== undefined) live.add(rec.key)
          if (rec?.checkpointKey !== undefined) liveCkpt.add(rec.checkpointKey)
        }
      }
      for (const k of keys) if (!live.has(k)) {
        this.discard(k)
        removedManifests++
      }
      for (const c of listFiles(join(this.root, "checkpoints"))) if (!liveCkpt.has(c)) rmSync(join(this.root, "checkpoints", c), { recursive: true, force: true })
    }
    const referenced = new Set<string>()
    for (const f of listFiles(manifestsDir)) {
      try {
        for (const [, d] of (JSON.parse(readFileSync(join(manifestsDir, f), "utf8")) as Manifest).files) referenced.add(d)
      } catch {
        rmSync(join(manifestsDir, f), { force: true })
      }
    }
    for (const c of listFiles(join(this.root, "checkpoints"))) {
      for (const f of listFiles(join(this.root, "checkpoints", c)).filter((n) => n.endsWith(".json"))) {
        try {
          for (const [, d] of (JSON.parse(readFileSync(join(this.root, "checkpoints", c, f), "utf8")) as { files: StoredFile[] }).files) referenced.add(d)
        } catch {
          // unreadable checkpoint manifests reference nothing
        }
      }
    }
    const liveKeys = new Set(listFiles(manifestsDir).map((f) => f.slice(0, -5)))
    for (const k of listFiles(join(this.root, "out"))) if (!liveKeys.has(k)) rmSync(join(this.root, "out", k), { recursive: true, force: true })
    let removedObjects = 0
    let freedBytes = 0
    for (const prefix of listFiles(join(this.root, "objects"))) {
      for (const rest of listFiles(join(this.root, "objects", prefix))) {
        if (referenced.has(prefix + rest)) continue
        const p = join(this.root, "objects", prefix, rest)
        freedBytes += lstatSync(p).size
        rmSync(p, { force: true })
        this.statCache.forget(p)
        removedObjects++
      }
    }
    for (const t of listFiles(join(this.root, "tmp"))) {
      const pid = Number(/-(\d+)-[0-9a-f]+$/.exec(t)?.[1])
      if (!isAlive(pid)) rmSync(join(this.root, "tmp", t), { recursive: true, force: true })
    }
    for (const l of listFiles(join(this.root, "locks"))) {
      const pid = Number(readFileSafe(join(this.root, "locks", l)))
      if (!isAlive(pid)) rmSync(join(this.root, "locks", l), { force: true })
    }
    this.statCache.save()
    return { removedObjects, freedBytes, removedManifests }
  }
}

const listFiles = (dir: string): string[] => {
  try {
    return readdirSync(dir)
  } catch {
    return []
  }
}

const readFileSafe = (path: string): string | undefined => {
  try {
    return readFileSync(path, "utf8")
  } catch {
    return undefined
  }
}

/** Path with forward slashes (for records). */
export const posixPath = (p: string): string => p.split(sep).join("/")
