/**
 * What the store holds and the interfaces of its services, one job each: objects and manifests, locks, run
 * records, key history (what explains reruns) and checkpoints. `local-store.ts` implements them on a folder.
 */
import { canonicalJson, type Json } from "../canonical-json.ts"
import type { Checkpoints } from "../checkpoints.ts"
import { sha256 } from "../digest.ts"
import type { ListingEntry } from "../input-digest.ts"
import type { StatCache } from "../stat-cache.ts"

/** Store format version; part of every cache key. */
export const storeFormat = 1

/** Format of manifests written now: 2 carries `seal`, the digest of the manifest itself. */
export const manifestFormat = 2

/** A run record (or other store JSON) whose content does not match its seal or does not parse. */
export class StoreFileCorrupt extends Error {
  constructor(readonly path: string, readonly reason: string) {
    super(`${path} is corrupt (${reason}); \`ganflow verify --fix\` removes it`)
  }
}

/** One output file: path relative to the output folder, digest, size. */
export type StoredFile = readonly [path: string, digest: string, size: number]

/** The record of one stage execution. */
export interface Manifest {
  readonly format: number
  readonly key: string
  readonly stage: string
  readonly instance: string
  readonly pipeline: string
  readonly files: ReadonlyArray<StoredFile>
  readonly value: Json
  /** Digest of files + value: what downstream stages see, so identical outputs keep them cached. */
  readonly outputDigest: string
  readonly metrics: Readonly<Record<string, number>>
  /** Metrics recorded with a step (`ctx.metric(name, value, step)`), as [step, value] points in order. */
  readonly metricSeries?: Readonly<Record<string, ReadonlyArray<readonly [number, number]>>>
  readonly env: Readonly<Record<string, Json>>
  readonly durationMs: number
  readonly createdAt: string
  /** sha256 of the canonical manifest without this field (format 2). */
  readonly seal?: string
}

/** The JSON of a checkpoint manifest (`checkpoints/<ckey>/step-N.json`). */
export interface CheckpointManifest {
  readonly step: number
  readonly files: ReadonlyArray<StoredFile>
  readonly meta: Json
  readonly digest: string
  readonly seal?: string
}

/** The contents of a lock file: who holds it, since when, and which store keys its run is writing. */
export interface LockHolder {
  /** The lock file's name under `locks/`. */
  readonly file?: string
  readonly pid: number
  /** The holder's host name (absent in lock files written before stores were shared between machines). */
  readonly host?: string
  readonly since: number
  readonly keys: ReadonlyArray<string>
}

/** The result of looking up a key. */
export type Lookup =
  | { readonly status: "hit"; readonly manifest: Manifest; readonly dir: string }
  | { readonly status: "absent" }
  | { readonly status: "corrupt"; readonly reason: string }

/** The digest of a stage's outputs as downstream stages see it. */
export const outputDigestOf = (files: ReadonlyArray<StoredFile>, value: Json): string =>
  sha256(canonicalJson({ files: files.map(([p, d]) => [p, d]), value }))

/** Objects, sealed manifests and read-only views of entries. */
export interface ObjectStoreApi {
  readonly root: string
  readonly statCache: StatCache
  warn: (line: string) => void
  objectPath(digest: string): string
  manifestPath(key: string): string
  outDir(key: string): string
  makeTemp(label: string): string
  pruneDeadTemps(): number
  removeTemp(dir: string): void
  readManifest(key: string): { readonly manifest: Manifest } | { readonly absent: true } | { readonly problem: string }
  lookup(key: string): Lookup
  verifyFiles(files: ReadonlyArray<StoredFile>, fresh?: boolean): string | undefined
  verifyFresh(manifest: Manifest): string | undefined
  discard(key: string): void
  viewProblem(dir: string, files: ReadonlyArray<StoredFile>): string | undefined
  ensureView(dir: string, files: ReadonlyArray<StoredFile>): string | undefined
  ingest(from: string): StoredFile[]
  commit(key: string, outTmp: string, entry: Omit<Manifest, "format" | "key" | "files" | "outputDigest" | "createdAt">): Manifest
}

/** Per-key locks between processes. */
export interface StageLocksApi {
  tryLock(key: string, keys?: ReadonlyArray<string>): { readonly release: () => void } | { readonly heldBy: number }
  liveLocks(): LockHolder[]
}

/** Sealed run records. */
export interface RunRecordsApi {
  writeRun(id: string, record: { readonly [key: string]: Json }): string
  runPath(id: string): string
  runIds(): string[]
  readRun(id: string): Json | undefined
}

/** The key records and folder listings that explain why a stage reruns. */
export interface KeyHistoryApi {
  saveListing(digest: string, listing: ReadonlyArray<ListingEntry>): void
  loadListing(digest: string): ReadonlyArray<ListingEntry> | undefined
  writeIndex(pipeline: string, instance: string, record: Json): void
  readIndex(pipeline: string, instance: string): Json | undefined
}

/** The checkpoints of long stages. */
export interface CheckpointStoreApi {
  checkpointDir(ckey: string): string
  readCheckpointManifest(path: string): { readonly manifest: CheckpointManifest } | { readonly problem: string }
  checkpoints(ckey: string, scratchDirs: string[]): Checkpoints
}
