/**
 * The runner: executes a planned pipeline in topological order with Effect. Independent stages run
 * concurrently up to `jobs`; stages that need a GPU share a semaphore; a failed stage fails its downstream
 * (named) while independent branches finish; interruption (Ctrl-C, SIGTERM) stops running stages, removes
 * their temporary outputs and leaves the store consistent. Cached stages are not run; a rerun stage whose
 * outputs are byte-identical keeps its downstream cached (early cutoff), because downstream keys depend on
 * output digests only.
 */
import { makeRunSlots, type RunSlots } from "./run-slots.ts"
import { Deferred, Effect, Either, Exit, Layer } from "effect"
import { mkdirSync, existsSync } from "node:fs"
import { cpus, platform } from "node:os"
import { join } from "node:path"
import { randomBytes } from "node:crypto"
import { checkpointKey } from "./cache-key.ts"
import { canonicalJson, type Json } from "./canonical-json.ts"
import { describeCause, InputMissing, isBadInput, OutputMissing, PipelineInvalid, RunFailed, StageFailed, storeProblemHint, StoreIOError, UpstreamFailed } from "./errors.ts"
import type { PipelineDefinition } from "./pipeline.ts"
import { planPipeline, type Plan, type PlannedStage, type PlanOptions } from "./plan.ts"
import { silentReporter, type Reporter } from "./reporter.ts"
import type { StageContext } from "./stage.ts"
import { StageCheckpoints, StageEvents } from "./stage-services.ts"
import { currentStore, layerLocalStore, type Store, type StoreServices } from "./store.ts"
import { loadWorkspace } from "./workspace.ts"
import { currentExecutor, type CommittedEntry, type StageTask } from "./executor.ts"
import { lookupStage } from "./internal/stage-lookup.ts"
import { runRemote, type RemoteHitRecord, type RunRemoteOptions } from "./remote-run.ts"
import { stageInputs, type CodeFingerprints, type UpstreamResult } from "./internal/stage-record.ts"

/** Options of a run. */
export interface RunOptions extends PlanOptions {
  /** Store folder; default `<root>/.ganflow`. */
  readonly storeDir?: string
  /** Stages run at once (default: the number of CPUs). */
  readonly jobs?: number
  /** GPUs to share among stages that declare `gpu` (default: 1 on a GPU backend, else no limit; see `gpu-permits.ts`). */
  readonly gpus?: number
  /**
   * Whether the stages' tensor backend computes on a GPU, asked (once) only when the first stage that declares a
   * GPU must actually run; then, without `gpus`, such stages run one at a time. For `--backend auto`, which is only
   * known once the backend starts (the CLI passes the backend's choice); absent: stages run as if on the CPU.
   */
  readonly gpuBackendActive?: () => Promise<boolean>
  readonly reporter?: Reporter
  /**
   * Services the stages require beyond the runner's own (`StageEvents`, `StageCheckpoints`): the CLI gives
   * `TensorBackend`; a test gives its own implementations. Built at most once per run, and only when a stage that
   * needs it runs (a run with every stage cached builds nothing).
   */
  readonly services?: Layer.Layer<any, any, never>
  /**
   * A remote cache (`--remote`): stages that miss locally are looked up there; hits are downloaded only when the
   * run needs their files (results, `pullAll`, inputs of stages that run); computed entries are uploaded. See
   * `remote-run.ts`.
   */
  readonly remote?: RunRemoteOptions
  /** Slots shared with other runs (a sweep's variants); absent: the run makes its own from `jobs` and `gpus`. */
  readonly slots?: RunSlots
}

/** What happened to one stage in a run. */
export interface StageOutcome {
  readonly name: string
  readonly stage: string
  /** Instance names this stage reads from. */
  readonly upstreams: ReadonlyArray<string>
  status: "cached" | "ran" | "failed" | "skipped" | "interrupted" | "pending"
  key?: string
  reasons: ReadonlyArray<string>
  durationMs: number
  outputDigest?: string
  dir?: string
  metrics: Record<string, number>
  /** Metrics recorded with a step, as [step, value] points (FID per checkpoint, say). */
  metricSeries?: Record<string, ReadonlyArray<readonly [number, number]>>
  env: Record<string, Json>
  params: Json
  error?: string
  /** A hit found on the remote cache: whether its files were downloaded, and how much. */
  remote?: RemoteHitRecord
  /** Where the stage ran when not in this process: the executor's name and facts (`{ name: "slurm", jobIds: [...] }`). */
  executor?: Record<string, Json>
}

/** The result of a run (also written as its run record). */
export interface RunSummary {
  readonly id: string
  readonly pipeline: string
  readonly status: "ok" | "failed" | "interrupted"
  readonly stages: ReadonlyArray<StageOutcome>
  /** Where the run record was written; undefined when the store could not be written (a warning said why). */
  readonly recordPath: string | undefined
}

/** A run record as written to `runs/<id>.json`. */
export interface RunRecord {
  readonly id: string
  readonly pipeline: string
  readonly status: "ok" | "failed" | "interrupted"
  readonly startedAt: string
  readonly durationMs: number
  readonly profile: string | null
  readonly overrides: ReadonlyArray<string>
  readonly host: { readonly node: string; readonly platform: string; readonly cpus: number }
  readonly stages: ReadonlyArray<StageOutcome>
}

/** The store folder a run with these options uses. */
export const storeDirOf = (options: { root: string; storeDir?: string }): string => options.storeDir ?? join(options.root, ".ganflow")

/** Run ids sort in start order: UTC date, time and milliseconds, then the pipeline and a random tag. */
const newRunId = (pipeline: string): string => {
  const t = new Date().toISOString().replace(/[-:]/g, "").replace("T", "-").replace(".", "-").slice(0, 19)
  return `${t}-${pipeline}-${randomBytes(2).toString("hex")}`
}

/**
 * Run `definition` on the local store of `options` (`storeDir`, default `<root>/.ganflow`); fails with
 * PipelineInvalid before touching the store, or RunFailed after the run.
 */
export const runPipeline = (
  definition: PipelineDefinition,
  options: RunOptions,
): Effect.Effect<RunSummary, PipelineInvalid | RunFailed | StoreIOError> =>
  // planned first: an invalid pipeline fails before the store is opened (nothing is written)
  Effect.flatMap(planPipeline(definition, options), (plan) => runPlan(plan, options).pipe(Effect.provide(layerLocalStore(storeDirOf(options)))))

/** Run `definition` on the store services of the context (see {@link runPipeline}). */
export const runPipelineOnStore = (
  definition: PipelineDefinition,
  options: RunOptions,
): Effect.Effect<RunSummary, PipelineInvalid | RunFailed | StoreIOError, StoreServices> =>
  Effect.flatMap(planPipeline(definition, options), (plan) => runPlan(plan, options))

/** Run a validated plan on the store services of the context. */
export const runPlan = (
  plan: Plan,
  options: RunOptions,
): Effect.Effect<RunSummary, RunFailed | StoreIOError, StoreServices> =>
  Effect.scoped(Effect.gen(function* () {
    const reporter = options.reporter ?? silentReporter
    const store = yield* currentStore
    store.objects.warn = (message) => reporter.event({ type: "warning", message })
    const stageServices = yield* Layer.memoize(options.services ?? Layer.empty)
    const remote = yield* runRemote(store, options.remote, plan.results, reporter)
    // temp folders that killed runs left behind; a read-only store keeps them
    try {
      store.objects.pruneDeadTemps()
    } catch {
      // nothing lost: gc prunes them later
    }
    const ws = loadWorkspace(options.root)
    const fingerprints: CodeFingerprints = new Map()
    const id = newRunId(plan.pipeline)
    const startedAt = Date.now()
    const { jobs, gpus, keyLock } = options.slots ?? (yield* makeRunSlots(options))
    const executor = yield* currentExecutor
    const outcomes = new Map<string, StageOutcome>()
    /** Stages that failed on unreadable or malformed input data (the run then exits as bad input, 2). */
    const badInputStages = new Set<string>()
    const results = new Map<string, Deferred.Deferred<UpstreamResult, string>>()
    for (const s of plan.stages) {
      results.set(s.name, yield* Deferred.make<UpstreamResult, string>())
      outcomes.set(s.name, { name: s.name, stage: s.definition.name, upstreams: s.upstreams, status: "pending", reasons: [], durationMs: 0, metrics: {}, metricSeries: {}, env: {}, params: s.params })
    }
    reporter.event({ type: "run-start", pipeline: plan.pipeline, runId: id, stages: plan.stages.length })

    let recordError: unknown
    const writeRecord = (status: RunSummary["status"]): RunSummary => {
      store.objects.statCache.save()
      const record: RunRecord = {
        id,
        pipeline: plan.pipeline,
        status,
        startedAt: new Date(startedAt).toISOString(),
        durationMs: Date.now() - startedAt,
        profile: plan.profile ?? null,
        overrides: [...plan.overrides],
        host: { node: process.version, platform: platform(), cpus: cpus().length },
        stages: plan.stages.map((s) => outcomes.get(s.name)!),
      }
      let recordPath: string | undefined
      try {
        recordPath = store.runs.writeRun(id, JSON.parse(JSON.stringify(record)) as { readonly [key: string]: Json })
      } catch (e) {
        recordError = e
        reporter.event({ type: "warning", message: `run record not written: ${describeCause(e)}${storeProblemHint(e)}` })
      }
      // stages that ran but cannot be recorded make the run fail (see below), so it must not print "ok"
      const unrecorded = recordPath === undefined && status === "ok" && record.stages.some((o) => o.status === "ran")
      reporter.event({ type: "run-end", status: unrecorded ? "failed" : status, ms: Date.now() - startedAt, record: recordPath })
      return { id, pipeline: plan.pipeline, status, stages: record.stages, recordPath }
    }

    const runStage = (s: PlannedStage) =>
      Effect.gen(function* () {
        const outcome = outcomes.get(s.name)!
        const ups = new Map<string, UpstreamResult>()
        for (const u of s.upstreams) {
          const r = yield* Effect.either(Deferred.await(results.get(u)!))
          if (Either.isLeft(r)) {
            outcome.status = "skipped"
            outcome.error = `upstream ${u} failed`
            reporter.event({ type: "stage-skipped", stage: s.name, upstream: u })
            return yield* Effect.fail(new UpstreamFailed({ stage: s.name, upstream: u }))
          }
          ups.set(u, r.right)
        }
        const t0 = Date.now()
        const inputsOf = () => Effect.try({
          try: () => stageInputs(s, ups, store, ws, fingerprints),
          catch: (e) => (e instanceof InputMissing ? e : new StageFailed({ stage: s.name, cause: e })),
        })
        let { record, resolved } = yield* inputsOf()
        let { key, found: first, reasons } = lookupStage(store, plan.pipeline, s.name, record)
        let ckey = checkpointKey(record, s.definition.resumeOmits)
        outcome.key = key
        const remember = () => {
          const known = store.history.readIndex(plan.pipeline, s.name) as { key?: string } | undefined
          if (known?.key !== key) store.history.writeIndex(plan.pipeline, s.name, { key, checkpointKey: ckey, record } as unknown as Json)
        }
        const cached = (found: { manifest: UpstreamResult["manifest"]; dir: string }, fromRemote?: RemoteHitRecord) => {
          remember()
          Object.assign(outcome, {
            remote: fromRemote,
            status: "cached",
            durationMs: Date.now() - t0,
            outputDigest: found.manifest.outputDigest,
            dir: found.dir,
            metrics: { ...found.manifest.metrics },
            metricSeries: { ...found.manifest.metricSeries },
            env: { ...found.manifest.env },
          })
          reporter.event({ type: "stage-cached", stage: s.name, key, dir: found.dir, ms: Date.now() - t0, ...(fromRemote === undefined ? {} : { remote: fromRemote }) })
          return { manifest: found.manifest, dir: found.dir }
        }
        if (first.status === "hit") return cached(first)
        outcome.reasons = reasons
        const execute = Effect.scoped(
          Effect.gen(function* () {
            yield* Effect.acquireRelease(lockKey(store, key, [key, ckey], s.name, reporter), (lock) => Effect.sync(() => lock.release()))
            const again = store.objects.lookup(key)
            if (again.status === "hit") return cached(again)
            for (const u of ups.values()) {
              const problem = store.objects.verifyFresh(u.manifest)
              if (problem !== undefined) {
                return yield* Effect.fail(new StageFailed({ stage: s.name, cause: `an input from the store is corrupt (${problem}); it was removed, run again to recompute it` }))
              }
            }
            const tmp = yield* Effect.acquireRelease(Effect.sync(() => store.objects.makeTemp(s.name)), (dir) => Effect.sync(() => store.objects.removeTemp(dir)))
            const scratch: string[] = []
            yield* Effect.addFinalizer(() => Effect.sync(() => scratch.forEach((d) => store.objects.removeTemp(d))))
            const outDir = join(tmp, "out")
            mkdirSync(outDir)
            reporter.event({ type: "stage-start", stage: s.name, key, reasons })
            const metrics: Record<string, number> = {}
            const metricSeries: Record<string, Array<[number, number]>> = {}
            const env: Record<string, Json> = {}
            const ctx: StageContext<any, any> = {
              stage: s.name,
              pipeline: plan.pipeline,
              workspaceRoot: plan.root,
              params: s.params,
              inputs: resolved,
              outDir,
              finalDir: store.objects.outDir(key),
            }
            const events = StageEvents.of({
              progress: (update) => reporter.event({ type: "stage-progress", stage: s.name, update }),
              log: (line) => reporter.event({ type: "stage-log", stage: s.name, line }),
              metric: (name, value, step) => {
                metrics[name] = value
                if (step !== undefined) (metricSeries[name] ??= []).push([step, value])
              },
              env: (facts) => void Object.assign(env, JSON.parse(canonicalJson(facts)) as Record<string, Json>),
            })
            const t1 = Date.now()
            const stageEffect = s.definition.run(ctx).pipe(
              Effect.provideService(StageEvents, events),
              Effect.provideService(StageCheckpoints, store.checkpoints.checkpoints(ckey, scratch)),
              Effect.provide(stageServices),
            ) as Effect.Effect<unknown, unknown, never>
            const value = yield* stageEffect.pipe(
              Effect.catchAllDefect((d) => Effect.fail(d)),
              Effect.mapError((cause) => new StageFailed({ stage: s.name, cause })),
              Effect.onInterrupt(() => Effect.sync(() => {
                outcome.status = "interrupted"
                reporter.event({ type: "stage-interrupted", stage: s.name })
              })),
            )
            for (const out of s.definition.outputs) {
              if (!existsSync(join(outDir, out))) return yield* Effect.fail(new OutputMissing({ stage: s.name, output: out }))
            }
            const stored = yield* Effect.try({
              try: () => JSON.parse(canonicalJson(value ?? null)) as Json,
              catch: (e) => new StageFailed({ stage: s.name, cause: `its returned value is not JSON: ${(e as Error).message}` }),
            })
            const durationMs = Date.now() - t1
            const manifest = store.objects.commit(key, outDir, {
              stage: s.definition.name,
              instance: s.name,
              pipeline: plan.pipeline,
              value: stored,
              metrics,
              metricSeries,
              env,
              durationMs,
            })
            remember()
            const dir = store.objects.outDir(key)
            Object.assign(outcome, { status: "ran", durationMs, outputDigest: manifest.outputDigest, dir, metrics, metricSeries, env })
            reporter.event({ type: "stage-done", stage: s.name, key, dir, ms: durationMs })
            return { manifest, dir }
          }),
        )
        // a stage asking more GPUs than there are permits takes them all (asking more would wait forever)
        const inProcess = s.gpu > 0 ? Effect.flatMap(gpus, ({ semaphore, permits }) => semaphore.withPermits(Math.min(s.gpu, permits))(execute)) : execute
        // where it runs is the executor's choice; what it must produce (the entry under `key`) is the runner's
        const placed = Effect.suspend(() => {
          const task: StageTask<Effect.Effect.Error<typeof execute>> = {
            plan,
            stage: s,
            key,
            record,
            reasons,
            inProcess,
            committed: Effect.suspend((): Effect.Effect<CommittedEntry, StageFailed> => {
              const found = store.objects.lookup(key)
              if (found.status === "hit") return Effect.succeed({ manifest: found.manifest, dir: found.dir })
              const why = found.status === "corrupt" ? `its entry ${key} is corrupt (${found.reason})` : `nothing was committed under its key ${key}`
              return Effect.fail(new StageFailed({ stage: s.name, cause: `it ran on ${executor.name} but ${why}` }))
            }),
            started: (facts) =>
              Effect.sync(() => {
                outcome.executor = { ...facts }
                reporter.event({ type: "stage-start", stage: s.name, key, reasons })
              }),
            note: (facts) => Effect.sync(() => void (outcome.executor = { ...outcome.executor, ...facts })),
            log: (line) => Effect.sync(() => reporter.event({ type: "stage-log", stage: s.name, line })),
          }
          return Effect.map(executor.execute(task), (done): UpstreamResult => {
            if (!done.ranElsewhere) return { manifest: done.manifest, dir: done.dir }
            remember()
            const { manifest } = done
            Object.assign(outcome, {
              status: "ran",
              durationMs: manifest.durationMs,
              outputDigest: manifest.outputDigest,
              dir: done.dir,
              metrics: { ...manifest.metrics },
              metricSeries: { ...manifest.metricSeries },
              env: { ...manifest.env },
            })
            reporter.event({ type: "stage-done", stage: s.name, key, dir: done.dir, ms: manifest.durationMs })
            return { manifest, dir: done.dir }
          })
        }).pipe(
          Effect.onInterrupt(() =>
            Effect.sync(() => {
              if (outcome.status === "interrupted") return
              outcome.status = "interrupted"
              reporter.event({ type: "stage-interrupted", stage: s.name })
            }),
          ),
        )
        const compute: Effect.Effect<UpstreamResult, Effect.Effect.Error<typeof execute> | StageFailed | InputMissing> = Effect.gen(function* () {
          // remote hits this stage reads are downloaded first (no job slot is held while waiting for them)
          let changed = false
          yield* Effect.forEach([...ups], ([u, up]) =>
            up.materialize === undefined
              ? Effect.void
              : up.materialize.pipe(
                  Effect.mapError((e) => new StageFailed({ stage: s.name, cause: `its input ${u} could not be downloaded or recomputed: ${e.message}` })),
                  Effect.map((local) => {
                    changed ||= local.manifest.outputDigest !== up.manifest.outputDigest
                    ups.set(u, local)
                  }),
                ), { concurrency: "unbounded", discard: true })
          if (changed) {
            // an input was recomputed with different bytes: this stage's key follows its new digest
            ;({ record, resolved } = yield* inputsOf())
            ;({ key, found: first, reasons } = lookupStage(store, plan.pipeline, s.name, record))
            ckey = checkpointKey(record, s.definition.resumeOmits)
            outcome.key = key
            if (first.status === "hit") return cached(first)
            outcome.reasons = reasons
          }
          // another run sharing the slots (a sweep's variant) may be computing this key: wait for it, then it is a hit
          const done = yield* keyLock(key).withPermits(1)(
            Effect.suspend(() => {
              const again = store.objects.lookup(key)
              return again.status === "hit" ? Effect.succeed(cached(again)) : jobs.withPermits(1)(placed)
            }),
          )
          if (outcome.status === "ran") yield* remote.upload(s.name, key)
          return done
        })
        // a local miss: the remote's entry is a hit, downloaded now only when the run needs its files
        const onRemote = yield* remote.find(s.name, key)
        if (onRemote !== undefined) {
          const hit = { remote: remote.name!, downloaded: false, objects: 0, bytes: 0 }
          const pulled = remote.wanted(s.name) ? yield* remote.download(s.name, key, onRemote) : undefined
          if (pulled !== undefined && Either.isRight(pulled)) return cached(pulled.right, { ...hit, downloaded: true, objects: pulled.right.downloadedObjects, bytes: pulled.right.downloadedBytes })
          if (pulled === undefined) {
            const result = cached({ manifest: onRemote, dir: store.objects.outDir(key) }, hit)
            outcome.dir = undefined
            // downloaded (or recomputed, when the download does not verify) once a stage that runs reads it
            const materialize = yield* Effect.cached(
              Effect.flatMap(remote.download(s.name, key, onRemote), (later) => {
                if (Either.isLeft(later)) {
                  reasons = [later.left]
                  Object.assign(outcome, { reasons, remote: undefined })
                  return compute
                }
                Object.assign(outcome, { dir: later.right.dir, remote: { ...hit, downloaded: true, objects: later.right.downloadedObjects, bytes: later.right.downloadedBytes } })
                return Effect.succeed({ manifest: later.right.manifest, dir: later.right.dir })
              }).pipe(
                Effect.tapError((e) => Effect.sync(() => {
                  Object.assign(outcome, { status: "failed", error: e.message })
                  reporter.event({ type: "stage-failed", stage: s.name, message: e.message })
                })),
                Effect.mapError((e) => (e instanceof StageFailed ? e : new StageFailed({ stage: s.name, cause: e.message }))),
              ),
            )
            return { ...result, materialize }
          }
          reasons = [pulled.left, ...reasons]
          outcome.reasons = reasons
        }

        return yield* compute
      }).pipe(
        // anything that throws outside the stage's own code (key, lookup, lock, commit, index) fails this stage
        Effect.catchAllDefect((defect) => Effect.fail(new StageFailed({ stage: s.name, cause: `${describeCause(defect)}${storeProblemHint(defect)}` }))),
        // a skipped stage was reported as such; every other failure (inputs, the run, outputs) is this stage's
        Effect.tapError((e) =>
          Effect.sync(() => {
            const outcome = outcomes.get(s.name)!
            if (outcome.status === "skipped") return
            outcome.status = "failed"
            outcome.error = e.message
            if (isBadInput(e)) badInputStages.add(s.name)
            reporter.event({ type: "stage-failed", stage: s.name, message: e.message })
          }),
        ),
        Effect.exit,
        Effect.flatMap((exit) => Deferred.done(results.get(s.name)!, Exit.mapError(exit, (e) => e.message))),
      )

    const summary = yield* Effect.forEach(plan.stages, runStage, { concurrency: "unbounded", discard: true }).pipe(
      Effect.zipRight(remote.settle),
      Effect.onInterrupt(() => Effect.sync(() => writeRecord("interrupted"))),
      Effect.map(() => {
        // ok only when every stage is accounted for: cached or ran
        const unfinished = [...outcomes.values()].filter((o) => o.status !== "cached" && o.status !== "ran")
        for (const o of unfinished) if (o.status === "pending") Object.assign(o, { status: "failed", error: "the engine lost track of this stage (internal error)" })
        return writeRecord(unfinished.length > 0 ? "failed" : "ok")
      }),
    )
    yield* remote.uploadRun(summary.recordPath === undefined ? undefined : summary.id)
    // a run whose every stage was cached needs no record to be usable; one that ran stages and cannot record
    // them is not ok (its runs list, report and diff would silently lack it)
    if (summary.status === "ok" && summary.recordPath === undefined && summary.stages.some((o) => o.status === "ran")) {
      return yield* Effect.fail(new StoreIOError({ path: store.runs.runPath(id), cause: `${describeCause(recordError)}${storeProblemHint(recordError)}; the stages that ran are stored, so a rerun finds them cached` }))
    }
    if (summary.status === "failed") {
      const failedStages = summary.stages.filter((o) => o.status !== "cached" && o.status !== "ran")
      return yield* Effect.fail(
        new RunFailed({
          pipeline: plan.pipeline,
          failures: failedStages.map((o) => `${o.name}: ${o.error ?? o.status}`),
          badInput: badInputStages.size > 0 && failedStages.every((o) => o.status === "skipped" || badInputStages.has(o.name)),
          ...(summary.recordPath === undefined ? {} : { runId: summary.id }),
        }),
      )
    }
    return summary
  }))

/** Take the per-key lock, waiting (and saying so) while another live process holds it. */
const lockKey = (store: Store, key: string, keys: ReadonlyArray<string>, stage: string, reporter: Reporter) =>
  Effect.gen(function* () {
    let announced = false
    for (;;) {
      const r = store.locks.tryLock(key, keys)
      if ("release" in r) return r
      if (!announced) {
        reporter.event({ type: "stage-waiting", stage, holder: r.heldBy })
        announced = true
      }
      yield* Effect.sleep("150 millis")
    }
  })

