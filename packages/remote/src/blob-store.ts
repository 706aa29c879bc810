/**
 * The raw storage under a remote: named blobs (`objects/ab/cdef…`, `manifests/<key>.json`, `runs/<id>.json`)
 * with the handful of operations every S3-compatible service and every shared filesystem offers. It knows
 * nothing of digests or seals; `verified-remote.ts` builds the {@link RemoteStore} on top of it, once for both
 * implementations (`s3-blob-store.ts`, `file-blob-store.ts`).
 */
import type { Effect } from "effect"
import type { PublishOutcome, RemoteAccessError, RemoteListing, RemoteNotFound } from "@ganflow/core"

/** A remote's identity, for errors. */
export interface RemoteIdentity {
  readonly remote: string
  readonly url: string
}

/** Raw blob storage (see the module comment). Blob names are relative paths with `/`. */
export interface BlobStore {
  readonly identity: RemoteIdentity
  /** Check that the bucket or folder exists and can be listed (fails naming what is wrong). */
  readonly probe: () => Effect.Effect<void, RemoteAccessError | RemoteNotFound>
  /** Whether the blob exists. */
  readonly exists: (name: string) => Effect.Effect<boolean, RemoteAccessError>
  /** Copy the blob into the new file `path`; false when there is no such blob. */
  readonly download: (name: string, path: string) => Effect.Effect<boolean, RemoteAccessError>
  /** The blob's text; undefined when there is no such blob. */
  readonly read: (name: string) => Effect.Effect<string | undefined, RemoteAccessError>
  /** Store the file at `path` as the blob, atomically (readers see the old blob, the new one, or none). */
  readonly upload: (name: string, path: string) => Effect.Effect<void, RemoteAccessError>
  /** Store `text` as the blob unless it exists (then `kept`), atomically. */
  readonly writeIfAbsent: (name: string, text: string) => Effect.Effect<PublishOutcome, RemoteAccessError>
  /** Every blob under the folder `dir` (names relative to it). */
  readonly list: (dir: string) => Effect.Effect<ReadonlyArray<RemoteListing>, RemoteAccessError>
  /** Remove the blob (idempotent). */
  readonly remove: (name: string) => Effect.Effect<void, RemoteAccessError>
  /** Remove temp files of uploads older than `olderThanMs`; how many. */
  readonly removeAbandonedUploads: (olderThanMs: number) => Effect.Effect<number, RemoteAccessError>
}
