/**
 * @ganflow/core — typed, cached pipeline stages.
 *
 * ```ts
 * import { defineStage, pipeline, upstream } from "@ganflow/core"
 * ```
 * Define stages with `defineStage`, place them in a `pipeline` with `stage.as(name, { params, inputs })`,
 * run it with `runPipeline` (or the `ganflow` CLI). See the package README for the cache key and the store.
 */
export { defineStage, upstream, fileInput, folderInput, file, folder, folderFromDir } from "./Stage.ts"
export type {
  StageDefinition, StageInstance, StageContext, StageOptions, InstanceConfig, InputBinding, InputSlot, UpstreamSlot,
  FileSlot, FolderSlot, UpstreamOutput, FileInput, FolderInput, ResolvedInputs, ProgressUpdate, Resources,
} from "./Stage.ts"
export { pipeline, isPipeline, type PipelineDefinition } from "./Pipeline.ts"
export { planPipeline, type Plan, type PlannedStage, type PlanOptions } from "./Plan.ts"
export { gpuBackendRequested, gpuPermits } from "./GpuPermits.ts"
export { runPipeline, storeDirOf, type RunOptions, type RunSummary, type StageOutcome, type RunRecord } from "./Runner.ts"
export { pipelineStatus, type StageStatus } from "./Status.ts"
export { cacheKey, checkpointKey, type KeyRecord, type InputRecord } from "./CacheKey.ts"
export { canonicalJson, type Json } from "./CanonicalJson.ts"
export { sha256, hashFile } from "./Digest.ts"
export { Store, StoreFileCorrupt, type Manifest, type Lookup } from "./Store.ts"
export { collectGarbage, parseAge, parseCheckpointRetention, type GcOptions, type GcResult, type CheckpointRetention } from "./GarbageCollection.ts"
export { verifyStore, type StoreProblem, type VerifyResult } from "./VerifyStore.ts"
export type { Checkpoint, Checkpoints } from "./Checkpoints.ts"
export { StatCache } from "./StatCache.ts"
export { digestFile, digestFolder } from "./InputDigest.ts"
export { fingerprintCode, scanImports, type CodeFingerprint } from "./CodeFingerprint.ts"
export { findWorkspaceRoot, loadWorkspace, type Workspace } from "./Workspace.ts"
export { explainChange } from "./Reasons.ts"
export { parseOverride, validateParams, flattenParams } from "./Params.ts"
export { consoleReporter, silentReporter, collectingReporter, type Reporter, type RunEvent } from "./Reporter.ts"
export * from "./Errors.ts"
export { watchPipeline, type WatchLauncher } from "./Watch.ts"
