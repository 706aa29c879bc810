/**
 * A run's use of a remote cache (`ganflow run --remote <name>`): the lookup after the local store, the downloads
 * the run needs, and the uploads after it.
 *
 * A stage that misses locally is looked up on the remote; a verified remote manifest is a hit. Its files are
 * downloaded only when needed: at once for the stages holding the pipeline's results (or every stage with
 * `pullAll`), later for an upstream of a stage that must run (the runner asks, see `materialize` in the runner).
 * A hit whose downstream stages are all hits is never downloaded: its manifest's `outputDigest` is all their keys
 * need. A download that does not verify (a corrupt or missing object) is reported, the remote's broken entry is
 * removed so the upload after the recompute replaces it, and the stage is recomputed. The remote failing mid-run
 * (unreachable, server errors) is one warning; the rest of the run computes locally and uploads nothing. A refused
 * upload (read-only credentials) is one warning too; lookups and downloads go on, uploads stop.
 * Entries computed by the run are uploaded once committed (objects first, the manifest last), in the background,
 * and the run record after them.
 */
import { Effect, Either, FiberSet, type Scope } from "effect"
import { describeCause } from "./errors.ts"
import type { RemoteAccessError } from "./remote-errors.ts"
import type { RemoteStore } from "./remote-store.ts"
import { lookupLocalThenRemote, pullEntry, pushEntry, pushRun, type PulledEntry } from "./remote-sync.ts"
import type { Reporter } from "./reporter.ts"
import type { Manifest, Store } from "./store.ts"

/** The remote cache of a run (`RunOptions.remote`). */
export interface RunRemoteOptions {
  readonly store: RemoteStore
  /** Download every remote hit (`--pull-all`), not only the results' stages and what stages that run read. */
  readonly pullAll?: boolean
}

/** How a stage's remote hit travelled (in its run outcome): downloaded or not, and how much. */
export interface RemoteHitRecord {
  readonly remote: string
  readonly downloaded: boolean
  readonly objects: number
  readonly bytes: number
}

/** A run's remote cache (see the module comment); every operation reports its failures and never fails. */
export interface RunRemote {
  /** The remote's name, or undefined for a run without one. */
  readonly name: string | undefined
  /** The remote's verified manifest of `key`; undefined when it has none, it is corrupt, or the remote failed (reported). */
  readonly find: (stage: string, key: string) => Effect.Effect<Manifest | undefined>
  /** Whether a remote hit of `stage` is downloaded at once (it holds results, or every hit is wanted). */
  readonly wanted: (stage: string) => boolean
  /** Download the entry `key`; Left with the reason (reported) when it cannot be used and the stage must be recomputed. */
  readonly download: (stage: string, key: string, manifest: Manifest) => Effect.Effect<Either.Either<PulledEntry, string>>
  /** Upload the committed entry `key` in the background. */
  readonly upload: (stage: string, key: string) => Effect.Effect<void>
  /** Wait for the uploads started so far. */
  readonly settle: Effect.Effect<void>
  /** Upload the run record `id` (undefined: none was written). */
  readonly uploadRun: (id: string | undefined) => Effect.Effect<void>
}

/** The remote part of a run without a remote: every lookup misses, nothing travels. */
const noRemote: RunRemote = {
  name: undefined,
  find: () => Effect.succeed(undefined),
  wanted: () => false,
  download: () => Effect.succeed(Either.left("no remote")),
  upload: () => Effect.void,
  settle: Effect.void,
  uploadRun: () => Effect.void,
}

/**
 * The remote part of a run on `store`: `options` absent gives a run without a remote. `results` are the stages
 * holding the pipeline's declared results (downloaded on a hit).
 */
export const runRemote = (
  store: Store,
  options: RunRemoteOptions | undefined,
  results: ReadonlyArray<string>,
  reporter: Reporter,
): Effect.Effect<RunRemote, never, Scope.Scope> =>
  Effect.gen(function* () {
    if (options === undefined) return noRemote
    const remote = options.store
    const uploads = yield* FiberSet.make()
    const warn = (message: string) => reporter.event({ type: "warning", message })
    /** Set once the remote fails: the rest of the run neither asks nor uploads (one warning, not one per stage). */
    let failed = false
    const offline = (what: string) => (e: RemoteAccessError) =>
      Effect.sync(() => {
        if (!failed) warn(`${e.message} (${what}); this run computes locally and uploads nothing`)
        failed = true
      })
    const find: RunRemote["find"] = (stage, key) =>
      failed
        ? Effect.succeed(undefined)
        : lookupLocalThenRemote(store, remote, key).pipe(
            Effect.map((found) => {
              if (found.status === "corrupt") warn(`${stage}: ${found.reason}; recomputing`)
              // `local`: another process committed it meanwhile (a download then returns at once)
              return found.status === "remote" || found.status === "local" ? found.manifest : undefined
            }),
            Effect.catchTags({
              StoreIOError: (e) => Effect.sync(() => warn(`${stage}: ${e.message}`)).pipe(Effect.as(undefined)),
              RemoteUnreachable: (e) => offline(`looking up ${stage}`)(e).pipe(Effect.as(undefined)),
              RemoteAccessDenied: (e) => offline(`looking up ${stage}`)(e).pipe(Effect.as(undefined)),
              RemoteRequestFailed: (e) => offline(`looking up ${stage}`)(e).pipe(Effect.as(undefined)),
            }),
          )
    const download: RunRemote["download"] = (stage, key, manifest) =>
      pullEntry(store, remote, key, { manifest }).pipe(
        Effect.map((pulled) => Either.right(pulled)),
        Effect.catchAll((e) =>
          Effect.gen(function* () {
            const reason = `${stage}: the remote entry could not be used (${e.message}); recomputing`
            if (e._tag === "RemoteObjectCorrupt" || e._tag === "RemoteNotFound") {
              // the entry is broken (an object is corrupt or gone): remove its manifest so the upload after the
              // recompute publishes a complete one instead of finding this one "there already"
              yield* remote.remove("manifests", key).pipe(Effect.ignore)
              warn(reason)
            } else if (e._tag === "StoreIOError") warn(`${stage}: downloading into the local store failed (${describeCause(e)}); recomputing`)
            else yield* offline(`downloading ${stage}`)(e)
            return Either.left(reason)
          }),
        ),
      )
    /** Set when the remote refuses an upload (read-only credentials): lookups and downloads go on, uploads stop. */
    let uploadsRefused = false
    const refused = (stage: string) => (e: RemoteAccessError) =>
      Effect.sync(() => {
        if (!uploadsRefused) warn(`${e.message} (uploading ${stage}); this run uploads nothing more (\`ganflow push ${remote.name}\` with write access uploads it later)`)
        uploadsRefused = true
      })
    const upload: RunRemote["upload"] = (stage, key) =>
      failed || uploadsRefused
        ? Effect.void
        : FiberSet.run(uploads)(
            pushEntry(store, remote, key).pipe(
              Effect.catchAll((e) =>
                e._tag === "LocalEntryUnusable" || e._tag === "StoreIOError"
                  ? Effect.sync(() => warn(`${stage}: not uploaded to ${remote.name}: ${e.message}`))
                  : e._tag === "RemoteAccessDenied"
                    ? refused(stage)(e)
                    : offline(`uploading ${stage}`)(e),
              ),
            ),
          ).pipe(Effect.asVoid)
    const uploadRun: RunRemote["uploadRun"] = (id) =>
      id === undefined || failed || uploadsRefused
        ? Effect.void
        : pushRun(store, remote, id).pipe(
            Effect.catchAll((e) => (e._tag === "StoreIOError" ? Effect.sync(() => warn(`run record not uploaded: ${e.message}`)) : offline("uploading the run record")(e))),
            Effect.asVoid,
          )
    const wantedStages = new Set(results)
    return { name: remote.name, find, wanted: (stage) => options.pullAll === true || wantedStages.has(stage), download, upload, settle: FiberSet.awaitEmpty(uploads), uploadRun }
  })
