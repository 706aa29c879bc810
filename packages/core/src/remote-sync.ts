/**
 * Moving entries and run records between the local store and a remote cache ({@link RemoteStore}).
 *
 * Both directions keep the store's commit protocol: objects first, the manifest last. A pull downloads each
 * object the local store lacks into `tmp/`, verifies its sha256 (the remote does), links it into `objects/`,
 * then writes the manifest and lets the local lookup verify the entry and build its view; an interrupted pull
 * leaves whole objects and no manifest. A push uploads the objects the remote lacks, then the manifest, so a
 * reader on another machine never sees an entry whose objects are missing.
 */
import { chmodSync, linkSync, mkdirSync, readFileSync, rmSync } from "node:fs"
import { dirname, join } from "node:path"
import { Effect } from "effect"
import { StoreIOError } from "./errors.ts"
import { writeFileAtomic } from "./internal/atomic-write.ts"
import { sealOf } from "./internal/store-files.ts"
import { RemoteObjectCorrupt, type RemoteAccessError, type RemoteNotFound } from "./remote-errors.ts"
import type { PublishOutcome, RemoteStore } from "./remote-store.ts"
import type { Manifest, Store } from "./store.ts"

/** Objects downloaded or uploaded at once. */
const transfersAtOnce = 4

/** A local entry that cannot be pushed: absent, or corrupt (the local lookup removed it and said why). */
export class LocalEntryUnusable extends Error {
  readonly _tag = "LocalEntryUnusable"
  constructor(readonly key: string, readonly reason: string) {
    super(`local entry ${key.slice(0, 12)} cannot be pushed: ${reason}`)
  }
}

/** What a pull of one entry did. */
export interface PulledEntry {
  /** `local`: the local store had the entry and the remote was not asked. */
  readonly source: "local" | "remote"
  readonly manifest: Manifest
  /** The local view of the entry's files. */
  readonly dir: string
  /** Objects downloaded and their bytes (objects the local store had are not downloaded). */
  readonly downloadedObjects: number
  readonly downloadedBytes: number
}

/** What a push of one entry did. */
export interface PushedEntry {
  readonly key: string
  readonly uploadedObjects: number
  readonly uploadedBytes: number
  /** `kept`: the remote already had a manifest for the key (the first wins). */
  readonly manifest: PublishOutcome
}

/** Run synchronous store work, turning a file system failure into StoreIOError naming `path`. */
const storeWork = <A>(path: string, work: () => A): Effect.Effect<A, StoreIOError> =>
  Effect.try({ try: work, catch: (cause) => new StoreIOError({ path, cause }) })

/** Options of {@link pullEntry}. */
export interface PullOptions {
  /** The entry's manifest as `remote.getManifest` returned it already (a runner that read it to plan), so it is not fetched again. */
  readonly manifest?: Manifest
}

/**
 * Make the remote entry `key` a local one: download the manifest (verified), then the objects the local
 * store lacks (each verified), then write the manifest and verify the entry locally. A local hit returns at
 * once without touching the remote. Fails with RemoteNotFound when the remote has no entry (or lacks one of its
 * objects: then nothing is committed locally), RemoteObjectCorrupt when something downloaded does not verify.
 */
export const pullEntry = (
  store: Store,
  remote: RemoteStore,
  key: string,
  options: PullOptions = {},
): Effect.Effect<PulledEntry, RemoteAccessError | RemoteNotFound | RemoteObjectCorrupt | StoreIOError> =>
  Effect.gen(function* () {
    const local = yield* storeWork(store.objects.manifestPath(key), () => store.objects.lookup(key))
    if (local.status === "hit") return { source: "local", manifest: local.manifest, dir: local.dir, downloadedObjects: 0, downloadedBytes: 0 }
    const manifest = options.manifest !== undefined && options.manifest.key === key ? options.manifest : yield* remote.getManifest(key)
    const missing = new Map<string, number>()
    for (const [rel, digest, size] of manifest.files) {
      if (missing.has(digest)) continue
      const present = yield* storeWork(store.objects.objectPath(digest), () => store.objects.verifyFiles([[rel, digest, size]]) === undefined)
      if (!present) missing.set(digest, size)
    }
    const downloadedBytes = [...missing.values()].reduce((a, b) => a + b, 0)
    yield* Effect.acquireUseRelease(
      storeWork(join(store.root, "tmp"), () => store.objects.makeTemp(`pull-${key.slice(0, 12)}`)),
      (tmp) => Effect.forEach([...missing.keys()], (digest) => downloadObject(store, remote, digest, join(tmp, digest)), { concurrency: transfersAtOnce, discard: true }),
      (tmp) => Effect.sync(() => store.objects.removeTemp(tmp)),
    )
    // the view (hard links to the objects), then the manifest last: the commit point of the local entry
    yield* storeWork(store.objects.outDir(key), () => store.objects.ensureView(store.objects.outDir(key), manifest.files))
    yield* storeWork(store.objects.manifestPath(key), () => {
      writeFileAtomic(store.objects.manifestPath(key), JSON.stringify(manifest, null, 1))
      chmodSync(store.objects.manifestPath(key), 0o444)
    })
    const pulled = yield* storeWork(store.objects.manifestPath(key), () => store.objects.lookup(key))
    if (pulled.status !== "hit") {
      const reason = pulled.status === "corrupt" ? pulled.reason : "vanished after it was written"
      return yield* new RemoteObjectCorrupt({ remote: remote.name, url: remote.url, what: `entry ${key}`, reason: `the pulled entry did not verify locally: ${reason}` })
    }
    return { source: "remote", manifest: pulled.manifest, dir: pulled.dir, downloadedObjects: missing.size, downloadedBytes }
  })

/** Download one object into `tmpPath` (verified by the remote) and link it into the local object store. */
const downloadObject = (store: Store, remote: RemoteStore, digest: string, tmpPath: string) =>
  Effect.gen(function* () {
    yield* remote.getObject(digest, tmpPath)
    const object = store.objects.objectPath(digest)
    yield* storeWork(object, () => {
      chmodSync(tmpPath, 0o444)
      mkdirSync(dirname(object), { recursive: true })
      try {
        // a link, not a rename: an object another process placed meanwhile keeps its inode (views link it)
        linkSync(tmpPath, object)
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e
      }
      rmSync(tmpPath, { force: true })
    })
  })

/** Options of {@link pushEntry}. */
export interface PushOptions {
  /**
   * Whether the remote has an object: by default one HEAD per object; a whole-store push passes a lookup in
   * one listing of the remote's objects instead.
   */
  readonly remoteHasObject?: (digest: string) => Effect.Effect<boolean, RemoteAccessError>
}

/**
 * Upload the local entry `key`: the objects the remote lacks first, the manifest last. The local entry is
 * verified first (a corrupt one is removed locally and fails with LocalEntryUnusable, never uploaded).
 */
export const pushEntry = (
  store: Store,
  remote: RemoteStore,
  key: string,
  options: PushOptions = {},
): Effect.Effect<PushedEntry, RemoteAccessError | StoreIOError | LocalEntryUnusable> =>
  Effect.gen(function* () {
    const local = yield* storeWork(store.objects.manifestPath(key), () => store.objects.lookup(key))
    if (local.status === "absent") return yield* Effect.fail(new LocalEntryUnusable(key, "not in the local store"))
    if (local.status === "corrupt") return yield* Effect.fail(new LocalEntryUnusable(key, local.reason))
    const { manifest } = local
    if (manifest.seal === undefined || sealOf(manifest) !== manifest.seal) {
      return yield* Effect.fail(new LocalEntryUnusable(key, "its manifest has no seal (written by an older ganflow; rerun the stage to reseal it)"))
    }
    const has = options.remoteHasObject ?? remote.hasObject
    const objects = new Map<string, number>()
    for (const [, digest, size] of manifest.files) objects.set(digest, size)
    const uploaded = yield* Effect.forEach(
      [...objects],
      ([digest, size]) =>
        Effect.gen(function* () {
          if (yield* has(digest)) return { uploaded: false, bytes: 0 }
          yield* remote.putObject(digest, store.objects.objectPath(digest))
          return { uploaded: true, bytes: size }
        }),
      { concurrency: transfersAtOnce },
    )
    const outcome = yield* remote.putManifest(manifest)
    return {
      key,
      uploadedObjects: uploaded.filter((u) => u.uploaded).length,
      uploadedBytes: uploaded.reduce((a, u) => a + u.bytes, 0),
      manifest: outcome,
    }
  })

/** Upload the local run record `id` (verified against its seal first; a damaged one fails naming its file). */
export const pushRun = (store: Store, remote: RemoteStore, id: string): Effect.Effect<PublishOutcome, RemoteAccessError | StoreIOError> =>
  Effect.gen(function* () {
    const path = store.runs.runPath(id)
    const text = yield* storeWork(path, () => {
      store.runs.readRun(id) // throws StoreFileCorrupt naming the file
      return readFileSync(path, "utf8")
    })
    return yield* remote.putRun(id, text)
  })

/** Download the run record `id` into the local store (verified); a local record of that id is kept. */
export const pullRun = (
  store: Store,
  remote: RemoteStore,
  id: string,
): Effect.Effect<"stored" | "kept", RemoteAccessError | RemoteNotFound | RemoteObjectCorrupt | StoreIOError> =>
  Effect.gen(function* () {
    const path = store.runs.runPath(id)
    if (store.runs.runIds().includes(id)) return "kept" as const
    const text = yield* remote.getRun(id)
    yield* storeWork(path, () => {
      writeFileAtomic(path, text)
      chmodSync(path, 0o444)
    })
    return "stored" as const
  })

/**
 * What the local store, then the remote, has for `key`, without downloading any object: the runner's lookup.
 * `local`: a verified local hit. `remote`: the remote has a verified manifest (its `outputDigest` is what
 * downstream keys need); call {@link pullEntry} with it only when the stage's files are needed (a stage that runs
 * reads them, or they are results). `absent`: neither has it. `corrupt`: the remote's manifest did not verify
 * (`reason` says why; it is a miss: recompute, and pushing the result repairs the remote). A remote that cannot be
 * reached fails with its access error; a runner may treat that as a miss too, with a warning.
 */
export const lookupLocalThenRemote = (
  store: Store,
  remote: RemoteStore,
  key: string,
): Effect.Effect<
  | { readonly status: "local"; readonly manifest: Manifest; readonly dir: string }
  | { readonly status: "remote"; readonly manifest: Manifest }
  | { readonly status: "absent" }
  | { readonly status: "corrupt"; readonly reason: string },
  RemoteAccessError | StoreIOError
> =>
  Effect.gen(function* () {
    const local = yield* storeWork(store.objects.manifestPath(key), () => store.objects.lookup(key))
    if (local.status === "hit") return { status: "local" as const, manifest: local.manifest, dir: local.dir }
    return yield* remote.getManifest(key).pipe(
      Effect.map((manifest) => ({ status: "remote" as const, manifest })),
      Effect.catchTags({
        RemoteNotFound: () => Effect.succeed({ status: "absent" as const }),
        RemoteObjectCorrupt: (e) => Effect.succeed({ status: "corrupt" as const, reason: e.message }),
      }),
    )
  })
