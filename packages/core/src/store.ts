/**
 * The content-addressed store (`.ganflow/` at the workspace root by default) as services with one job each:
 *
 * ```
 * ObjectStore       objects/ manifests/ out/ tmp/   content-addressed files, sealed manifests (the commit point), views
 * StageLocks        locks/                           one process computes an entry at a time
 * RunRecords        runs/                            sealed run records
 * KeyHistory        index/ listings/                 what explains reruns
 * CheckpointStore   checkpoints/                     checkpoints of long stages, files in the object store
 * ```
 * `layerLocalStore(dir)` provides all five over a folder; the runner, `status`, `gc` and `verify` ask for the
 * services, so another implementation (a shared or remote store) is a different layer. Writes go to `tmp/` and are
 * renamed into place, and a manifest is written last, so a reader sees a complete entry or none. A store that
 * cannot be written (read-only mount) still serves cached entries.
 */
import { Context, Effect, Layer } from "effect"
import { LocalCheckpointStore } from "./store/checkpoint-store.ts"
import { LocalKeyHistory } from "./store/key-history.ts"
import { LocalObjectStore } from "./store/object-store.ts"
import { LocalRunRecords } from "./store/run-records.ts"
import { LocalStageLocks } from "./store/stage-locks.ts"
import type { CheckpointStoreApi, KeyHistoryApi, ObjectStoreApi, RunRecordsApi, StageLocksApi } from "./store/store-types.ts"

export * from "./store/store-types.ts"
export { runRecordFields } from "./store/run-records.ts"
export { isAlive, listFiles, readFileSafe, sealProblemOf } from "./internal/store-files.ts"

/** Objects, sealed manifests and views. */
export class ObjectStore extends Context.Tag("@ganflow/core/object-store")<ObjectStore, ObjectStoreApi>() {}
/** Per-key locks. */
export class StageLocks extends Context.Tag("@ganflow/core/stage-locks")<StageLocks, StageLocksApi>() {}
/** Run records. */
export class RunRecords extends Context.Tag("@ganflow/core/run-records")<RunRecords, RunRecordsApi>() {}
/** Key records and listings that explain reruns. */
export class KeyHistory extends Context.Tag("@ganflow/core/key-history")<KeyHistory, KeyHistoryApi>() {}
/** Checkpoints of long stages. */
export class CheckpointStore extends Context.Tag("@ganflow/core/checkpoint-store")<CheckpointStore, CheckpointStoreApi>() {}

/** Every store service. */
export type StoreServices = ObjectStore | StageLocks | RunRecords | KeyHistory | CheckpointStore

/** The five services of one store, for code that works with a store directly (`gc`, `verify`, the CLI). */
export interface Store {
  /** The store folder. */
  readonly root: string
  readonly objects: ObjectStoreApi
  readonly locks: StageLocksApi
  readonly runs: RunRecordsApi
  readonly history: KeyHistoryApi
  readonly checkpoints: CheckpointStoreApi
}

/** Open the store in folder `root` (created when missing; a read-only one still serves cached entries). */
export const openLocalStore = (root: string): Store => {
  const objects = new LocalObjectStore(root)
  return {
    root,
    objects,
    locks: new LocalStageLocks(root),
    runs: new LocalRunRecords(root),
    history: new LocalKeyHistory(root),
    checkpoints: new LocalCheckpointStore(root, objects),
  }
}

/** The services of `store`, as a layer. */
export const layerStore = (store: Store): Layer.Layer<StoreServices> =>
  Layer.mergeAll(
    Layer.succeed(ObjectStore, store.objects),
    Layer.succeed(StageLocks, store.locks),
    Layer.succeed(RunRecords, store.runs),
    Layer.succeed(KeyHistory, store.history),
    Layer.succeed(CheckpointStore, store.checkpoints),
  )

/** The local store in folder `root`, as a layer (opened when the layer is built). */
export const layerLocalStore = (root: string): Layer.Layer<StoreServices> =>
  Layer.unwrapEffect(Effect.sync(() => layerStore(openLocalStore(root))))

/** The store services of the current context gathered into a {@link Store}. */
export const currentStore: Effect.Effect<Store, never, StoreServices> = Effect.gen(function* () {
  const objects = yield* ObjectStore
  return { root: objects.root, objects, locks: yield* StageLocks, runs: yield* RunRecords, history: yield* KeyHistory, checkpoints: yield* CheckpointStore }
})
