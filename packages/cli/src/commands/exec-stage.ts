/**
 * `ganflow exec-stage <pipeline> --stage s --key k`: what a Slurm job runs on a node. It plans the pipeline with
 * the driver's params, recomputes the stage's key from its upstreams' entries in the shared store (which must all
 * be committed), refuses with exit 2 when that key is not the driver's (different code or params on this node,
 * named), and otherwise runs the stage with the normal runner (its lock, its commit protocol). The driver keeps
 * the run record; the node writes none.
 */
import { readFileSync } from "node:fs"
import { Data, Effect } from "effect"
import {
  explainChange, layerStore, openLocalStore, pipelineStatusOnStore, runPipelineOnStore, storeDirOf, trySync, instancesOf,
  type KeyRecord, type Reporter, type RunOptions, type RunRecordsApi,
} from "@ganflow/core"
import type { Arguments } from "../arguments.ts"
import { loadPipeline } from "../load-pipeline.ts"
import { overridesOf } from "../params-file.ts"
import { lazyTensorBackend } from "../tensor-backend-layer.ts"
import { stageServicesLayer } from "../stage-services-layer.ts"

/** The node cannot run the stage the driver asked for (exit 2: nothing was run or written). */
export class ExecStageRefused extends Data.TaggedError("ExecStageRefused")<{ readonly stage: string; readonly reason: string }> {
  override get message() {
    return `exec-stage ${this.stage}: ${this.reason}`
  }
}

/**
 * What the node prints (the job's log, which the driver shows line by line as the stage's log): the stage's own
 * log lines, its progress at most every 2 s, warnings and the failure; the driver reports start and end itself.
 */
const nodeReporter = (): Reporter => {
  let lastProgress = 0
  const out = (line: string) => void process.stdout.write(`${line}\n`)
  return {
    event: (e) => {
      if (e.type === "stage-log") out(e.line)
      else if (e.type === "warning") out(`warning: ${e.message}`)
      else if (e.type === "stage-waiting") out(`waiting for process ${e.holder}, which is computing this entry`)
      else if (e.type === "stage-failed") process.stderr.write(`${e.message}\n`)
      else if (e.type === "stage-progress" && (Date.now() - lastProgress >= 2000 || e.update.step === e.update.total)) {
        lastProgress = Date.now()
        out(`progress ${e.update.step}${e.update.total === undefined ? "" : `/${e.update.total}`}${e.update.message === undefined ? "" : ` ${e.update.message}`}`)
      }
    },
  }
}

/** The driver's key record, when its file is given and readable. */
const driverRecordOf = (path: string | undefined): KeyRecord | undefined => {
  if (path === undefined) return undefined
  try {
    return JSON.parse(readFileSync(path, "utf8")) as KeyRecord
  } catch {
    return undefined
  }
}

/** Run one planned stage of a pipeline on this machine (see the module comment). */
export const execStageCommand = (root: string, args: Arguments) =>
  Effect.gen(function* () {
    const name = args.positionals[0]
    const stage = args.stage
    if (name === undefined || stage === undefined || args.key === undefined) {
      return yield* Effect.fail(new TypeError("ganflow exec-stage: give the pipeline, --stage and --key (the driver's cache key)"))
    }
    const { definition } = yield* loadPipeline(root, name)
    const backend = lazyTensorBackend(args)
    const options: RunOptions = {
      root,
      overrides: yield* trySync(() => overridesOf(args), instancesOf(TypeError)),
      profile: args.profile,
      only: [stage],
      jobs: 1,
      storeDir: args.store,
      services: stageServicesLayer(backend),
      reporter: nodeReporter(),
    }
    const store = openLocalStore(storeDirOf(options))
    const statuses = yield* pipelineStatusOnStore(definition, options).pipe(Effect.provide(layerStore(store)))
    const missing = statuses.filter((s) => s.name !== stage && s.state !== "cached").map((s) => s.name)
    if (missing.length > 0) {
      return yield* new ExecStageRefused({ stage, reason: `its upstream ${missing.join(", ")} is not in the store ${store.root} (the driver submits a stage once its upstreams are committed: does this node see the same store?)` })
    }
    const mine = statuses.find((s) => s.name === stage)!
    if (mine.key !== args.key) {
      const driver = driverRecordOf(args.record)
      const differences =
        mine.record === undefined ? [mine.reasons.join("; ")] : driver === undefined ? ["(the driver's key record is not readable here)"] : explainChange(driver, mine.record, (d) => store.history.loadListing(d))
      return yield* new ExecStageRefused({
        stage,
        reason: `this node computes key ${mine.key ?? "(none)"}, the driver ${args.key}: ${differences.join("; ")}. The node must run the same commit with the same params as the driver.`,
      })
    }
    // the driver writes the run record; the node's run adds no second one to `ganflow runs`
    const runs: RunRecordsApi = Object.assign(Object.create(store.runs) as RunRecordsApi, { writeRun: () => "(kept by the driver)" })
    return yield* runPipelineOnStore(definition, options).pipe(Effect.provide(layerStore({ ...store, runs })))
  })
