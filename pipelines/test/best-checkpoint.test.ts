/**
 * Best-checkpoint selection on dcgan-anime's stages (tiny config): `min fid` picks the checkpoint with the lowest
 * FID in the metrics stage's values; samples and the web demo draw that snapshot (the grid is byte-identical to the
 * samples stage's picture of that checkpoint); the choice and its value are in the run record; changing the rule
 * reruns only the selection and the stages that read it.
 */
import { layerTensorBackend } from "@ganflow/backend"
import { findWorkspaceRoot, folderFromDir, pipeline, runPipeline, type Json } from "@ganflow/core"
import { checkpointMetrics, referenceStats, selectCheckpointStage } from "@ganflow/metrics/stages"
import { trainGan } from "@ganflow/trainers/stages"
import { imageSource } from "@ganflow/data/stages"
import { webDemo } from "@ganflow/viz/stages"
import { Effect } from "effect"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { renderSamples } from "../stages/gan/render-samples-stage.ts"
import { asOverrides, dirOf, statuses } from "./run-summary-views.ts"

const root = findWorkspaceRoot()

const data = imageSource.as("data", { params: { size: 32, holdoutFraction: 0, synthetic: { kind: "anime-faces", count: 64 } }, inputs: { images: folderFromDir } })
const reference = referenceStats.as("reference", { params: { extractor: "random-cnn", sampleCap: 64 }, inputs: { dataset: data } })
const train = trainGan.as("train", {
  params: { model: { architecture: "dcgan", options: { resolution: 32, ngf: 8, ndf: 8 } }, steps: 8, batchSize: 8, checkpointEvery: 2, seed: 0, generatorLearningRate: 0.02, discriminatorLearningRate: 0.02 },
  inputs: { dataset: data },
})
const fid = checkpointMetrics.as("fid", { params: { metrics: ["fid"], samples: 32, sampleCap: 32, batchSize: 16 }, inputs: { reference, training: train } })
const best = selectCheckpointStage.as("best", { params: { rule: "min fid" }, inputs: { training: train, metrics: fid } })
const samples = renderSamples.as("samples", { params: { count: 4, interpolationRows: 0 }, inputs: { training: train, checkpoint: best } })
const demo = webDemo.as("demo", { params: { sampleCount: 4 }, inputs: { training: train, checkpoint: best } })
const bestOfAnime = pipeline({ name: "best-of-anime", stages: [data, reference, train, fid, best, samples, demo] })

describe("best-checkpoint selection", () => {
  it("picks the lowest-FID checkpoint, samples and demo draw it, the record has it, and a new rule reruns only the selection and its readers", async () => {
    const storeDir = mkdtempSync(join(tmpdir(), "ganflow-best-"))
    const run = (rule: string) => Effect.runPromise(runPipeline(bestOfAnime, { services: layerTensorBackend(), root, storeDir, overrides: asOverrides({ "best.rule": rule as Json }) }))
    try {
      const first = await run("min fid")
      const rows = JSON.parse(readFileSync(join(dirOf(first, "fid"), "metrics.json"), "utf8")) as Array<{ checkpoint: string; step: number; values: Record<string, number> }>
      expect(rows.map((r) => r.step)).toEqual([2, 4, 6, 8])
      const lowest = rows.reduce((b, r) => (r.values["fid@random-cnn-seed0"]! < b.values["fid@random-cnn-seed0"]! ? r : b))
      const selected = JSON.parse(readFileSync(join(dirOf(first, "best"), "selected.json"), "utf8")) as { checkpoint: string; step: number; value: number; metric: string }
      expect(selected).toMatchObject({ checkpoint: lowest.checkpoint, step: lowest.step, metric: "fid@random-cnn-seed0", value: lowest.values["fid@random-cnn-seed0"] })
      // in the run record: the step and the value
      const outcome = first.stages.find((s) => s.name === "best")!
      expect(outcome.metrics).toEqual({ selected_step: lowest.step, "fid@random-cnn-seed0": lowest.values["fid@random-cnn-seed0"] })
      // the samples stage's grid is the selected snapshot's (same latents, same weights: the same bytes)
      const samplesDir = dirOf(first, "samples")
      expect(readFileSync(join(samplesDir, "grid.png")).equals(readFileSync(join(samplesDir, "checkpoints", `${lowest.checkpoint}.png`)))).toBe(true)
      // the demo ships the selected snapshot's weights
      expect(readFileSync(join(dirOf(first, "demo"), "model", "weights.bin")).equals(readFileSync(join(dirOf(first, "train"), "checkpoints", lowest.checkpoint, "weights.bin")))).toBe(true)

      const last = await run("last")
      expect(statuses(last)).toEqual({ data: "cached", reference: "cached", train: "cached", fid: "cached", best: "ran", samples: "ran", demo: "ran" })
      expect(last.stages.find((s) => s.name === "best")!.metrics).toEqual({ selected_step: 8 })
      const lastDir = dirOf(last, "samples")
      expect(readFileSync(join(lastDir, "grid.png")).equals(readFileSync(join(lastDir, "checkpoints", "step-000008.png")))).toBe(true)
      // `max fid` picks the worst checkpoint, another than the best (a fast rate, 2e-2, makes the FIDs differ)
      const highest = rows.reduce((b, r) => (r.values["fid@random-cnn-seed0"]! > b.values["fid@random-cnn-seed0"]! ? r : b))
      expect(highest.step).not.toBe(lowest.step)
      const worst = await run("max fid")
      expect(worst.stages.find((s) => s.name === "best")!.metrics).toEqual({ selected_step: highest.step, "fid@random-cnn-seed0": highest.values["fid@random-cnn-seed0"] })
    } finally {
      rmSync(storeDir, { recursive: true, force: true })
    }
  }, 180_000)
})
