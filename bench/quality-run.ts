/**
 * What every `bench/quality-<pipeline>.ts` shares: run a pipeline's default exactly as a user does
 * (`npx ganflow run <pipeline> [--set …]`, in this workspace, so a rerun with nothing changed is all cache hits and
 * prints the same numbers at once), time it, and read its run record back. The quality benches are not tests: they
 * train the defaults for minutes and print the numbers the README quotes, so they can be re-measured after a change.
 */
import { spawnSync } from "node:child_process"
import { readFileSync } from "node:fs"
import { cpus, loadavg } from "node:os"
import { resolve } from "node:path"
import { fileURLToPath } from "node:url"
import type { RunRecord } from "../packages/core/src/index.ts"

/** The workspace root (where `.ganflow/` lives). */
export const workspaceRoot = resolve(fileURLToPath(new URL("..", import.meta.url)))

/** A finished default run: its record, the wall time of `ganflow run`, and a stage's folder and metrics by name. */
export interface QualityRun {
  readonly record: RunRecord
  readonly wallSeconds: number
  readonly dirOf: (stage: string) => string
  readonly metricsOf: (stage: string) => Readonly<Record<string, number>>
}

/** `--record=<run record .json>`: judge that finished run instead of running the pipeline again. */
const recordArg = (): string | undefined => process.argv.slice(2).flatMap((a) => /^--record=(.+)$/.exec(a)?.[1] ?? [])[0]

/** Extra `ganflow run` arguments from this script's command line (e.g. `--set data.dir=…`, `--backend wasm`). */
export const passThroughArgs = (): string[] => process.argv.slice(2).filter((a) => !a.startsWith("--record="))

/** Wraps a run record (its stages' folders and metrics by stage name). */
const qualityRun = (pipeline: string, record: RunRecord, wallSeconds: number): QualityRun => {
  const stage = (name: string) => {
    const s = record.stages.find((o) => o.name === name)
    if (s === undefined) throw new Error(`${pipeline}: the run has no stage ${name}`)
    return s
  }
  return { record, wallSeconds, dirOf: (name) => stage(name).dir!, metricsOf: (name) => stage(name).metrics }
}

/**
 * Runs `npx ganflow run <pipeline> ...args` and returns its run record; exits non-zero if the run failed. With
 * `--record=<file>` on the command line it reads that run instead (its wall time is the record's duration).
 */
export const runPipelineDefault = (pipeline: string, args: readonly string[] = passThroughArgs()): QualityRun => {
  const existing = recordArg()
  if (existing !== undefined) {
    const record = JSON.parse(readFileSync(existing, "utf8")) as RunRecord
    console.log(`# ${pipeline}: the finished run ${existing} (overrides: ${record.overrides.join(" ") || "none"}), ${(record.durationMs / 1000).toFixed(0)} s`)
    return qualityRun(pipeline, record, record.durationMs / 1000)
  }
  console.log(`# ${pipeline}: npx ganflow run ${pipeline} ${args.join(" ")}`.trimEnd())
  console.log(`# ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(" ")} at start (shared machines make times pessimistic)`)
  const started = performance.now()
  const out = spawnSync("npx", ["ganflow", "run", pipeline, ...args], { cwd: workspaceRoot, encoding: "utf8", maxBuffer: 64 << 20, stdio: ["ignore", "pipe", "inherit"] })
  const wallSeconds = (performance.now() - started) / 1000
  const recordPath = /record (\S+\.json)/.exec(out.stdout ?? "")?.[1]
  if (out.status !== 0 || recordPath === undefined) {
    console.log(out.stdout)
    console.error(`${pipeline}: ganflow run exited with ${out.status}`)
    process.exit(1)
  }
  const record = JSON.parse(readFileSync(recordPath, "utf8")) as RunRecord
  const ran = record.stages.filter((s) => s.status === "ran").map((s) => s.name)
  console.log(`# ganflow run: ${wallSeconds.toFixed(0)} s wall (stages run: ${ran.join(", ") || "none, all cached"}); record ${recordPath}`)
  return qualityRun(pipeline, record, wallSeconds)
}

/** Prints one number against its bar: `name  value  (bar)  ok|MISSED`. Returns whether it passed. */
export const check = (name: string, value: number, pass: boolean, bar: string): boolean => {
  console.log(`${name.padEnd(34)} ${value.toPrecision(4).padStart(10)}   ${bar.padEnd(36)} ${pass ? "ok" : "MISSED"}`)
  return pass
}

/**
 * Prints a checkpoint-metrics stage's last values next to their held-out floors and gaps (`fid@x`, `fid-floor@x`,
 * `fid-gap@x`), and returns them by plain metric name (`fid`, `fid-floor`, …).
 */
export const printMetricsWithFloors = (run: QualityRun, stage: string): Record<string, number> => {
  const metrics = run.metricsOf(stage)
  const plain = Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k.split("@")[0]!, v]))
  const extractor = Object.keys(metrics).find((k) => k.includes("@"))?.split("@")[1] ?? "?"
  for (const name of ["fid", "kid", "is"]) {
    if (plain[name] === undefined) continue
    const floor = plain[`${name}-floor`]
    console.log(`${`${name}@${extractor}`.padEnd(34)} ${plain[name]!.toPrecision(4).padStart(10)}   floor (held-out real) ${floor === undefined ? "-" : floor.toPrecision(4)}, gap ${plain[`${name}-gap`]?.toPrecision(4) ?? "-"}`)
  }
  return plain
}

/** Prints every run metric of `stage` (`name  value`), e.g. PSNR/SSIM/FID with floors and gaps; returns them. */
export const printStageMetrics = (run: QualityRun, stage: string): Readonly<Record<string, number>> => {
  const metrics = run.metricsOf(stage)
  console.log(`## ${stage}`)
  for (const [name, value] of Object.entries(metrics)) console.log(`${name.padEnd(44)} ${value.toPrecision(4).padStart(10)}`)
  return metrics
}
