/**
 * `ganflow sweep <pipeline> --grid train.loss=bce,hinge --seeds 0..2 [--file sweeps/x.json] [--sort fid]`: run every
 * variant of the sweep (runs of the pipeline with the variant's overrides after the command line's own `--set`,
 * `--params`, `--profile`), concurrently up to `--jobs` and the GPU semaphore, locally or as Slurm jobs; print one
 * line per variant as it ends, how many stage executions the cache saved, the failed variants with their errors,
 * and the table of mean ± std over seeds; write the sweep's HTML report and the table as JSON and CSV. A bad
 * definition fails before anything runs (exit 2); a sweep with failed variants exits 1 after the others finish.
 */
import { Effect } from "effect"
import {
  consoleReporter, instancesOf, isGpuBackend, openLocalStore, readSweepFile, runSweep, storeDirOf, StoreIOError, SweepFailed, sweepFromOptions, SweepInvalid,
  trySync, tryAsync, type Reporter, type SweepDefinition, type SweepReporter,
} from "@ganflow/core"
import { join, resolve } from "node:path"
import { isBackendStartError } from "./run.ts"
import type { Arguments } from "../arguments.ts"
import { loadPipeline } from "../load-pipeline.ts"
import { overridesOf } from "../params-file.ts"
import { configValue, formatSweepTable, shortAxisNames, sweepTableCsv } from "../reports/sweep-table-format.ts"
import { sweepTableOf, writeSweepReport } from "../reports/sweep-report.ts"
import { slurmExecutorFor } from "../slurm-executor-layer.ts"
import { lazyTensorBackend } from "../tensor-backend-layer.ts"
import { commandRunOptions } from "../run-options.ts"

/** The definition from `--file` and the command line's `--grid`/`--zip`/`--seeds`/`--seed-param` (which add to or replace the file's). */
export const sweepDefinitionOf = (args: Arguments): SweepDefinition | SweepInvalid => {
  const fromOptions = sweepFromOptions({ grid: args.grid, zip: args.zip, seeds: args.seeds, seedParams: args.seedParam })
  if (fromOptions instanceof SweepInvalid || args.file === undefined) return fromOptions
  const fromFile = readSweepFile(resolve(process.cwd(), args.file), args.file)
  if (fromFile instanceof SweepInvalid) return fromFile
  return {
    ...fromFile,
    ...(fromOptions.grid === undefined ? {} : { grid: { ...fromFile.grid, ...fromOptions.grid } }),
    ...(fromOptions.zip === undefined ? {} : { zip: { ...fromFile.zip, ...fromOptions.zip } }),
    ...(fromOptions.seeds === undefined ? {} : { seeds: fromOptions.seeds }),
    ...(fromOptions.seedParams === undefined ? {} : { seedParams: fromOptions.seedParams }),
  }
}

/** Lines of the sweep as it goes: its plan, each variant's end, stage failures (named by variant), warnings. */
const consoleSweepReporter = (write: (s: string) => void, verbose: boolean): SweepReporter => {
  let axes = new Map<string, string>()
  let total = 0
  let ended = 0
  return {
    start: (plan, continued) => {
      axes = shortAxisNames(plan.axes)
      total = plan.variants.length
      const configs = new Set(plan.variants.map((v) => v.configKey)).size
      const seeds = plan.variants.filter((v) => v.configKey === plan.variants[0]!.configKey).length
      write(`ganflow: sweep ${plan.id} over ${plan.pipeline}: ${total} variants (${configs} configuration${configs === 1 ? "" : "s"} x ${seeds} seed${seeds === 1 ? "" : "s"})${plan.seedParams.length > 0 ? `, seeds go to ${plan.seedParams.join(", ")}` : ""}\n`)
      if (continued !== undefined) {
        const done = continued.variants.filter((v) => v.status === "ok").length
        write(`  continuing: ${done} of ${continued.variants.length} variants had finished (their stages are cache hits)\n`)
      }
    },
    variant: (variant): Reporter => {
      const label = `${variant.id} ${[...Object.entries(variant.config).map(([a, v]) => `${axes.get(a) ?? a}=${configValue(v)}`), ...(variant.seed === null ? [] : [`seed=${variant.seed}`])].join(" ")}`
      if (verbose) {
        const inner = consoleReporter({ tty: false, write: (s) => write(s.split("\n").map((l) => (l === "" ? l : `[${variant.id}] ${l}`)).join("\n")) })
        return inner
      }
      return {
        event: (e) => {
          if (e.type === "stage-start") write(`  [${label}] > ${e.stage} running${e.reasons.length > 0 ? `: ${e.reasons[0]}` : ""}\n`)
          if (e.type === "stage-waiting") write(`  [${label}] ~ ${e.stage} waits for another variant computing it\n`)
          if (e.type === "stage-failed") write(`  [${label}] x ${e.stage} failed: ${e.message.split("\n")[0]}\n`)
          if (e.type === "warning") write(`  [${label}] warning: ${e.message}\n`)
        },
      }
    },
    variantEnd: (variant, record) => {
      ended++
      const label = [...Object.entries(variant.config).map(([a, v]) => `${axes.get(a) ?? a}=${configValue(v)}`), ...(variant.seed === null ? [] : [`seed=${variant.seed}`])].join(" ")
      const what = record.status === "ok" ? `ok (ran ${record.ran}, cached ${record.cached})` : `${record.status}${record.error === null ? "" : `: ${record.error}`}`
      write(`[${ended}/${total}] ${variant.id} ${label}: ${what}${record.runId === null ? "" : `  run ${record.runId}`}\n`)
    },
  }
}

/** Run a sweep (see the module comment). */
export const sweepCommand = (root: string, args: Arguments) =>
  Effect.gen(function* () {
    const name = args.positionals[0]
    if (name === undefined) return yield* Effect.fail(new TypeError("ganflow sweep: which pipeline? (ganflow list shows them)"))
    const { definition, file } = yield* loadPipeline(root, name)
    const sweep = sweepDefinitionOf(args)
    if (sweep instanceof SweepInvalid) return yield* Effect.fail(sweep)
    const overrides = yield* trySync(() => overridesOf(args), instancesOf(TypeError))
    const executor = args.executor === "slurm" ? yield* slurmExecutorFor(root, file, args) : undefined
    const backend = lazyTensorBackend(args)
    if (isGpuBackend(args.backend)) yield* tryAsync(backend.start, isBackendStartError)
    const write = (s: string) => void process.stdout.write(s)
    const storeDir = storeDirOf({ root, storeDir: args.store })
    const summary = yield* runSweep(definition, sweep, {
      ...commandRunOptions(root, args, backend),
      overrides,
      storeDir,
      sweepReporter: consoleSweepReporter(args.json || args.csv ? (s) => void process.stderr.write(s) : write, args.verbose),
    }).pipe(executor === undefined ? (run) => run : Effect.provide(executor))
    const { cache, record } = summary
    const out = args.json || args.csv ? (s: string) => void process.stderr.write(s) : write
    out(
      `stage executions: ${cache.stageExecutions} in ${record.variants.length} variants; ${cache.ran} ran, ${cache.cached} answered from the cache (saved)${cache.sharedByAll.length > 0 ? `; computed once for all variants: ${cache.sharedByAll.join(", ")}` : ""}\n`,
    )
    const store = openLocalStore(storeDir)
    // the metrics are known only now: a --sort that names none is a warning (the table is then in its default order)
    const sorted = sweepTableOf(store, record, args.sort)
    if (typeof sorted === "string") process.stderr.write(`ganflow: ${sorted}; the table below is sorted by its first metric\n`)
    const tabled = typeof sorted === "string" ? sweepTableOf(store, record) : sorted
    if (typeof tabled === "string") return yield* Effect.fail(new TypeError(tabled))
    const paths = yield* Effect.try({
      try: () => writeSweepReport({ sweep: record, table: tabled.table, runs: tabled.runs, store }),
      catch: (cause) => new StoreIOError({ path: join(store.root, "reports"), cause }),
    })
    if (args.json) write(`${JSON.stringify(tabled.table, null, 1)}\n`)
    else if (args.csv) write(sweepTableCsv(tabled.table))
    else write(formatSweepTable(tabled.table))
    out(`report: ${paths.html}\ntable: ${paths.json}, ${paths.csv}\n`)
    const failed = record.variants.filter((v) => v.status !== "ok")
    if (failed.length > 0) {
      return yield* Effect.fail(new SweepFailed({ sweep: record.id, failures: failed.map((v) => `${v.id} ${Object.entries(v.config).map(([a, x]) => `${a}=${configValue(x)}`).join(" ")}${v.seed === null ? "" : ` seed=${v.seed}`}: ${v.error ?? v.status}`) }))
    }
    return summary
  })
