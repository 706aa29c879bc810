/**
 * Opening a configured remote: its settings from `ganflow.json`, the S3 or shared-folder blob store its URL
 * names, the verifying {@link RemoteStore} on top, and a probe (one cheap list request, or a stat of the folder)
 * so a wrong setup — unknown name, unreachable endpoint, wrong credentials, missing bucket or folder — fails
 * here, naming the remote, before anything is read or written.
 */
import { Effect, Layer } from "effect"
import { Remote, type RemoteAccessError, type RemoteConfigInvalid, type RemoteNotFound, type RemoteStore, type RemoteUnknown } from "@ganflow/core"
import type { BlobStore } from "./blob-store.ts"
import { fileBlobStore } from "./file-blob-store.ts"
import { checkSettings, remoteSettings, type RemoteSettings } from "./remote-config.ts"
import { parseRemoteUrl } from "./remote-url.ts"
import { s3BlobStore } from "./s3-blob-store.ts"
import { verifiedRemote } from "./verified-remote.ts"

/** Why a remote cannot be opened. */
export type OpenRemoteError = RemoteUnknown | RemoteConfigInvalid | RemoteAccessError | RemoteNotFound

/** The blob store the settings describe (not probed). */
export const blobStoreOf = (name: string, settings: RemoteSettings): Effect.Effect<BlobStore, RemoteConfigInvalid> =>
  parseRemoteUrl(settings.url, `remote ${name}`).pipe(
    Effect.map((location) => {
      const identity = { remote: name, url: settings.url }
      return location.kind === "file"
        ? fileBlobStore(identity, location.root)
        : s3BlobStore(identity, { bucket: location.bucket, prefix: location.prefix, endpoint: settings.endpoint, region: settings.region })
    }),
  )

/** Open the remote with these settings and check it can be reached. */
export const openRemoteWith = (name: string, settings: RemoteSettings): Effect.Effect<RemoteStore, OpenRemoteError> =>
  Effect.gen(function* () {
    yield* checkSettings(name, settings, `remote ${name}`)
    const blobs = yield* blobStoreOf(name, settings)
    yield* blobs.probe()
    return verifiedRemote(blobs)
  })

/** Open the remote `name` configured in the workspace at `root`, and check it can be reached. */
export const openRemote = (root: string, name: string): Effect.Effect<RemoteStore, OpenRemoteError> =>
  remoteSettings(root, name).pipe(Effect.flatMap((settings) => openRemoteWith(name, settings)))

/** The `Remote` service of a run with `--remote name`: the configured remote, opened and probed once. */
export const remoteLayer = (root: string, name: string): Layer.Layer<Remote, OpenRemoteError> => Layer.effect(Remote, openRemote(root, name))
