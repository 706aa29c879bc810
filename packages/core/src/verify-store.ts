/**
 * `ganflow verify [--fix]`: re-read everything in the store and check it against its digests — objects against
 * their names, manifests, checkpoint manifests and run records against their seals, views against their
 * objects (same inode), and the advisory files (index, listings, stat cache) for being readable. It does not trust
 * the stat cache, so it finds what a run cannot: a same-size edit whose mtime and ctime were kept, or bit rot.
 * With `fix`, what is corrupt is removed so the next run recomputes it (views are rebuilt from their objects);
 * entries a live run holds are reported but left alone.
 */
import { existsSync, readFileSync, rmSync } from "node:fs"
import { join } from "node:path"
import { listFiles, StoreFileCorrupt, type Store } from "./store.ts"
import { removeTree } from "./internal/store-files.ts"

/** One problem found: what kind of store file, its path, what is wrong, and whether `fix` dealt with it. */
export interface StoreProblem {
  readonly kind: "object" | "manifest" | "view" | "checkpoint" | "run" | "index" | "listing" | "stat-cache"
  readonly path: string
  readonly problem: string
  readonly fixed: boolean
}

/** What a verification looked at and found. */
export interface VerifyResult {
  readonly checked: { objects: number; manifests: number; views: number; checkpoints: number; runs: number }
  readonly problems: ReadonlyArray<StoreProblem>
}

/** Verify the whole store; with `fix`, remove (or, for views, rebuild) what is corrupt. */
export const verifyStore = (store: Store, options: { readonly fix?: boolean } = {}): VerifyResult => {
  const fix = options.fix === true
  const held = new Set(store.locks.liveLocks().flatMap((l) => l.keys))
  const problems: StoreProblem[] = []
  const checked = { objects: 0, manifests: 0, views: 0, checkpoints: 0, runs: 0 }
  const report = (kind: StoreProblem["kind"], path: string, problem: string, repair: () => void, heldKey?: string) => {
    const canFix = fix && (heldKey === undefined || !held.has(heldKey))
    if (canFix) repair()
    problems.push({ kind, path, problem: canFix || !fix ? problem : `${problem} (left alone: a live run holds it)`, fixed: canFix })
  }

  // objects: each file's sha256 must be its name
  const badObjects = new Set<string>()
  for (const prefix of listFiles(join(store.root, "objects"))) {
    for (const rest of listFiles(join(store.root, "objects", prefix))) {
      const path = join(store.root, "objects", prefix, rest)
      checked.objects++
      let actual: string
      try {
        actual = store.objects.statCache.rehash(path).digest
      } catch (e) {
        report("object", path, `unreadable (${(e as Error).message})`, () => rmSync(path, { force: true }))
        badObjects.add(prefix + rest)
        continue
      }
      if (actual !== prefix + rest) {
        badObjects.add(prefix + rest)
        report("object", path, `content hashes to ${actual.slice(0, 12)}…, not its name`, () => {
          store.objects.statCache.forget(path)
          rmSync(path, { force: true })
        })
      }
    }
  }
  const objectProblem = (files: ReadonlyArray<readonly [string, string, number]>): string | undefined => {
    for (const [rel, digest] of files) {
      if (badObjects.has(digest)) return `its ${rel} is a corrupt object`
      if (!existsSync(store.objects.objectPath(digest))) return `its ${rel} object is missing`
    }
    return undefined
  }

  // manifests and their views
  for (const f of listFiles(join(store.root, "manifests")).filter((n) => n.endsWith(".json"))) {
    const key = f.slice(0, -5)
    const path = store.objects.manifestPath(key)
    checked.manifests++
    const read = store.objects.readManifest(key)
    if ("problem" in read) {
      report("manifest", path, read.problem, () => store.objects.discard(key), key)
      continue
    }
    if (!("manifest" in read)) continue
    const missing = objectProblem(read.manifest.files)
    if (missing !== undefined) {
      report("manifest", path, missing, () => store.objects.discard(key), key)
      continue
    }
    checked.views++
    const view = store.objects.outDir(key)
    const problem = store.objects.viewProblem(view, read.manifest.files)
    if (problem !== undefined) report("view", view, problem, () => store.objects.ensureView(view, read.manifest.files), key)
  }

  // checkpoints
  for (const c of listFiles(join(store.root, "checkpoints"))) {
    const dir = store.checkpoints.checkpointDir(c)
    for (const f of listFiles(dir).filter((n) => /^step-\d+\.json$/.test(n))) {
      const path = join(dir, f)
      const viewDir = join(dir, f.slice(0, -5))
      checked.checkpoints++
      const drop = () => {
        rmSync(path, { force: true })
        removeTree(viewDir)
      }
      const read = store.checkpoints.readCheckpointManifest(path)
      if ("problem" in read) {
        report("checkpoint", path, read.problem, drop, c)
        continue
      }
      const missing = objectProblem(read.manifest.files)
      if (missing !== undefined) {
        report("checkpoint", path, missing, drop, c)
        continue
      }
      const problem = store.objects.viewProblem(viewDir, read.manifest.files)
      if (problem !== undefined) report("view", viewDir, problem, () => store.objects.ensureView(viewDir, read.manifest.files), c)
    }
  }

  // run records
  for (const id of store.runs.runIds()) {
    checked.runs++
    try {
      store.runs.readRun(id)
    } catch (e) {
      if (!(e instanceof StoreFileCorrupt)) throw e
      report("run", store.runs.runPath(id), e.reason, () => rmSync(store.runs.runPath(id), { force: true }))
    }
  }

  // advisory files: they only explain reruns and save hashing, but a damaged one is still worth a line
  const parses = (path: string): string | undefined => {
    try {
      JSON.parse(readFileSync(path, "utf8"))
      return undefined
    } catch (e) {
      return `unreadable (${(e as Error).message})`
    }
  }
  for (const p of listFiles(join(store.root, "index"))) {
    for (const f of listFiles(join(store.root, "index", p))) {
      const path = join(store.root, "index", p, f)
      const problem = parses(path)
      if (problem !== undefined) report("index", path, problem, () => rmSync(path, { force: true }))
    }
  }
  for (const f of listFiles(join(store.root, "listings"))) {
    const path = join(store.root, "listings", f)
    const problem = parses(path)
    if (problem !== undefined) report("listing", path, problem, () => rmSync(path, { force: true }))
  }
  const statCachePath = join(store.root, "stat-cache.json")
  if (listFiles(store.root).includes("stat-cache.json")) {
    const problem = parses(statCachePath)
    if (problem !== undefined) report("stat-cache", statCachePath, problem, () => rmSync(statCachePath, { force: true }))
  }
  if (!fix || !problems.some((p) => p.kind === "stat-cache")) store.objects.statCache.save()
  return { checked, problems }
}
