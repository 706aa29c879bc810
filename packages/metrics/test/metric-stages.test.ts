import "@tensorflow/tfjs-backend-cpu"
import { layerCurrentTensorBackend } from "@ganflow/backend"
import { defineStage, pipeline, runPipeline, upstream, type PipelineDefinition, type RunSummary, type UpstreamOutput } from "@ganflow/core"
import { digitSource, readUpstreamDataset } from "@ganflow/data/stages"
import * as tf from "@tensorflow/tfjs-core"
import { type } from "arktype"
import { Cause, Effect, Exit } from "effect"
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  defineCheckpointMetricsStage,
  featureClassifier,
  referenceStats,
  type CheckpointMetricsRow,
  type CheckpointSampler,
  type MetricsFloor,
} from "../src/stages/index.ts"

const repoRoot = resolve(fileURLToPath(new URL("../../..", import.meta.url)))
const workRoot = join(repoRoot, ".test-work")
mkdirSync(workRoot, { recursive: true })
const root = mkdtempSync(join(workRoot, "metrics-stages-"))
writeFileSync(join(root, "package.json"), JSON.stringify({ name: "metrics-stage-test", private: true, type: "module" }))
beforeAll(async () => {
  await tf.setBackend("cpu")
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

// A stand-in for a training stage: its "checkpoints" are noise levels over held-out digits
// (the images it writes), so later checkpoints look more like the data.
const fakeTraining = defineStage({
  name: "fake-training",
  params: type({ noiseLevels: type("number[]") }),
  inputs: { dataset: upstream() },
  run: ({ params, inputs, outDir }) =>
    Effect.sync(() => {
      const holdout = readUpstreamDataset(inputs.dataset, "holdout")
      writeFileSync(join(outDir, "images.u8"), holdout.data)
      return { shape: [...holdout.shape], checkpoints: params.noiseLevels.map((noise, i) => ({ id: `step-${(i + 1) * 100}`, step: (i + 1) * 100, noise })) }
    }),
})

type FakeValue = { shape: number[]; checkpoints: { id: string; step: number; noise: number }[] }
const sampler: CheckpointSampler = {
  range: "[-1,1]",
  list: async (training) => (training.value as FakeValue).checkpoints,
  sample: async function* (training: UpstreamOutput<unknown>, checkpoint, { count, batchSize, seed }) {
    const { shape, checkpoints } = training.value as FakeValue
    const noise = checkpoints.find((c) => c.id === checkpoint.id)!.noise
    const bytes = readFileSync(training.path("images.u8"))
    const [n, h, w, c] = shape as [number, number, number, number]
    for (let start = 0; start < Math.min(count, n); start += batchSize) {
      const rows = Math.min(batchSize, count - start, n - start)
      yield tf.tidy(() => {
        const real = tf.sub(tf.div(tf.tensor4d(Float32Array.from(bytes.subarray(start * h * w * c, (start + rows) * h * w * c)), [rows, h, w, c]), 127.5), 1)
        const uniform = tf.randomUniform([rows, h, w, c], -1, 1, "float32", seed + start)
        return tf.add(tf.mul(real, 1 - noise), tf.mul(uniform, noise)) as tf.Tensor4D
      })
    }
  },
}
const digitMetrics = defineCheckpointMetricsStage({ name: "digit-metrics", module: import.meta.url, sampler })

const buildPipeline = (kidSubsets: number): PipelineDefinition => {
  const digits = digitSource.as("digits", { params: { count: 600, seed: 1, holdoutFraction: 0.5 } })
  const classifier = featureClassifier.as("classifier", { params: { steps: 20, batchSize: 32, learningRate: 0.003, trainConvolutions: false }, inputs: { dataset: digits } })
  const reference = referenceStats.as("reference", { params: { extractor: "mnist-lenet", sampleCap: 300 }, inputs: { dataset: digits, classifier } })
  const train = fakeTraining.as("train", { params: { noiseLevels: [0.9, 0.1] }, inputs: { dataset: digits } })
  return pipeline({
    name: "metrics-stages",
    stages: [
      digits,
      classifier,
      reference,
      train,
      digitMetrics.as("metrics", {
        params: { metrics: ["fid", "kid", "is"], samples: 300, kidSubsets, kidSubsetSize: 100 },
        inputs: { reference, training: train, classifier, heldOut: digits },
      }),
    ],
  })
}

const run = async (p: PipelineDefinition): Promise<RunSummary> => {
  const exit = await Effect.runPromiseExit(runPipeline(p, { services: layerCurrentTensorBackend, root, jobs: 1 }))
  if (Exit.isFailure(exit)) throw new Error(Cause.pretty(exit.cause))
  return exit.value
}
const statuses = (s: RunSummary) => Object.fromEntries(s.stages.map((o) => [o.name, o.status]))

describe("metric stages through the core runner", () => {
  it("reference stats once, a metric curve per checkpoint, cached; new metric params rerun only the metrics", async () => {
    const first = await run(buildPipeline(2))
    expect(first.status).toBe("ok")
    expect(statuses(first)).toEqual({ digits: "ran", classifier: "ran", reference: "ran", train: "ran", metrics: "ran" })
    const metrics = first.stages.find((o) => o.name === "metrics")!
    const rows = JSON.parse(readFileSync(join(metrics.dir!, "metrics.json"), "utf8")) as CheckpointMetricsRow[]
    expect(rows.map((r) => r.step)).toEqual([100, 200])
    const fid = rows.map((r) => r.values["fid@mnist-lenet"]!)
    expect(fid[1]).toBeLessThan(fid[0]!) // less noise, closer to the data
    expect(Object.keys(rows[0]!.values)).toEqual(expect.arrayContaining(["fid@mnist-lenet", "kid@mnist-lenet", "is@mnist-lenet"]))
    expect(Object.keys(metrics.metrics)).toContain("fid@mnist-lenet")
    // the floor: the held-out real digits against the same reference, below every checkpoint; the gap is last − floor
    const floor = JSON.parse(readFileSync(join(metrics.dir!, "floor.json"), "utf8")) as MetricsFloor
    expect(floor).toMatchObject({ source: "digits:holdout", images: 300 })
    expect(floor.values["fid@mnist-lenet"]).toBeGreaterThan(0)
    expect(floor.values["fid@mnist-lenet"]).toBeLessThan(fid[1]!)
    expect(metrics.metrics["fid-floor@mnist-lenet"]).toBe(floor.values["fid@mnist-lenet"])
    expect(metrics.metrics["fid-gap@mnist-lenet"]).toBeCloseTo(fid[1]! - floor.values["fid@mnist-lenet"]!, 9)
    expect(metrics.metrics["is-gap@mnist-lenet"]).toBeCloseTo(rows[1]!.values["is@mnist-lenet"]! - floor.values["is@mnist-lenet"]!, 9)

    const second = await run(buildPipeline(2))
    expect(Object.values(statuses(second))).toEqual(["cached", "cached", "cached", "cached", "cached"])

    const third = await run(buildPipeline(3))
    expect(statuses(third)).toEqual({ digits: "cached", classifier: "cached", reference: "cached", train: "cached", metrics: "ran" })
    const again = JSON.parse(readFileSync(join(third.stages.find((o) => o.name === "metrics")!.dir!, "metrics.json"), "utf8")) as CheckpointMetricsRow[]
    expect(again[1]!.values["fid@mnist-lenet"]).toBeCloseTo(fid[1]!, 9)
  }, 120_000)
})
