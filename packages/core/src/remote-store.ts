/**
 * A remote cache: a second object store, shared by a lab, behind the local store. It holds what the local
 * store holds, in the same layout under its root (an S3 bucket/prefix or a shared folder):
 *
 * ```
 * objects/ab/cdef…        output files by sha256
 * manifests/<key>.json    sealed stage manifests (format 2, `seal`): the commit point of an entry
 * runs/<id>.json          sealed run records
 * ```
 * Implementations (`@ganflow/remote`): S3-compatible storage and a shared filesystem (`file://`). Everything
 * read is verified: an object's sha256 must be its digest, a manifest or run record must match its seal; what
 * does not is reported as {@link RemoteObjectCorrupt}, never returned, and removed from the remote where the
 * credentials allow (so the next push replaces it). Moving entries between the local store and a remote is
 * `remote-sync.ts` (`pullEntry`, `pushEntry`): objects first, the manifest last.
 */
import { Context, type Effect } from "effect"
import type { Manifest } from "./store.ts"
import type { RemoteAccessError, RemoteNotFound, RemoteObjectCorrupt } from "./remote-errors.ts"

export type { RemoteAccessError, RemoteNotFound, RemoteObjectCorrupt, RemoteError } from "./remote-errors.ts"

/** The kinds of things a remote holds, each a folder of its layout. */
export type RemoteKind = "objects" | "manifests" | "runs"

/** One thing on a remote: its name within its kind (a digest, a cache key, a run id), size and last change. */
export interface RemoteListing {
  readonly name: string
  readonly size: number
  /** Milliseconds since the epoch. */
  readonly modifiedMs: number
}

/** What publishing a manifest or run record did: `stored` it, or `kept` the one already there (the first wins). */
export type PublishOutcome = "stored" | "kept"

/** A remote cache (see the module comment). Every operation is an Effect failing with tagged remote errors. */
export interface RemoteStore {
  /** The remote's name in the config. */
  readonly name: string
  /** Its URL (`s3://bucket/prefix`, `file:///path`), for messages. */
  readonly url: string
  /** Whether the object `digest` is on the remote. */
  readonly hasObject: (digest: string) => Effect.Effect<boolean, RemoteAccessError>
  /**
   * Download the object `digest` into the new file `path` and verify its sha256. A mismatch removes `path`
   * and fails with RemoteObjectCorrupt; a missing object fails with RemoteNotFound.
   */
  readonly getObject: (digest: string, path: string) => Effect.Effect<void, RemoteAccessError | RemoteNotFound | RemoteObjectCorrupt>
  /** Upload the file at `path` as the object `digest` (the caller has verified it). Objects are immutable: same digest, same bytes. */
  readonly putObject: (digest: string, path: string) => Effect.Effect<void, RemoteAccessError>
  /** The sealed manifest of `key`, verified (parses, names `key`, matches its seal). */
  readonly getManifest: (key: string) => Effect.Effect<Manifest, RemoteAccessError | RemoteNotFound | RemoteObjectCorrupt>
  /**
   * Publish a sealed manifest whose objects are already on the remote. The first manifest of a key wins: when
   * one is there it is `kept` (on S3, two pushes that both find the key absent at the same moment both write;
   * the last write stays, and either is a complete entry).
   */
  readonly putManifest: (manifest: Manifest) => Effect.Effect<PublishOutcome, RemoteAccessError>
  /** A run record's stored text, verified (parses, matches its seal). */
  readonly getRun: (id: string) => Effect.Effect<string, RemoteAccessError | RemoteNotFound | RemoteObjectCorrupt>
  /** Publish a run record's stored text (sealed); run ids are unique, so one already there is `kept`. */
  readonly putRun: (id: string, text: string) => Effect.Effect<PublishOutcome, RemoteAccessError>
  /** Everything of one kind on the remote. */
  readonly list: (kind: RemoteKind) => Effect.Effect<ReadonlyArray<RemoteListing>, RemoteAccessError>
  /** Remove one thing (idempotent: removing what is not there succeeds). */
  readonly remove: (kind: RemoteKind, name: string) => Effect.Effect<void, RemoteAccessError>
  /**
   * Remove uploads abandoned by killed pushes that are older than `olderThanMs` (a shared folder's temp files;
   * S3 writes are atomic and leave none); returns how many.
   */
  readonly removeAbandonedUploads: (olderThanMs: number) => Effect.Effect<number, RemoteAccessError>
}

/** The remote cache a run uses, as a service (absent when the run has no `--remote`). */
export class Remote extends Context.Tag("@ganflow/core/Remote")<Remote, RemoteStore>() {}
