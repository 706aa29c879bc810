/**
 * `ganflow gc`: remove what nothing references, and apply the retention policies. Never touches what a live
 * run holds: the cache and checkpoint keys named in its lock, its temp folders, and objects it may be moving
 * into the store right now (changed since the oldest live lock was taken).
 *
 * Policies: `keepLatestOnly` drops entries no pipeline's latest run uses; `olderThanMs` drops run records older
 * than that and the entries only they used; `keepCheckpoints` prunes resume checkpoints per training stage:
 * `auto` (default) keeps the last and every step a recorded metric refers to, `best` the last and the best step
 * of the stage's first FID/KID/IS series, `N` the last N, `all` everything.
 */
import { lstatSync, rmSync, statSync } from "node:fs"
import { join } from "node:path"
import type { KeyRecord } from "./cache-key.ts"
import { listFiles, StoreFileCorrupt, type Store } from "./store.ts"
import { removeTree } from "./internal/store-files.ts"

/** Which resume checkpoints `gc` keeps per training stage. */
export type CheckpointRetention = "auto" | "best" | "all" | number

/** Options of a collection. */
export interface GcOptions {
  readonly keepLatestOnly?: boolean
  readonly keepCheckpoints?: CheckpointRetention
  /** Remove run records older than this many milliseconds, and the entries only they used. */
  readonly olderThanMs?: number
  /** Clock for `olderThanMs` (tests). */
  readonly now?: number
}

/** What a collection removed. */
export interface GcResult {
  readonly removedObjects: number
  readonly freedBytes: number
  readonly removedManifests: number
  readonly removedCheckpoints: number
  readonly removedRuns: number
  readonly removedTemps: number
  /** Keys left alone because a live run holds them. */
  readonly protectedKeys: number
}

interface IndexEntry {
  readonly pipeline: string
  readonly instance: string
  readonly key?: string
  readonly checkpointKey?: string
  readonly record?: KeyRecord
}

const indexEntries = (store: Store): IndexEntry[] => {
  const out: IndexEntry[] = []
  for (const p of listFiles(join(store.root, "index"))) {
    for (const f of listFiles(join(store.root, "index", p))) {
      const instance = f.replace(/\.json$/, "")
      const rec = store.history.readIndex(p, instance) as Omit<IndexEntry, "pipeline" | "instance"> | undefined
      if (rec !== undefined) out.push({ pipeline: p, instance, ...rec })
    }
  }
  return out
}

/** Steps of a checkpoint folder, from its `step-N.json` names. */
const checkpointSteps = (dir: string): number[] =>
  listFiles(dir)
    .map((n) => /^step-(\d+)\.json$/.exec(n)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b)

/** The metric series recorded by stages that read the training stages filed under each checkpoint key. */
const seriesByCheckpointKey = (store: Store, index: ReadonlyArray<IndexEntry>) => {
  const out = new Map<string, Array<[name: string, points: ReadonlyArray<readonly [number, number]>]>>()
  for (const train of index) {
    if (train.checkpointKey === undefined) continue
    for (const reader of index) {
      if (reader.pipeline !== train.pipeline || reader.key === undefined || reader.record === undefined) continue
      const readsTrain = Object.values(reader.record.inputs).some((i) => i.kind === "upstream" && i.stage === train.instance)
      if (!readsTrain) continue
      const read = store.objects.readManifest(reader.key)
      if (!("manifest" in read)) continue
      for (const [name, points] of Object.entries(read.manifest.metricSeries ?? {})) {
        const list = out.get(train.checkpointKey) ?? []
        list.push([name, points])
        out.set(train.checkpointKey, list)
      }
    }
  }
  return out
}

/** The best step of the first FID, KID or IS series (lower is better for distances, higher for IS). */
const bestStep = (series: ReadonlyArray<[string, ReadonlyArray<readonly [number, number]>]>): number | undefined => {
  for (const [pattern, lowerIsBetter] of [[/^fid/i, true], [/^kid/i, true], [/^is\b|^is@/i, false]] as const) {
    const found = series.find(([name]) => pattern.test(name))
    if (found === undefined || found[1].length === 0) continue
    const pts = found[1].filter(([, v]) => Number.isFinite(v))
    if (pts.length === 0) continue
    return pts.reduce((best, p) => ((lowerIsBetter ? p[1] < best[1] : p[1] > best[1]) ? p : best))[0]
  }
  return undefined
}

const stepsToKeep = (steps: ReadonlyArray<number>, policy: CheckpointRetention, series: ReadonlyArray<[string, ReadonlyArray<readonly [number, number]>]>): Set<number> => {
  if (policy === "all") return new Set(steps)
  const keep = new Set<number>(steps.length > 0 ? [steps.at(-1)!] : [])
  if (typeof policy === "number") for (const s of steps.slice(-policy)) keep.add(s)
  else if (policy === "best") {
    const best = bestStep(series)
    if (best !== undefined) keep.add(best)
  } else for (const [, points] of series) for (const [step] of points) keep.add(step)
  return keep
}

/** Collect garbage in `store` by `options`; see the module comment for what is kept. */
export const collectGarbage = (store: Store, options: GcOptions = {}): GcResult => {
  const live = store.locks.liveLocks()
  const held = new Set(live.flatMap((l) => l.keys))
  const liveSince = live.length > 0 ? Math.min(...live.map((l) => l.since)) : Infinity
  const manifestsDir = join(store.root, "manifests")
  const keys = () => listFiles(manifestsDir).filter((f) => f.endsWith(".json")).map((f) => f.slice(0, -5))
  const index = indexEntries(store)
  let removedManifests = 0
  let removedCheckpoints = 0
  let removedRuns = 0
  const discard = (key: string) => {
    if (held.has(key)) return
    store.objects.discard(key)
    removedManifests++
  }

  if (options.olderThanMs !== undefined) {
    const cutoff = (options.now ?? Date.now()) - options.olderThanMs
    const usedByKept = new Set<string>(index.flatMap((e) => (e.key === undefined ? [] : [e.key])))
    for (const id of store.runs.runIds()) {
      const path = store.runs.runPath(id)
      let record: { stages?: ReadonlyArray<{ key?: string }>; startedAt?: string } | undefined
      try {
        record = store.runs.readRun(id) as typeof record
      } catch (e) {
        if (!(e instanceof StoreFileCorrupt)) throw e
      }
      const started = record?.startedAt !== undefined ? Date.parse(record.startedAt) : statSync(path).mtimeMs
      if (started < cutoff) {
        rmSync(path, { force: true })
        removedRuns++
      } else for (const s of record?.stages ?? []) if (s.key !== undefined) usedByKept.add(s.key)
    }
    for (const k of keys()) if (!usedByKept.has(k)) discard(k)
  }

  if (options.keepLatestOnly === true) {
    const latest = new Set(index.flatMap((e) => (e.key === undefined ? [] : [e.key])))
    const latestCheckpoints = new Set(index.flatMap((e) => (e.checkpointKey === undefined ? [] : [e.checkpointKey])))
    for (const k of keys()) if (!latest.has(k)) discard(k)
    for (const c of listFiles(join(store.root, "checkpoints"))) {
      if (latestCheckpoints.has(c) || held.has(c)) continue
      removedCheckpoints += checkpointSteps(store.checkpoints.checkpointDir(c)).length
      removeTree(store.checkpoints.checkpointDir(c))
    }
  }

  const policy = options.keepCheckpoints ?? "auto"
  const series = seriesByCheckpointKey(store, index)
  for (const c of listFiles(join(store.root, "checkpoints"))) {
    if (held.has(c)) continue
    const dir = store.checkpoints.checkpointDir(c)
    const steps = checkpointSteps(dir)
    const keep = stepsToKeep(steps, policy, series.get(c) ?? [])
    for (const step of steps) {
      if (keep.has(step)) continue
      rmSync(join(dir, `step-${step}.json`), { force: true })
      removeTree(join(dir, `step-${step}`))
      removedCheckpoints++
    }
  }

  const referenced = new Set<string>()
  for (const k of keys()) {
    const read = store.objects.readManifest(k)
    if ("manifest" in read) for (const [, d] of read.manifest.files) referenced.add(d)
    else if ("problem" in read) discard(k)
  }
  for (const c of listFiles(join(store.root, "checkpoints"))) {
    const dir = store.checkpoints.checkpointDir(c)
    for (const f of listFiles(dir).filter((n) => n.endsWith(".json"))) {
      const read = store.checkpoints.readCheckpointManifest(join(dir, f))
      if ("manifest" in read) for (const [, d] of read.manifest.files) referenced.add(d)
    }
    // views of checkpoints whose manifest is gone
    for (const v of listFiles(dir).filter((n) => /^step-\d+$/.test(n))) if (!listFiles(dir).includes(`${v}.json`) && !held.has(c)) removeTree(join(dir, v))
  }
  const liveKeys = new Set(keys())
  for (const k of listFiles(join(store.root, "out"))) if (!liveKeys.has(k) && !held.has(k)) removeTree(join(store.root, "out", k))

  let removedObjects = 0
  let freedBytes = 0
  for (const prefix of listFiles(join(store.root, "objects"))) {
    for (const rest of listFiles(join(store.root, "objects", prefix))) {
      if (referenced.has(prefix + rest)) continue
      const p = join(store.root, "objects", prefix, rest)
      const stats = lstatSync(p)
      if (stats.ctimeMs >= liveSince) continue // a live run may be committing it right now
      freedBytes += stats.size
      rmSync(p, { force: true })
      store.objects.statCache.forget(p)
      removedObjects++
    }
  }
  const removedTemps = store.objects.pruneDeadTemps()
  const liveLockFiles = new Set(store.locks.liveLocks().map((h) => h.file))
  for (const l of listFiles(join(store.root, "locks"))) if (!liveLockFiles.has(l)) rmSync(join(store.root, "locks", l), { force: true })
  store.objects.statCache.save()
  return { removedObjects, freedBytes, removedManifests, removedCheckpoints, removedRuns, removedTemps, protectedKeys: held.size }
}

/** Parse an age like `30d`, `12h`, `90m`, `45s` into milliseconds; throws a TypeError naming the value. */
export const parseAge = (text: string): number => {
  const m = /^(\d+(?:\.\d+)?)\s*(d|h|m|s)$/.exec(text.trim())
  if (m === null) throw new TypeError(`--older-than must be a number with d, h, m or s (like 30d), was ${JSON.stringify(text)}`)
  return Number(m[1]) * { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000 }[m[2] as "d" | "h" | "m" | "s"]
}

/** Parse `--keep-checkpoints N|best|all|auto`; throws a TypeError naming the value. */
export const parseCheckpointRetention = (text: string): CheckpointRetention => {
  if (text === "auto" || text === "best" || text === "all") return text
  const n = Number(text)
  if (Number.isInteger(n) && n >= 1) return n
  throw new TypeError(`--keep-checkpoints must be a positive count, best, all or auto (was ${JSON.stringify(text)})`)
}

