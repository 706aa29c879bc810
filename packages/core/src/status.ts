/**
 * `ganflow status`: what a run would do, without running anything. A stage is `cached` when its key is in the
 * store, `stale` with the reasons when it is not, and `blocked` when an upstream is stale (its key depends
 * on outputs that do not exist yet).
 */
import { Effect, Either } from "effect"
import type { RemoteStore } from "./remote-store.ts"
import { lookupLocalThenRemote } from "./remote-sync.ts"
import type { PipelineInvalid } from "./errors.ts"
import type { PipelineDefinition } from "./pipeline.ts"
import { planPipeline, type Plan } from "./plan.ts"
import { storeDirOf, type RunOptions } from "./runner.ts"
import { currentStore, layerLocalStore, type StoreServices } from "./store.ts"
import { loadWorkspace } from "./workspace.ts"
import type { KeyRecord } from "./cache-key.ts"
import { lookupStage } from "./internal/stage-lookup.ts"
import { stageInputs, type CodeFingerprints, type UpstreamResult } from "./internal/stage-record.ts"

/** The state of one stage. */
export interface StageStatus {
  readonly name: string
  readonly state: "cached" | "stale" | "blocked"
  readonly key: string | undefined
  readonly reasons: ReadonlyArray<string>
  readonly dir: string | undefined
  /** The key record the key is the hash of (absent when an input could not be read or an upstream is not cached). */
  readonly record?: KeyRecord
  /** Files and folders this stage depends on (inputs and code), for watch mode. */
  readonly watch: ReadonlyArray<string>
  /** A stage cached on the remote cache only (`--remote`): the remote's name (its files are not local). */
  readonly remote?: string
}

/**
 * Compute every stage's state in the local store of `options`, then (`options.remote`) the remote cache: a stage
 * the remote has is cached there. Reads the store; writes nothing but the stat cache.
 */
export const pipelineStatus = (
  definition: PipelineDefinition,
  options: RunOptions,
): Effect.Effect<ReadonlyArray<StageStatus>, PipelineInvalid> =>
  Effect.flatMap(planPipeline(definition, options), (plan) => planStatus(plan, options.remote?.store).pipe(Effect.provide(layerLocalStore(storeDirOf(options)))))

/** Compute every stage's state in the store services of the context (see {@link pipelineStatus}). */
export const pipelineStatusOnStore = (
  definition: PipelineDefinition,
  options: RunOptions,
): Effect.Effect<ReadonlyArray<StageStatus>, PipelineInvalid, StoreServices> =>
  Effect.flatMap(planPipeline(definition, options), (plan) => planStatus(plan, options.remote?.store))

/** Every stage's state of a validated plan, in the store services of the context (then in `remote`, when given). */
export const planStatus = (plan: Plan, remote?: RemoteStore): Effect.Effect<ReadonlyArray<StageStatus>, never, StoreServices> =>
  Effect.gen(function* () {
    const store = yield* currentStore
    const ws = loadWorkspace(plan.root)
    const fingerprints: CodeFingerprints = new Map()
    const results = new Map<string, UpstreamResult>()
    const out: StageStatus[] = []
    for (const s of plan.stages) {
      const watch = Object.values(s.bindings).flatMap((b) => (b.kind === "file" || b.kind === "folder" ? [b.path] : []))
      const blockedBy = s.upstreams.find((u) => !results.has(u))
      if (blockedBy !== undefined) {
        out.push({ name: s.name, state: "blocked", key: undefined, reasons: [`upstream ${blockedBy} is not cached`], dir: undefined, watch })
        continue
      }
      let inputs
      try {
        inputs = stageInputs(s, results, store, ws, fingerprints)
      } catch (e) {
        out.push({ name: s.name, state: "stale", key: undefined, reasons: [(e as Error).message], dir: undefined, watch })
        continue
      }
      const codeFiles = Object.keys(inputs.record.code.files).map((f) => `${plan.root}/${f}`)
      const { key, found, reasons } = lookupStage(store, plan.pipeline, s.name, inputs.record)
      if (found.status === "hit") {
        results.set(s.name, { manifest: found.manifest, dir: found.dir })
        out.push({ name: s.name, state: "cached", key, reasons: [], dir: found.dir, record: inputs.record, watch: [...watch, ...codeFiles] })
        continue
      }
      const onRemote = remote === undefined ? undefined : yield* Effect.either(lookupLocalThenRemote(store, remote, key))
      if (onRemote !== undefined && Either.isRight(onRemote) && (onRemote.right.status === "remote" || onRemote.right.status === "local")) {
        results.set(s.name, { manifest: onRemote.right.manifest, dir: store.objects.outDir(key) })
        out.push({ name: s.name, state: "cached", key, reasons: [], dir: undefined, record: inputs.record, watch: [...watch, ...codeFiles], remote: remote!.name })
        continue
      }
      const remoteProblem = onRemote === undefined ? [] : Either.isLeft(onRemote) ? [onRemote.left.message] : onRemote.right.status === "corrupt" ? [onRemote.right.reason] : []
      out.push({ name: s.name, state: "stale", key, reasons: [...remoteProblem, ...reasons], dir: undefined, record: inputs.record, watch: [...watch, ...codeFiles] })
    }
    store.objects.statCache.save()
    return out
  })
