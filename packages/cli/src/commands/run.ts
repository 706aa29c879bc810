/** `ganflow run <pipeline>`: run it, printing cached/running stages with reasons, progress and output folders. */
import { Effect } from "effect"
import { existsSync } from "node:fs"
import { join, relative } from "node:path"
import { consoleReporter, isGpuBackend, runPipeline, storeDirOf, type PipelineDefinition, type Reporter, type RunEvent, type RunSummary, openLocalStore, trySync, tryAsync, instancesOf } from "@ganflow/core"
import { writeRunReport } from "../reports/run-report.ts"
import type { BackendOptionsInvalid, BackendUnavailable } from "@ganflow/backend"
import type { Arguments } from "../arguments.ts"
import { lazyTensorBackend } from "../tensor-backend-layer.ts"
import { commandRunOptions } from "../run-options.ts"
import { loadPipeline } from "../load-pipeline.ts"
import { findRun } from "./diff.ts"
import { overridesOf } from "../params-file.ts"
import { slurmExecutorFor } from "../slurm-executor-layer.ts"
import { runRemoteOf } from "../run-remote-option.ts"

/** Forward stage start/end to a watch supervisor over IPC. */
const ipcReporter = (inner: Reporter): Reporter => ({
  event: (e: RunEvent) => {
    inner.event(e)
    if (process.send === undefined) return
    if (e.type === "stage-start") process.send({ type: "stage-start", stage: e.stage, key: e.key })
    if (e.type === "stage-done" || e.type === "stage-failed" || e.type === "stage-interrupted") process.send({ type: "stage-end", stage: e.stage })
  },
})

/** Whether a thrown value is why the backend could not start (told by tag: @ganflow/backend loads only when used). */
export const isBackendStartError = (e: unknown): e is BackendUnavailable | BackendOptionsInvalid => {
  const tag = (e as { _tag?: unknown } | null)?._tag
  return tag === "BackendUnavailable" || tag === "BackendOptionsInvalid"
}

/** Run a pipeline once. */
export const runCommand = (root: string, args: Arguments) =>
  Effect.gen(function* () {
    const name = args.positionals[0]
    if (name === undefined) return yield* Effect.fail(new TypeError("ganflow run: which pipeline? (ganflow list shows them)"))
    const { definition, file } = yield* loadPipeline(root, name)
    // Slurm setups are checked before anything is written (no sbatch, an unknown partition: exit 2)
    const executor = args.executor === "slurm" ? yield* slurmExecutorFor(root, file, args) : undefined
    // a wrong remote (unknown, unreachable, refused credentials) fails here, naming it, before anything is written
    const remote = yield* runRemoteOf(root, args)
    const backend = lazyTensorBackend(args)
    // a GPU backend that cannot start fails here, with its reason, before any stage runs (exit 2)
    if (isGpuBackend(args.backend)) yield* tryAsync(backend.start, isBackendStartError)
    const reporter = args.ipc ? ipcReporter(consoleReporter()) : consoleReporter()
    const summary = yield* runPipeline(definition, {
      ...commandRunOptions(root, args, backend),
      overrides: yield* trySync(() => overridesOf(args), instancesOf(TypeError)),
      reporter,
      ...(remote === undefined ? {} : { remote }),
    }).pipe(executor === undefined ? (run) => run : Effect.provide(executor))
    yield* Effect.promise(() => showResults(definition, summary, storeDirOf({ root, storeDir: args.store })))
    return summary
  })

/** Prints where the pipeline's declared results are and writes the run's HTML report (`ganflow report`). */
const showResults = async (definition: PipelineDefinition, summary: RunSummary, storeDir: string): Promise<void> => {
  const shown = (path: string) => {
    const rel = relative(process.cwd(), path)
    return rel.startsWith("..") ? path : rel
  }
  const lines: string[] = []
  for (const result of definition.results) {
    const [stage, ...rest] = result.split("/")
    const dir = summary.stages.find((s) => s.name === stage)?.dir
    const path = dir === undefined ? undefined : join(dir, ...rest)
    if (path !== undefined && existsSync(path)) lines.push(`  ${result.padEnd(28)} ${shown(path)}`)
  }
  if (summary.recordPath !== undefined) {
    try {
      const store = openLocalStore(storeDir)
      const run = findRun(store, summary.id)
      if (run !== undefined) lines.push(`  ${"report".padEnd(28)} ${shown(await writeRunReport({ run, store }))}`)
    } catch (e) {
      lines.push(`  report could not be written: ${(e as Error).message}`)
    }
  }
  if (lines.length > 0) process.stdout.write(`results:\n${lines.join("\n")}\n`)
}
