/**
 * Running a sweep: every variant is a run of the pipeline (its own run record) with the variant's overrides. The
 * variants share the store, so a stage whose key is the same in several variants (data, reference statistics) is
 * computed once — the first variant to reach it takes its lock, the others wait and find it cached — and they share
 * one set of slots, so `--jobs` and the GPU semaphore bound the whole sweep; the executor of the context (local or
 * Slurm) places every stage. A failed variant is recorded with its error and the others go on. The sweep record is
 * rewritten as each variant ends, so after a kill -9 the rerun of the same definition continues the same record and
 * finds the finished variants' stages cached.
 */
import { Data, Effect } from "effect"
import { availableParallelism } from "node:os"
import type { Json } from "./canonical-json.ts"
import { describeCause, type RunFailed, StoreIOError } from "./errors.ts"
import type { PipelineDefinition } from "./pipeline.ts"
import { silentReporter, type Reporter } from "./reporter.ts"
import { makeRunSlots } from "./run-slots.ts"
import { runPlan, storeDirOf, type RunOptions, type RunRecord, type RunSummary } from "./runner.ts"
import { currentStore, layerLocalStore, type StoreServices } from "./store.ts"
import { LocalSweepRecords, type SweepRecord, type SweepVariantRecord } from "./store/sweep-records.ts"
import type { SweepDefinition, SweepInvalid } from "./sweep-definition.ts"
import { planSweep, type SweepPlan, type SweepVariant } from "./sweep-plan.ts"

/** What a sweep tells its caller as it goes. */
export interface SweepReporter {
  /** The sweep is planned and about to run (`continued`: a record of the same definition existed). */
  readonly start: (plan: SweepPlan, continued: SweepRecord | undefined) => void
  /** The reporter of one variant's run. */
  readonly variant: (variant: SweepVariant) => Reporter
  /** A variant ended (its record entry). */
  readonly variantEnd: (variant: SweepVariant, record: SweepVariantRecord) => void
}

/** Options of a sweep: those of a run (the variants' overrides come after `overrides`), and its reporter. */
export interface SweepOptions extends Omit<RunOptions, "reporter" | "slots"> {
  readonly sweepReporter?: SweepReporter
}

/** Stage executions over the whole sweep: how many each variant's runs had, ran and found cached. */
export interface SweepCacheSummary {
  /** Stage executions the variants asked for (stages x variants). */
  readonly stageExecutions: number
  readonly ran: number
  /** Answered from the cache: the executions the cache saved. */
  readonly cached: number
  /** Stages whose one entry served every variant (computed at most once for the whole sweep). */
  readonly sharedByAll: ReadonlyArray<string>
}

/** The result of a sweep. */
export interface SweepSummary {
  readonly record: SweepRecord
  readonly recordPath: string
  readonly cache: SweepCacheSummary
  /** The run summary of each variant that produced one. */
  readonly runs: ReadonlyMap<string, RunSummary>
}

/** How a variant's run went, as its record entry. */
const variantRecord = (variant: SweepVariant, summary: Pick<RunSummary, "id" | "stages"> | undefined, error: string | null, status: SweepVariantRecord["status"]): SweepVariantRecord => ({
  id: variant.id,
  config: variant.config as { readonly [axis: string]: Json },
  seed: variant.seed,
  configKey: variant.configKey,
  overrides: variant.overrides,
  status,
  runId: summary?.id ?? null,
  error,
  ran: summary?.stages.filter((s) => s.status === "ran").length ?? 0,
  cached: summary?.stages.filter((s) => s.status === "cached").length ?? 0,
})

/** Stage executions of the sweep's variants (see {@link SweepCacheSummary}). */
export const sweepCacheSummary = (variants: number, runs: ReadonlyArray<Pick<RunSummary, "stages">>): SweepCacheSummary => {
  const outcomes = runs.flatMap((r) => r.stages)
  const keysByStage = new Map<string, Set<string>>()
  const variantsByStage = new Map<string, number>()
  for (const o of outcomes) {
    if (o.key === undefined || (o.status !== "ran" && o.status !== "cached")) continue
    ;(keysByStage.get(o.name) ?? keysByStage.set(o.name, new Set()).get(o.name)!).add(o.key)
    variantsByStage.set(o.name, (variantsByStage.get(o.name) ?? 0) + 1)
  }
  return {
    stageExecutions: outcomes.length,
    ran: outcomes.filter((o) => o.status === "ran").length,
    cached: outcomes.filter((o) => o.status === "cached").length,
    sharedByAll: [...keysByStage].filter(([name, keys]) => keys.size === 1 && variantsByStage.get(name) === variants && variants > 1).map(([name]) => name),
  }
}

/**
 * Plan `sweep` over `pipeline` (failing with {@link SweepInvalid} before anything is written), then run every
 * variant on the store services of the context; a failed variant does not stop the others. Fails with
 * StoreIOError when the sweep record cannot be written.
 */
export const runSweepOnStore = (
  pipeline: PipelineDefinition,
  sweep: SweepDefinition,
  options: SweepOptions,
): Effect.Effect<SweepSummary, SweepInvalid | StoreIOError, StoreServices> => Effect.flatMap(planSweep(pipeline, sweep, options), (plan) => runSweepPlan(plan, options))

/** Run a planned sweep on the store services of the context (see {@link runSweepOnStore}). */
export const runSweepPlan = (plan: SweepPlan, options: SweepOptions): Effect.Effect<SweepSummary, StoreIOError, StoreServices> =>
  Effect.gen(function* () {
    const store = yield* currentStore
    const records = new LocalSweepRecords(store.root)
    const write = (record: SweepRecord) =>
      Effect.try({ try: () => records.writeSweep(record), catch: (cause) => new StoreIOError({ path: records.sweepPath(record.id), cause }) })
    const previous = yield* Effect.try({ try: () => records.readSweep(plan.id), catch: () => undefined }).pipe(Effect.orElseSucceed(() => undefined))
    const now = () => new Date().toISOString()
    const entries = new Map<string, SweepVariantRecord>(
      plan.variants.map((v) => {
        const before = previous?.variants.find((p) => p.id === v.id && p.configKey === v.configKey && p.seed === v.seed)
        return [v.id, before ?? variantRecord(v, undefined, null, "pending")]
      }),
    )
    let record: SweepRecord = {
      id: plan.id,
      name: plan.name,
      pipeline: plan.pipeline,
      definition: plan.definition as unknown as Json,
      axes: plan.axes,
      seedParams: plan.seedParams,
      baseOverrides: plan.baseOverrides,
      profile: plan.profile ?? null,
      status: "running",
      createdAt: previous?.createdAt ?? now(),
      updatedAt: now(),
      attempts: (previous?.attempts ?? 0) + 1,
      variants: plan.variants.map((v) => entries.get(v.id)!),
    }
    const recordPath = yield* write(record)
    const update = (status: SweepRecord["status"]) => {
      record = { ...record, status, updatedAt: now(), variants: plan.variants.map((v) => entries.get(v.id)!) }
      return write(record)
    }
    const reporter = options.sweepReporter
    reporter?.start(plan, previous)
    const slots = yield* makeRunSlots(options)
    const runs = new Map<string, RunSummary>()
    const failedRuns: RunRecord[] = []
    const readRunQuietly = (id: string) => {
      try {
        return store.runs.readRun(id)
      } catch {
        return undefined
      }
    }
    const runVariant = (variant: SweepVariant) =>
      runPlan(variant.plan, { ...options, slots, reporter: reporter?.variant(variant) ?? silentReporter }).pipe(
        Effect.map((summary) => {
          runs.set(variant.id, summary)
          return variantRecord(variant, summary, null, "ok")
        }),
        Effect.catchAll((e: RunFailed | StoreIOError) => {
          const failed = e._tag === "RunFailed" ? e.failures.join("; ") : describeCause(e)
          // the failed run wrote its run record: its stages count in the sweep's cache summary
          const run = e._tag === "RunFailed" && e.runId !== undefined ? (readRunQuietly(e.runId) as RunRecord | undefined) : undefined
          if (run !== undefined) failedRuns.push(run)
          return Effect.succeed(variantRecord(variant, run, failed, "failed"))
        }),
        Effect.onInterrupt(() => Effect.sync(() => entries.set(variant.id, { ...entries.get(variant.id)!, status: "interrupted" }))),
        Effect.tap((entry) =>
          Effect.gen(function* () {
            entries.set(variant.id, entry)
            reporter?.variantEnd(variant, entry)
            yield* update("running")
          }),
        ),
      )
    yield* Effect.forEach(plan.variants, runVariant, { concurrency: Math.max(1, options.jobs ?? availableParallelism()), discard: true }).pipe(
      Effect.onInterrupt(() => Effect.orElseSucceed(update("interrupted"), () => "")),
    )
    const failed = [...entries.values()].some((e) => e.status !== "ok")
    yield* update(failed ? "failed" : "ok")
    return { record, recordPath, cache: sweepCacheSummary(plan.variants.length, [...runs.values(), ...failedRuns]), runs }
  })


/** {@link runSweepOnStore} on the local store of `options` (`storeDir`, default `<root>/.ganflow`). */
export const runSweep = (pipeline: PipelineDefinition, sweep: SweepDefinition, options: SweepOptions): Effect.Effect<SweepSummary, SweepInvalid | StoreIOError> =>
  // planned first: a bad definition fails before the store is opened (nothing is written)
  Effect.flatMap(planSweep(pipeline, sweep, options), (plan) => runSweepPlan(plan, options).pipe(Effect.provide(layerLocalStore(storeDirOf(options)))))

/** A sweep in which some variants failed (each listed with its error); the others finished and are in the table. */
export class SweepFailed extends Data.TaggedError("SweepFailed")<{
  readonly sweep: string
  readonly failures: ReadonlyArray<string>
}> {
  override get message() {
    return `sweep ${this.sweep}: ${this.failures.length} variant${this.failures.length === 1 ? "" : "s"} did not finish:\n  ${this.failures.join("\n  ")}`
  }
}
