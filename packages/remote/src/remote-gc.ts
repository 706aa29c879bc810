/**
 * `ganflow gc --remote <name>`: remove from a remote what no entry can use. Entries are the remote's sealed
 * manifests; the collection removes
 *
 * - manifests that do not verify (they are never used) and manifests naming an object the remote lacks (such an
 *   entry can never be pulled: its object was lost or removed as corrupt);
 * - objects no manifest names, once older than the grace period: a push uploads its objects before its
 *   manifest, so a young unreferenced object may belong to a push in progress;
 * - temp files of abandoned uploads older than the grace period (shared-folder remotes).
 *
 * Run records are kept (they are small and say what was computed). A push racing the collection at worst
 * publishes an entry whose object the collection removed; pulling it then fails with RemoteNotFound, which the
 * runner treats as a miss and recomputes, and the next push of that entry uploads the object again.
 */
import { Effect } from "effect"
import type { RemoteAccessError, RemoteStore } from "@ganflow/core"

/** What a remote collection removed. */
export interface RemoteGcResult {
  readonly removedObjects: number
  readonly freedBytes: number
  readonly removedManifests: number
  readonly removedUploads: number
  readonly keptEntries: number
}

/** Default grace period: objects and uploads younger than this are left alone. */
export const remoteGcGraceMs = 60 * 60 * 1000

/** Collect the remote's garbage (see the module comment). */
export const collectRemoteGarbage = (remote: RemoteStore, options: { readonly graceMs?: number; readonly now?: number } = {}): Effect.Effect<RemoteGcResult, RemoteAccessError> =>
  Effect.gen(function* () {
    const graceMs = options.graceMs ?? remoteGcGraceMs
    const now = options.now ?? Date.now()
    // objects are listed before manifests: an object uploaded after this listing is not a candidate at all
    const objects = yield* remote.list("objects")
    const present = new Set(objects.map((o) => o.name))
    const manifests = yield* remote.list("manifests")
    const referenced = new Set<string>()
    let removedManifests = 0
    let keptEntries = 0
    yield* Effect.forEach(manifests, (m) =>
      remote.getManifest(m.name).pipe(
        Effect.flatMap((manifest) => {
          if (manifest.files.every(([, digest]) => present.has(digest) || referenced.has(digest))) {
            for (const [, digest] of manifest.files) referenced.add(digest)
            keptEntries++
            return Effect.void
          }
          removedManifests++
          return remote.remove("manifests", m.name)
        }),
        // a corrupt manifest was removed by getManifest; one removed meanwhile is gone already
        Effect.catchTags({ RemoteObjectCorrupt: () => Effect.sync(() => void removedManifests++), RemoteNotFound: () => Effect.void }),
      ), { concurrency: 8, discard: true })
    let removedObjects = 0
    let freedBytes = 0
    const garbage = objects.filter((o) => !referenced.has(o.name) && now - o.modifiedMs >= graceMs)
    yield* Effect.forEach(garbage, (o) =>
      remote.remove("objects", o.name).pipe(Effect.tap(() => Effect.sync(() => {
        removedObjects++
        freedBytes += o.size
      }))), { concurrency: 8, discard: true })
    const removedUploads = yield* remote.removeAbandonedUploads(graceMs)
    return { removedObjects, freedBytes, removedManifests, removedUploads, keptEntries }
  })
