/**
 * Whole-store sync with a remote, for `ganflow push` and `ganflow pull`: every entry and run record, through
 * the per-entry protocol of `@ganflow/core/remote-sync` (objects first, manifest last; everything verified).
 * One listing of the remote's objects and manifests replaces a request per object.
 */
import { Effect } from "effect"
import { listFiles, pullEntry, pullRun, pushEntry, pushRun, type RemoteAccessError, type RemoteNotFound, type RemoteObjectCorrupt, type RemoteStore, type Store, type StoreIOError } from "@ganflow/core"
import { join } from "node:path"

/** What a push did. */
export interface PushSummary {
  readonly entries: number
  /** Entries the remote already had (the first manifest of a key wins). */
  readonly alreadyThere: number
  readonly objects: number
  readonly bytes: number
  readonly runs: number
  /** Local entries that were corrupt (removed locally, not uploaded), with why. */
  readonly skipped: ReadonlyArray<string>
}

/** What a pull did. */
export interface PullSummary {
  readonly entries: number
  readonly objects: number
  readonly bytes: number
  readonly runs: number
  /** Remote entries that could not be pulled (corrupt, or an object missing), with why; nothing of them is committed. */
  readonly failed: ReadonlyArray<string>
}

/** Entries pushed or pulled at once (each transfers up to 4 objects at once). */
const entriesAtOnce = 4

/** Upload every local entry and run record the remote lacks. */
export const pushStore = (store: Store, remote: RemoteStore): Effect.Effect<PushSummary, RemoteAccessError | StoreIOError> =>
  Effect.gen(function* () {
    const remoteKeys = new Set((yield* remote.list("manifests")).map((l) => l.name))
    const remoteObjects = new Set((yield* remote.list("objects")).map((l) => l.name))
    const keys = listFiles(join(store.root, "manifests")).filter((f) => f.endsWith(".json")).map((f) => f.slice(0, -5))
    const skipped: string[] = []
    let entries = 0, objects = 0, bytes = 0
    yield* Effect.forEach(keys.filter((k) => !remoteKeys.has(k)), (key) =>
      pushEntry(store, remote, key, { remoteHasObject: (d) => Effect.succeed(remoteObjects.has(d)) }).pipe(
        Effect.map((r) => {
          entries++
          objects += r.uploadedObjects
          bytes += r.uploadedBytes
        }),
        Effect.catchTag("LocalEntryUnusable", (e) => Effect.sync(() => void skipped.push(e.message))),
      ), { concurrency: entriesAtOnce, discard: true })
    const remoteRuns = new Set((yield* remote.list("runs")).map((l) => l.name))
    let runs = 0
    for (const id of store.runs.runIds().filter((r) => !remoteRuns.has(r))) {
      if ((yield* pushRun(store, remote, id)) === "stored") runs++
    }
    return { entries, alreadyThere: keys.length - entries - skipped.length, objects, bytes, runs, skipped }
  })

/**
 * Download what the local store lacks: with `runId`, that run record and the entries its stages used; without,
 * every entry and run record on the remote.
 */
export const pullStore = (
  store: Store,
  remote: RemoteStore,
  runId?: string,
): Effect.Effect<PullSummary, RemoteAccessError | RemoteNotFound | RemoteObjectCorrupt | StoreIOError> =>
  Effect.gen(function* () {
    let keys: string[]
    let runIds: string[]
    let runs = 0
    if (runId !== undefined) {
      if ((yield* pullRun(store, remote, runId)) === "stored") runs++
      const record = store.runs.readRun(runId) as { stages?: ReadonlyArray<{ key?: string; status?: string }> } | undefined
      keys = (record?.stages ?? []).filter((s) => (s.status === "ran" || s.status === "cached") && typeof s.key === "string").map((s) => s.key!)
      runIds = [runId]
    } else {
      keys = (yield* remote.list("manifests")).map((l) => l.name)
      runIds = (yield* remote.list("runs")).map((l) => l.name)
    }
    const failed: string[] = []
    let entries = 0, objects = 0, bytes = 0
    yield* Effect.forEach([...new Set(keys)], (key) =>
      pullEntry(store, remote, key).pipe(
        Effect.map((r) => {
          if (r.source === "remote") entries++
          objects += r.downloadedObjects
          bytes += r.downloadedBytes
        }),
        Effect.catchTags({
          RemoteObjectCorrupt: (e) => Effect.sync(() => void failed.push(e.message)),
          RemoteNotFound: (e) => Effect.sync(() => void failed.push(`entry ${key}: ${e.message}`)),
        }),
      ), { concurrency: entriesAtOnce, discard: true })
    if (runId === undefined) {
      const local = new Set(store.runs.runIds())
      for (const id of runIds.filter((r) => !local.has(r))) {
        const pulled = yield* pullRun(store, remote, id).pipe(
          Effect.catchTag("RemoteObjectCorrupt", (e) => Effect.sync(() => void failed.push(e.message))),
        )
        if (pulled === "stored") runs++
      }
    }
    return { entries, objects, bytes, runs, failed }
  })
