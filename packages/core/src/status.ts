/**
 * `ganflow status`: what a run would do, without running anything. A stage is `cached` when its key is in the
 * store, `stale` with the reasons when it is not, and `blocked` when an upstream is stale (its key depends
 * on outputs that do not exist yet).
 */
import { Effect } from "effect"
import { cacheKey, type KeyRecord } from "./cache-key.ts"
import type { PipelineInvalid } from "./errors.ts"
import type { PipelineDefinition } from "./pipeline.ts"
import { planPipeline } from "./plan.ts"
import { explainChange } from "./reasons.ts"
import { storeDirOf, type RunOptions } from "./runner.ts"
import { Store } from "./store.ts"
import { loadWorkspace } from "./workspace.ts"
import { stageInputs, type CodeFingerprints, type UpstreamResult } from "./internal/stage-record.ts"

/** The state of one stage. */
export interface StageStatus {
  readonly name: string
  readonly state: "cached" | "stale" | "blocked"
  readonly key: string | undefined
  readonly reasons: ReadonlyArray<string>
  readonly dir: string | undefined
  /** Files and folders this stage depends on (inputs and code), for watch mode. */
  readonly watch: ReadonlyArray<string>
}

/** Compute every stage's state. Reads the store; writes nothing but the stat cache. */
export const pipelineStatus = (
  definition: PipelineDefinition,
  options: RunOptions,
): Effect.Effect<ReadonlyArray<StageStatus>, PipelineInvalid> =>
  Effect.gen(function* () {
    const plan = yield* planPipeline(definition, options)
    const store = new Store(storeDirOf(options))
    const ws = loadWorkspace(options.root)
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
      const key = cacheKey(inputs.record)
      const found = store.lookup(key)
      if (found.status === "hit") {
        results.set(s.name, { manifest: found.manifest, dir: found.dir })
        out.push({ name: s.name, state: "cached", key, reasons: [], dir: found.dir, watch: [...watch, ...codeFiles] })
      } else {
        const before = (store.readIndex(plan.pipeline, s.name) as { record?: KeyRecord } | undefined)?.record
        const reasons = found.status === "corrupt" ? [`cache entry corrupt: ${found.reason}`] : explainChange(before, inputs.record, (d) => store.loadListing(d))
        out.push({ name: s.name, state: "stale", key, reasons, dir: undefined, watch: [...watch, ...codeFiles] })
      }
    }
    store.statCache.save()
    return out
  })
