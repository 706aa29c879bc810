/**
 * Live metrics and early stopping on dcgan-anime's stages (tiny config): the training stage's FID every 2 steps —
 * across a resume, the earlier evaluations restored from the checkpoint — equals the checkpoint metrics stage's FID
 * of the same checkpoints, computed from scratch (a setting that does not touch FID differs, so nothing is reused)
 * and reused as is (same settings); early stopping ends a run whose FID or
 * loss diverges, keeping its checkpoints, and says why.
 */
import { layerTensorBackend } from "@ganflow/backend"
import { findWorkspaceRoot, folderFromDir, pipeline, runPipeline, type Json, type RunEvent } from "@ganflow/core"
import { layerLiveMetrics } from "@ganflow/metrics/live"
import { checkpointMetrics, referenceStats } from "@ganflow/metrics/stages"
import { trainGan } from "@ganflow/trainers/stages"
import { imageSource } from "@ganflow/data/stages"
import { Effect, Layer } from "effect"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { asOverrides, dirOf, statuses } from "./run-summary-views.ts"

const root = findWorkspaceRoot()
const FID = "fid@random-cnn-seed0"

const data = imageSource.as("data", { params: { size: 32, holdoutFraction: 0, synthetic: { kind: "anime-faces", count: 64 } }, inputs: { images: folderFromDir } })
const reference = referenceStats.as("reference", { params: { extractor: "random-cnn", sampleCap: 64 }, inputs: { dataset: data } })
const train = trainGan.as("train", {
  params: {
    model: { architecture: "dcgan", options: { resolution: 32, ngf: 8, ndf: 8 } },
    steps: 6,
    batchSize: 8,
    checkpointEvery: 2,
    generatorLearningRate: 0.02,
    discriminatorLearningRate: 0.02,
    tricks: { generatorEma: 0.5 }, // scored with the EMA weights, as the snapshots are exported
    liveMetrics: { every: 2, metric: "fid", samples: 32, batchSize: 16, seed: 0 },
  },
  inputs: { dataset: data, reference },
})
const fid = checkpointMetrics.as("fid", { params: { metrics: ["fid"], samples: 32, sampleCap: 32, batchSize: 16, seed: 0 }, inputs: { reference, training: train } })
const live = pipeline({ name: "live-anime", stages: [data, reference, train, fid] })
const services = Layer.merge(layerTensorBackend(), layerLiveMetrics)

describe("live metrics and early stopping", () => {
  it("live FID equals the checkpoint metrics stage's (recomputed, and reused); early stopping on FID or loss keeps the checkpoints", async () => {
    const storeDir = mkdtempSync(join(tmpdir(), "ganflow-live-"))
    const logs: string[] = []
    const reporter = { event: (e: RunEvent) => void (e.type === "stage-log" && logs.push(`${e.stage}: ${e.line}`)) }
    const run = (params: Record<string, Json>, only?: string[]) =>
      Effect.runPromise(runPipeline(live, { services, root, storeDir, reporter, overrides: asOverrides(params), ...(only === undefined ? {} : { only }) }))
    try {
      // 4 steps first: the 6-step run below resumes from step 4, its first evaluations restored from the checkpoint
      await run({ "train.steps": 4 }, ["train"])
      // FID recomputed from the snapshots: kidSubsets does not touch FID but makes the settings differ
      const recomputed = await run({ "fid.kidSubsets": 99 })
      expect(logs).toContain("train: resuming from the checkpoint at step 4")
      const liveRows = JSON.parse(readFileSync(join(dirOf(recomputed, "train"), "live-metrics.json"), "utf8")) as Array<{ step: number; values: Record<string, number> }>
      expect(liveRows.map((r) => r.step)).toEqual([2, 4, 6])
      const rows = JSON.parse(readFileSync(join(dirOf(recomputed, "fid"), "metrics.json"), "utf8")) as Array<{ step: number; values: Record<string, number> }>
      expect(rows.map((r) => r.step)).toEqual([2, 4, 6])
      for (const [i, row] of rows.entries()) expect({ step: row.step, fid: liveRows[i]!.values[FID] }).toEqual({ step: row.step, fid: row.values[FID] })
      expect(new Set(rows.map((r) => r.values[FID])).size).toBe(3) // three different generators
      // in the run record too: the training stage's FID series, as the metrics stage's
      expect(recomputed.stages.find((s) => s.name === "train")!.metricSeries![FID]).toEqual(rows.map((r) => [r.step, r.values[FID]]))
      const steps = readFileSync(join(dirOf(recomputed, "train"), "steps.jsonl"), "utf8").split("\n").filter((l) => l.includes(FID))
      expect(steps.map((l) => (JSON.parse(l) as { step: number }).step)).toEqual([6]) // a resumed run's log holds the steps it ran

      // the same settings: the metrics stage reuses the live values (the training is a cache hit)
      expect(logs.filter((l) => l.includes("computed live"))).toEqual([])
      const reused = await run({})
      expect(statuses(reused)).toMatchObject({ train: "cached", fid: "ran" })
      expect(logs.filter((l) => /^fid: step-00000[246] \(step [246]\): fid@random-cnn-seed0=\S+ \(computed live by the training stage\)$/.test(l))).toHaveLength(3)
      const reusedRows = JSON.parse(readFileSync(join(dirOf(reused, "fid"), "metrics.json"), "utf8")) as typeof rows
      expect(reusedRows).toEqual(rows.map((r) => ({ ...r })))

      // FID above a threshold after a 3-step warm-up: stops at the step-4 evaluation with checkpoints 2 and 4
      const threshold = Math.min(...rows.map((r) => r.values[FID]!)) / 2
      const stopped = await run({ "train.earlyStopping": { watch: "fid", threshold, warmupSteps: 3 } }, ["train"])
      const value = JSON.parse(readFileSync(join(dirOf(stopped, "train"), "checkpoints.json"), "utf8")) as Array<{ step: number }>
      expect(value.map((c) => c.step)).toEqual([2, 4])
      const outcome = stopped.stages.find((s) => s.name === "train")!
      expect(outcome.metrics["stopped_early_step"]).toBe(4)
      expect(logs).toContainEqual(expect.stringMatching(/^train: stopped early at step 4 \(diverged\): fid \S+ above the threshold \S+ at step 4 \(after the 3-step warm-up\)$/))
      // a loss that passes its threshold stops the run at that step, keeping a checkpoint of it
      const lossStop = await run({ "train.earlyStopping": { watch: "loss_discriminator", threshold: 1e-3, warmupSteps: 3 } }, ["train"])
      expect((JSON.parse(readFileSync(join(dirOf(lossStop, "train"), "checkpoints.json"), "utf8")) as Array<{ step: number }>).map((c) => c.step)).toEqual([2, 3])
      expect(lossStop.stages.find((s) => s.name === "train")!.metrics["stopped_early_step"]).toBe(3)
    } finally {
      rmSync(storeDir, { recursive: true, force: true })
    }
  }, 240_000)
})
