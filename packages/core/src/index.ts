/**
 * @ganflow/core — typed, cached pipeline stages.
 *
 * ```ts
 * import { defineStage, pipeline, upstream } from "@ganflow/core"
 * ```
 * Define stages with `defineStage`, place them in a `pipeline` with `stage.as(name, { params, inputs })`,
 * run it with `runPipeline` (or the `ganflow` CLI). See the package README for the cache key and the store.
 */
export { defineStage, upstream, fileInput, folderInput, file, folder, folderFromDir, isStageHandle } from "./stage.ts"
export type {
  StageDefinition, StageInstance, StageContext, StageOptions, InstanceConfig, InputBinding, InputSlot, UpstreamSlot,
  FileSlot, FolderSlot, UpstreamOutput, FileInput, FolderInput, ResolvedInputs, ProgressUpdate, Resources,
  StageHandle, SlotBinding, PathBinding,
} from "./stage.ts"
export { StageEvents, StageCheckpoints, type StageEventsApi, type StageServices } from "./stage-services.ts"
export { trySync, tryAsync, taggedErrors, instancesOf, type ErrorGuard } from "./throwing-boundary.ts"
export { pipeline, isPipeline, type PipelineDefinition } from "./pipeline.ts"
export { planPipeline, type Plan, type PlannedStage, type PlanOptions } from "./plan.ts"
export { isGpuBackend, gpuPermits } from "./gpu-permits.ts"
export { runPipeline, runPipelineOnStore, storeDirOf, type RunOptions, type RunSummary, type StageOutcome, type RunRecord } from "./runner.ts"
export { StageExecutor, localExecutor, currentExecutor, type StageTask, type ExecutedStage, type CommittedEntry } from "./executor.ts"
export { pipelineStatus, pipelineStatusOnStore, type StageStatus } from "./status.ts"
export { cacheKey, checkpointKey, type KeyRecord, type InputRecord } from "./cache-key.ts"
export { canonicalJson, type Json } from "./canonical-json.ts"
export { sha256, hashFile } from "./digest.ts"
export {
  ObjectStore, StageLocks, RunRecords, KeyHistory, CheckpointStore, openLocalStore, layerStore, layerLocalStore, currentStore,
  StoreFileCorrupt, type Store, type StoreServices, type Manifest, type Lookup, type ObjectStoreApi, type StageLocksApi,
  type RunRecordsApi, type KeyHistoryApi, type CheckpointStoreApi,
} from "./store.ts"
export { collectGarbage, parseAge, parseCheckpointRetention, type GcOptions, type GcResult, type CheckpointRetention } from "./garbage-collection.ts"
export { verifyStore, type StoreProblem, type VerifyResult } from "./verify-store.ts"
export type { Checkpoint, Checkpoints } from "./checkpoints.ts"
export { StatCache } from "./stat-cache.ts"
export { digestFile, digestFolder } from "./input-digest.ts"
export { fingerprintCode, scanImports, type CodeFingerprint } from "./code-fingerprint.ts"
export { findWorkspaceRoot, loadWorkspace, type Workspace } from "./workspace.ts"
export { explainChange } from "./reasons.ts"
export { validateParams, flattenParams, rejectingUnknownKeys, type ParamsSchema } from "./params.ts"
export {
  assignment, parseAssignment, paramsPatch, applyOverrides, mergeParams, describeOverride, type ParamOverride, type ParamsPatch, type JsonObject,
} from "./param-overrides.ts"
export { closestKey, editDistance } from "./key-suggestion.ts"
export { consoleReporter, silentReporter, collectingReporter, formatBytes, type Reporter, type RunEvent } from "./reporter.ts"
export * from "./errors.ts"
export { watchPipeline, type WatchLauncher } from "./watch.ts"
export * from "./remote-errors.ts"
export { Remote, type RemoteStore, type RemoteKind, type RemoteListing, type PublishOutcome } from "./remote-store.ts"
export { lookupLocalThenRemote, pullEntry, pushEntry, pushRun, pullRun, LocalEntryUnusable, type PulledEntry, type PushedEntry, type PullOptions, type PushOptions } from "./remote-sync.ts"
export { type RunRemoteOptions, type RemoteHitRecord } from "./remote-run.ts"
export { parseSealedManifest, runRecordProblem } from "./sealed-records.ts"
export { listFiles, isAlive } from "./store.ts"
export { writeFileAtomic } from "./internal/atomic-write.ts"
export { makeRunSlots, type RunSlots, type RunSlotOptions } from "./run-slots.ts"
export { SweepInvalid, SweepFile, parseSeeds, parseAxisValues, sweepFromOptions, readSweepFile, type SweepDefinition, type RandomAxis, type SweepOptionsText } from "./sweep-definition.ts"
export { expandSweep, sweepAxes, sweepProblems, type SweepPoint } from "./sweep-expansion.ts"
export { planSweep, type SweepPlan, type SweepVariant } from "./sweep-plan.ts"
export { runSweep, runSweepOnStore, runSweepPlan, sweepCacheSummary, SweepFailed, type SweepOptions, type SweepReporter, type SweepSummary, type SweepCacheSummary } from "./sweep-runner.ts"
export { LocalSweepRecords, type SweepRecord, type SweepVariantRecord } from "./store/sweep-records.ts"
export { aggregateSweep, metricDirection, resolveSortKey, seedStatistics, type SweepTable, type ConfigurationRow, type ConfigurationMetric, type MetricColumn, type MetricDirection, type SeedStatistics } from "./sweep-aggregation.ts"
