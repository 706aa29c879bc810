/**
 * The object store: content-addressed objects, sealed stage manifests (the commit point of an entry), read-only
 * views of entries, and the temp folders writes go through.
 *
 * ```
 * objects/ab/cdef…        every output file, by sha256, read-only
 * manifests/<key>.json    one per stage execution: files, returned value, metrics, env (the commit point)
 * out/<key>/…             a read-only view of a manifest's files (hard links to objects)
 * tmp/                    writes in progress, named with the writer's pid
 * ```
 * Outputs are moved into `objects/`, then the view is placed, then the manifest is written; a reader verifies the
 * manifest's seal, the objects' digests (through the stat cache) and that a view's files are the very objects
 * (same inode), so a corrupt or tampered entry is a logged miss and is recomputed, never used.
 */
import { chmodSync, existsSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs"
import { dirname, join } from "node:path"
import { randomBytes } from "node:crypto"
import { hostname } from "node:os"
import type { Json } from "../canonical-json.ts"
import { StatCache } from "../stat-cache.ts"
import { withWriteCause } from "../internal/write-cause.ts"
import { countFiles, isAlive, listFiles, makeFoldersReadOnly, removeTree, sealOf, writeReadOnly } from "../internal/store-files.ts"
import { manifestFormat, outputDigestOf, type Lookup, type Manifest, type ObjectStoreApi, type StoredFile } from "./store-types.ts"

/** This machine's name as temp folder names carry it (`@` and `/` replaced; the pid and random parts delimit it). */
const thisHost = hostname().replace(/[@/]/g, "_")

/** The object store in a local (or shared-filesystem) folder. Synchronous file system work; the runner wraps it. */
export class LocalObjectStore implements ObjectStoreApi {
  readonly statCache: StatCache
  /** Where notices about repaired or skipped entries go (the runner routes them to its reporter). */
  warn: (line: string) => void = (line) => void process.stderr.write(`ganflow: ${line}\n`)
  private readonly droppedListeners: Array<(digest: string) => void> = []
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

  /** Call `listener` with the digest of every object removed as corrupt (so checkpoints listing it go too). */
  onObjectDropped(listener: (digest: string) => void): void {
    this.droppedListeners.push(listener)
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

  /**
   * A fresh temp folder whose name carries this process's pid and host (`<label>-<pid>@<host>-<random>`), so `gc`
   * knows when it is abandoned, and a process on another machine sharing the store (a Slurm node) leaves it alone.
   */
  makeTemp(label: string): string {
    const dir = join(this.root, "tmp", `${label.replace(/[^\w.-]/g, "_")}-${process.pid}@${thisHost}-${randomBytes(4).toString("hex")}`)
    withWriteCause(() => mkdirSync(dir, { recursive: true }))
    return dir
  }

  /**
   * Remove the temp folders of processes of this host that are gone (killed runs); returns how many. Those of
   * other hosts are kept: their pids cannot be checked from here (`gc` on a shared store leaves them too).
   */
  pruneDeadTemps(): number {
    let removed = 0
    for (const t of listFiles(join(this.root, "tmp"))) {
      const owner = /-(\d+)(?:@([^@/]+))?-[0-9a-f]+$/.exec(t)
      if (owner?.[2] !== undefined && owner[2] !== thisHost) continue
      if (isAlive(Number(owner?.[1]))) continue
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
    for (const listener of this.droppedListeners) listener(digest)
    const obj = this.objectPath(digest)
    this.statCache.forget(obj)
    rmSync(obj, { force: true })
    const lists = (files: ReadonlyArray<StoredFile>) => files.some(([, d]) => d === digest)
    for (const f of listFiles(join(this.root, "manifests")).filter((n) => n.endsWith(".json"))) {
      const read = this.readManifest(f.slice(0, -5))
      if ("manifest" in read && lists(read.manifest.files)) this.discard(f.slice(0, -5))
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

  /** Fill `dir` with hard links to the objects of `files` and make it read-only. */
  linkView(dir: string, files: ReadonlyArray<StoredFile>): void {
    for (const [rel, digest] of files) {
      const target = join(dir, rel)
      mkdirSync(dirname(target), { recursive: true })
      linkSync(this.objectPath(digest), target)
    }
    makeFoldersReadOnly(dir)
  }

  /** Rename `tmp` to `dir`; if another process placed `dir` first, keep theirs. */
  placeDir(tmp: string, dir: string): void {
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
}
