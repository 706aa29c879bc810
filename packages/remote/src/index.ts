/**
 * @ganflow/remote — remote caches for the content-addressed store: S3-compatible storage (AWS S3, MinIO, Ceph
 * RGW, R2) and shared filesystems (`file://`, NFS-safe). The interface the runner uses, {@link RemoteStore}, and
 * the per-entry sync (`pullEntry`, `pushEntry`) live in `@ganflow/core` (no AWS SDK there); this package opens
 * configured remotes, implements them and syncs whole stores.
 */
export { openRemote, openRemoteWith, remoteLayer, blobStoreOf, type OpenRemoteError } from "./open-remote.ts"
export { readRemotes, remoteSettings, addRemote, removeRemote, configPath, configFileName, RemoteSettings, readSlurmDefaults, SlurmDefaults } from "./remote-config.ts"
export { parseRemoteUrl, type RemoteLocation } from "./remote-url.ts"
export { verifiedRemote } from "./verified-remote.ts"
export type { BlobStore, RemoteIdentity } from "./blob-store.ts"
export { fileBlobStore } from "./file-blob-store.ts"
export { s3BlobStore, type S3Location } from "./s3-blob-store.ts"
export { pushStore, pullStore, type PushSummary, type PullSummary } from "./store-transfer.ts"
export { collectRemoteGarbage, remoteGcGraceMs, type RemoteGcResult } from "./remote-gc.ts"
