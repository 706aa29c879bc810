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
 * entry or none. Manifests, checkpoint manifests and run records carry their own digest (`seal`); reads verify
 * it and the objects' digests (through the stat cache), and a view's files must be the very objects (same
 * inode), so a corrupt or tampered entry is a logged miss and is recomputed, never used.
 * A store that cannot be written (read-only mount) still serves cached entries.
 */
import {
  chmodSync, existsSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync,
  writeFileSync, openSync, closeSync,
} from "node:fs"
import { join, dirname, sep } from "node:path"
import { randomBytes } from "node:crypto"
import { canonicalJson, type Json } from "./canonical-json.ts"
import { sha256 } from "./digest.ts"
import { StatCache } from "./stat-cache.ts"
import type { ListingEntry } from "./input-digest.ts"
import type { Checkpoint, Checkpoints } from "./checkpoints.ts"
import { writeFileAtomic } from "./internal/atomic-write.ts"
import { withWriteCause } from "./internal/write-cause.ts"
import { removeTree, sealOf, unsealed } from "./internal/store-files.ts"

/** Store format version; part of every cache key. */
export const storeFormat = 1

/** Format of manifests written now: 2 carries `seal`, the digest of the manifest itself. */
export const manifestFormat = 2

/** A run record (or other store JSON) whose content does not match its seal or does not parse. */
export class StoreFileCorrupt extends Error {
  constructor(readonly path: string, readonly reason: string) {
    super(`${path} is corrupt (${reason}); \`ganflow verify --fix\` removes it`)
  }
}

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
  /** sha256 of the canonical manifest without this field (format 2). */
  readonly seal?: string
}

/** The JSON of a checkpoint manifest (`checkpoints/<ckey>/step-N.json`). */
export interface CheckpointManifest {
  readonly step: number
  readonly files: ReadonlyArray<StoredFile>
  readonly meta: Json
  readonly digest: string
  readonly seal?: string
}

/** The contents of a lock file: who holds it, since when, and which store keys its run is writing. */
export interface LockHolder {
  /** The lock file's name under `locks/`. */
  readonly file?: string
  readonly pid: number
  readonly since: number
  readonly keys: ReadonlyArray<string>
}

/** The result of looking up a key. */
export type Lookup =
  | { readonly status: "hit"; readonly manifest: Manifest; readonly dir: string }
  | { readonly status: "absent" }
  | { readonly status: "corrupt"; readonly reason: string }

/** The digest of a stage's outputs as downstream stages see it. */
export const outputDigestOf = (files: ReadonlyArray<StoredFile>, value: Json): string =>
  sha256(canonicalJson({ files: files.map(([p, d]) => [p, d]), value }))

/** Whether a process with this pid is running (ours always is). */
export const isAlive = (pid: number): boolean => {
  if (!Number.isInteger(pid) || pid <= 0) return false
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
  /** Where notices about repaired or skipped entries go (the runner routes them to its reporter). */
  warn: (line: string) => void = (line) => void process.stderr.write(`ganflow: ${line}\n`)
  constructor(readonly root: string) {
    try {
      mkdirSync(join(root, "tmp"), { recursive: true })
    } catch (e) {
      // a read-only store can still serve cached entries; writes fail later, naming the path
      const code = (e as NodeJS.ErrnoException).code
      if (code !== "EROFS" && code !== "EACCES" && code !== "EPERM") throw e
    }
    this.statCache = StatCache.load(join(root, "stat-cache.json"))
  }

  /** Path of the object holding `digest`. */
  objectPath(digest: string): string {
    return join(this.root, "objects", digest.slice(0, 2), digest.slice(2))
  }
  /** Path of the manifest of `key`. */
  manifestPath(key: string): string {
    return join(this.root, "manifests", `${key}.json`)
  }
  /** The read-only folder holding the outputs of `key`. */
  outDir(key: string): string {
    return join(this.root, "out", key)
  }

  /** A fresh temp folder whose name carries this process's pid (so `gc` knows when it is abandoned). */
  makeTemp(label: string): string {
    const dir = join(this.root, "tmp", `${label.replace(/[^\w.-]/g, "_")}-${process.pid}-${randomBytes(4).toString("hex")}`)
    withWriteCause(() => mkdirSync(dir, { recursive: true }))
    return dir
  }

  /** Remove the temp folders of processes that are gone (killed runs); returns how many. */
  pruneDeadTemps(): number {
    let removed = 0
    for (const t of listFiles(join(this.root, "tmp"))) {
      if (isAlive(Number(/-(\d+)-[0-9a-f]+$/.exec(t)?.[1]))) continue
      removeTree(join(this.root, "tmp", t))
      removed++
    }
    return removed
  }

  /** Remove a temp folder (idempotent). */
  removeTemp(dir: string): void {
    removeTree(dir)
  }

  /** Read and check a manifest: parses, matches its key, and (format 2) its seal. */
  readManifest(key: string): { readonly manifest: Manifest } | { readonly absent: true } | { readonly problem: string } {
    const path = this.manifestPath(key)
    let manifest: Manifest
    try {
      manifest = JSON.parse(readFileSync(path, "utf8")) as Manifest
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return { absent: true }
      return { problem: `manifest ${path} is unreadable (${(e as Error).message})` }
    }
    if (typeof manifest !== "object" || manifest === null || manifest.key !== key || !Array.isArray(manifest.files)) return { problem: `manifest ${path} does not match its key` }
    const sealed = manifest.format === 1 && !("seal" in manifest) ? undefined : sealOf(manifest as unknown as Record<string, Json>) === manifest.seal ? undefined : "does not match its seal (edited or damaged)"
    if (sealed !== undefined) return { problem: `manifest ${path} ${sealed}` }
    return { manifest }
  }

  /** Look up the manifest of `key` and verify it and its objects. Corrupt entries are removed so they get recomputed. */
  lookup(key: string): Lookup {
    const read = this.readManifest(key)
    if ("absent" in read) return { status: "absent" }
    if ("problem" in read) {
      this.discard(key)
      return { status: "corrupt", reason: read.problem }
    }
    const { manifest } = read
    const problem = this.verifyFiles(manifest.files)
    if (problem !== undefined) {
      this.discard(key)
      return { status: "corrupt", reason: problem }
    }
    const dir = this.outDir(key)
    const repaired = this.ensureView(dir, manifest.files)
    if (repaired !== undefined) this.warn(`view ${dir} ${repaired}; rebuilt it from the object store`)
    return { status: "hit", manifest, dir }
  }

  /** Verify stored files through the stat cache (or re-read with `fresh`); returns a problem description or undefined. */
  verifyFiles(files: ReadonlyArray<StoredFile>, fresh = false): string | undefined {
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
        this.dropCorruptObject(digest)
        return `object for ${rel} is corrupt (sha256 ${actual.slice(0, 12)}…, expected ${digest.slice(0, 12)}…; ${obj} removed)`
      }
    }
    return undefined
  }

  /**
   * Verify what a stage is about to read: re-hash every object of the manifest from disk and check that its
   * view holds exactly those objects (a view file replaced by another file is relinked, with a notice).
   * Returns a problem when an object is corrupt (the entry is then removed so it is recomputed).
   */
  verifyFresh(manifest: Manifest): string | undefined {
    const problem = this.verifyFiles(manifest.files, true)
    if (problem !== undefined) {
      this.discard(manifest.key)
      return problem
    }
    const dir = this.outDir(manifest.key)
    const repaired = this.ensureView(dir, manifest.files)
    if (repaired !== undefined) this.warn(`view ${dir} ${repaired}; rebuilt it from the object store before reading it`)
    return undefined
  }

  /**
   * Remove an object whose content no longer matches its name, and every other entry and checkpoint that lists
   * it: their views still link the damaged inode, so leaving them would keep showing the damaged bytes (and a
   * rerun that stores the same content again makes a new inode their views no longer match). Scans the
   * manifests, only when corruption was found.
   */
  private dropCorruptObject(digest: string): void {
    const obj = this.objectPath(digest)
    this.statCache.forget(obj)
    rmSync(obj, { force: true })
    const lists = (files: ReadonlyArray<StoredFile>) => files.some(([, d]) => d === digest)
    for (const f of listFiles(join(this.root, "manifests")).filter((n) => n.endsWith(".json"))) {
      const read = this.readManifest(f.slice(0, -5))
      if ("manifest" in read && lists(read.manifest.files)) this.discard(f.slice(0, -5))
    }
    for (const ckey of listFiles(join(this.root, "checkpoints"))) {
      const base = this.checkpointDir(ckey)
      for (const name of listFiles(base).filter((n) => /^step-\d+\.json$/.test(n))) {
        const read = this.readCheckpointManifest(join(base, name))
        if (!("manifest" in read) || !lists(read.manifest.files)) continue
        rmSync(join(base, name), { force: true })
        removeTree(join(base, name.slice(0, -5)))
      }
    }
  }

  /** Remove the entry of `key` (manifest and view) so it is recomputed. */
  discard(key: string): void {
    rmSync(this.manifestPath(key), { force: true })
    removeTree(this.outDir(key))
  }

  /**
   * What is wrong with a view folder, if anything: every file must be the object itself (a hard link: same
   * inode) and nothing else may be there. Costs one lstat per file.
   */
  viewProblem(dir: string, files: ReadonlyArray<StoredFile>): string | undefined {
    let present = 0
    for (const [rel, digest] of files) {
      let view, object
      try {
        view = lstatSync(join(dir, rel))
      } catch {
        return `is missing ${rel}`
      }
      try {
        object = statSync(this.objectPath(digest))
      } catch {
        return `names a missing object for ${rel}`
      }
      if (!view.isFile() || view.ino !== object.ino || view.dev !== object.dev) return `has a ${rel} that is not the stored object (replaced or edited)`
      present++
    }
    if (countFiles(dir) !== present) return "holds files that are not part of the entry"
    return undefined
  }

  /** Make sure the view folder holds exactly the entry's objects; rebuild it when not. Returns what was wrong. */
  ensureView(dir: string, files: ReadonlyArray<StoredFile>): string | undefined {
    const problem = this.viewProblem(dir, files)
    if (problem === undefined) return undefined
    const tmp = this.makeTemp("view")
    this.linkView(tmp, files)
    const old = `${dir}.old-${process.pid}-${randomBytes(3).toString("hex")}`
    try {
      renameSync(dir, old)
    } catch {
      // no old view
    }
    this.placeDir(tmp, dir)
    removeTree(old)
    return problem
  }

  private linkView(dir: string, files: ReadonlyArray<StoredFile>): void {
    for (const [rel, digest] of files) {
      const target = join(dir, rel)
      mkdirSync(dirname(target), { recursive: true })
      linkSync(this.objectPath(digest), target)
    }
    makeFoldersReadOnly(dir)
  }

  /** Rename `tmp` to `dir`; if another process placed `dir` first, keep theirs. */
  private placeDir(tmp: string, dir: string): void {
    mkdirSync(dirname(dir), { recursive: true })
    try {
      renameSync(tmp, dir)
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code
      if (code !== "ENOTEMPTY" && code !== "EEXIST") throw e
      removeTree(tmp)
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
    return withWriteCause(() => this.commitFiles(key, outTmp, entry))
  }

  private commitFiles(key: string, outTmp: string, entry: Omit<Manifest, "format" | "key" | "files" | "outputDigest" | "createdAt">): Manifest {
    const files = this.ingest(outTmp)
    const unsealedManifest: Manifest = {
      format: manifestFormat,
      key,
      files,
      outputDigest: outputDigestOf(files, entry.value),
      createdAt: new Date().toISOString(),
      ...entry,
    }
    // sealed as it will be read back (JSON turns a NaN metric into null)
    const asStored = JSON.parse(JSON.stringify(unsealedManifest)) as Manifest
    const manifest: Manifest = { ...asStored, seal: sealOf(asStored) }
    const view = this.makeTemp("view")
    this.linkView(view, files)
    this.placeDir(view, this.outDir(key))
    this.ensureView(this.outDir(key), files)
    writeReadOnly(this.manifestPath(key), JSON.stringify(manifest, null, 1))
    return manifest
  }

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

  /** Keep a folder listing (by its Merkle digest) so later runs can say which files changed. */
  saveListing(digest: string, listing: ReadonlyArray<ListingEntry>): void {
    const path = join(this.root, "listings", `${digest}.json`)
    if (!existsSync(path)) writeFileAtomic(path, JSON.stringify(listing))
  }
  /** A listing saved earlier, if still there. */
  loadListing(digest: string): ReadonlyArray<ListingEntry> | undefined {
    const text = readFileSafe(join(this.root, "listings", `${digest}.json`))
    try {
      return text === undefined ? undefined : (JSON.parse(text) as ListingEntry[])
    } catch {
      return undefined // listings only explain reruns; a damaged one explains less
    }
  }

  /** Remember the key record of the latest execution of `pipeline`/`instance`. */
  writeIndex(pipeline: string, instance: string, record: Json): void {
    withWriteCause(() => writeFileAtomic(join(this.root, "index", pipeline, `${instance}.json`), JSON.stringify(record)))
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

  /** Write a run record (sealed with its own digest). */
  writeRun(id: string, record: { readonly [key: string]: Json }): string {
    const path = this.runPath(id)
    const asStored = JSON.parse(JSON.stringify(record)) as { readonly [key: string]: Json }
    writeReadOnly(path, JSON.stringify({ ...asStored, seal: sealOf(asStored) }, null, 1))
    return path
  }
  /** Path of the run record `id`. */
  runPath(id: string): string {
    return join(this.root, "runs", `${id}.json`)
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
  /** A run record by id; throws {@link StoreFileCorrupt} naming the file when it does not parse or match its seal. */
  readRun(id: string): Json | undefined {
    const path = this.runPath(id)
    const text = readFileSafe(path)
    if (text === undefined) return undefined
    let record: { readonly [key: string]: Json }
    try {
      record = JSON.parse(text) as { readonly [key: string]: Json }
    } catch (e) {
      throw new StoreFileCorrupt(path, `not JSON: ${(e as Error).message}`)
    }
    if (typeof record !== "object" || record === null || Array.isArray(record)) throw new StoreFileCorrupt(path, "not a run record")
    const problem = sealProblemOf(record, runRecordFields)
    if (problem !== undefined) throw new StoreFileCorrupt(path, problem)
    return unsealed(record)
  }

  /** Path of the checkpoint folder of `ckey`. */
  checkpointDir(ckey: string): string {
    return join(this.root, "checkpoints", ckey)
  }

  /** Read and check a checkpoint manifest (`step-N.json`): parses, known fields, seal. */
  readCheckpointManifest(path: string): { readonly manifest: CheckpointManifest } | { readonly problem: string } {
    let m: CheckpointManifest
    try {
      m = JSON.parse(readFileSync(path, "utf8")) as CheckpointManifest
    } catch (e) {
      return { problem: `${path} is unreadable (${(e as Error).message})` }
    }
    if (typeof m !== "object" || m === null || !Number.isInteger(m.step) || !Array.isArray(m.files)) return { problem: `${path} is not a checkpoint manifest` }
    const sealProblem = sealProblemOf(m as unknown as Record<string, Json>, checkpointManifestFields)
    if (sealProblem !== undefined) return { problem: `${path} ${sealProblem}` }
    return { manifest: m }
  }

  /** The checkpoints filed under `ckey`; scratch folders are created under `tmp/` and removed by `removeTemp`. */
  checkpoints(ckey: string, scratchDirs: string[]): Checkpoints {
    const base = this.checkpointDir(ckey)
    const drop = (name: string, step: number | undefined, problem: string) => {
      this.warn(`checkpoint ${ckey.slice(0, 12)}${step === undefined ? "" : ` step ${step}`} is corrupt (${problem}); ignoring it`)
      rmSync(join(base, name), { force: true })
      if (step !== undefined) removeTree(join(base, `step-${step}`))
    }
    const read = (fresh: boolean, newestOnly: boolean): Checkpoint[] => {
      const names = listFiles(base)
        .filter((n) => /^step-\d+\.json$/.test(n))
        .sort((a, b) => Number(/\d+/.exec(b)![0]) - Number(/\d+/.exec(a)![0]))
      const out: Checkpoint[] = []
      for (const name of names) {
        const read = this.readCheckpointManifest(join(base, name))
        if ("problem" in read) {
          drop(name, undefined, read.problem)
          continue
        }
        const m = read.manifest
        const problem = this.verifyFiles(m.files, fresh)
        if (problem !== undefined) {
          drop(name, m.step, problem)
          continue
        }
        const dir = join(base, `step-${m.step}`)
        this.ensureView(dir, m.files)
        out.push({ step: m.step, dir, digest: m.digest, files: m.files.map(([p]) => p), meta: m.meta })
        if (newestOnly) break
      }
      return out.sort((a, b) => a.step - b.step)
    }
    return {
      key: ckey,
      list: () => read(false, false),
      // resuming reads the newest checkpoint's bytes from disk; a corrupt one is reported and the next older used
      latest: () => read(true, true).at(-1),
      scratch: () => {
        const dir = this.makeTemp("checkpoint")
        scratchDirs.push(dir)
        return dir
      },
      save: (step, fromDir, meta = null) => withWriteCause(() => {
        const files = this.ingest(fromDir)
        const digest = outputDigestOf(files, meta)
        const dir = join(base, `step-${step}`)
        const view = this.makeTemp("view")
        this.linkView(view, files)
        removeTree(dir)
        this.placeDir(view, dir)
        const manifest = JSON.parse(JSON.stringify({ step, files, meta, digest })) as CheckpointManifest
        writeReadOnly(join(base, `step-${step}.json`), JSON.stringify({ ...manifest, seal: sealOf(manifest) }))
        return { step, dir, digest, files: files.map(([p]) => p), meta }
      }),
    }
  }
}

/** Fields of a checkpoint manifest; one without `seal` and with only these was written before seals. */
const checkpointManifestFields = ["step", "files", "meta", "digest"]
/** Fields of a run record; one without `seal` and with only these was written before seals. */
export const runRecordFields = ["id", "pipeline", "status", "startedAt", "durationMs", "profile", "overrides", "host", "stages"]

/**
 * Why a sealed JSON record is not trustworthy, if it is not: its seal differs from its digest, or it has no seal
 * but a field an unsealed (older) record never had, which is what a damaged `seal` key looks like.
 */
export const sealProblemOf = (record: Record<string, Json>, unsealedFields: ReadonlyArray<string>): string | undefined => {
  if ("seal" in record) return sealOf(record) === record["seal"] ? undefined : "does not match its seal (edited or damaged)"
  const extra = Object.keys(record).find((k) => !unsealedFields.includes(k))
  return extra === undefined ? undefined : `has no seal and an unknown field "${extra}" (damaged)`
}

/** Write a file atomically and make it read-only. */
const writeReadOnly = (path: string, data: string): void => {
  writeFileAtomic(path, data)
  chmodSync(path, 0o444)
}

/** Make every folder under (and including) `dir` read-only, as a view must stay. */
const makeFoldersReadOnly = (dir: string): void => {
  for (const d of readdirSync(dir, { withFileTypes: true })) if (d.isDirectory()) makeFoldersReadOnly(join(dir, d.name))
  chmodSync(dir, 0o555)
}

/** Number of files under `dir` (0 when it does not exist). */
const countFiles = (dir: string): number => {
  let n = 0
  for (const d of readdirSafe(dir)) n += d.isDirectory() ? countFiles(join(dir, d.name)) : 1
  return n
}

const readdirSafe = (dir: string) => {
  try {
    return readdirSync(dir, { withFileTypes: true })
  } catch {
    return []
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

/** Names in a folder (none when it does not exist). */
export const listFiles = (dir: string): string[] => {
  try {
    return readdirSync(dir)
  } catch {
    return []
  }
}

/** A file's text, or undefined when it cannot be read. */
export const readFileSafe = (path: string): string | undefined => {
  try {
    return readFileSync(path, "utf8")
  } catch {
    return undefined
  }
}

/** Path with forward slashes (for records). */
export const posixPath = (p: string): string => p.split(sep).join("/")
