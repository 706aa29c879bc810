/**
 * The trainer with the original WGAN's optimiser (RMSProp, critic weights clipped) and a learning-rate schedule:
 * the schedule's rate is what each step used (logged), the critic stays in its box, and a run resumed from a
 * checkpoint ends with exactly the weights of an uninterrupted one.
 */
import "@tensorflow/tfjs-backend-cpu"
import { mkdtempSync, readdirSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as tf from "@tensorflow/tfjs-core"
import { trainableVariablesOf } from "@ganflow/models"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { learningRateAt, parseTrainConfig, readCheckpointManifest, readStepLog, TrainConfigInvalid, train, type TrainedGan } from "../src/index.ts"

let images: tf.Tensor
const dirs: string[] = []
const tmp = () => {
  const dir = mkdtempSync(join(tmpdir(), "ganflow-sched-"))
  dirs.push(dir)
  return dir
}
beforeAll(async () => {
  await tf.setBackend("cpu")
  images = tf.tidy(() => tf.sub(tf.mul(tf.randomUniform([64, 8, 8, 1], 0, 1, "float32", 3), 2), 1))
})
afterAll(() => {
  images.dispose()
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

const wgan = {
  model: { architecture: "vanilla", options: { hidden: 16, imageShape: [8, 8, 1], latentDim: 8 } },
  batchSize: 16,
  seed: 4,
  loss: "wgan",
  discriminatorSteps: 2,
  optimizer: "rmsprop",
  generatorLearningRate: 5e-3,
  discriminatorLearningRate: 5e-3,
  weightClipping: 0.01,
  learningRateSchedule: { kind: "linear-decay", startStep: 2 },
} as const
const weightsOf = (t: TrainedGan) => [...t.models.generator.getWeights(), ...t.models.discriminator.getWeights()].map((w) => Array.from(w.dataSync()))

describe("RMSProp, weight clipping and schedules in training", () => {
  it("logs the scheduled rate, keeps the critic clipped, and resumes bit for bit", async () => {
    const logDir = tmp()
    const whole = await train({ config: parseTrainConfig({ ...wgan, steps: 6 }), data: { images }, logDir })
    const log = readStepLog(join(logDir, "steps.jsonl")) as unknown as Array<Record<string, number>>
    expect(log.map((r) => r["learningRate/generator"])).toEqual([0, 1, 2, 3, 4, 5].map((t) => learningRateAt({ kind: "linear-decay", startStep: 2 }, 5e-3, t, 6)))
    expect(log.map((r) => r["learningRate/discriminator"])).toEqual(log.map((r) => r["learningRate/generator"]))
    for (const v of trainableVariablesOf(whole.models.discriminator)) expect(Math.max(...Array.from(v.dataSync()).map(Math.abs))).toBeLessThanOrEqual(0.01)

    const dir = tmp()
    const first = await train({ config: parseTrainConfig({ ...wgan, steps: 6, checkpointEvery: 3 }), data: { images }, checkpointDir: dir })
    first.dispose()
    const manifest = readCheckpointManifest(join(dir, "step-000003"))
    expect(new Set(manifest.tensors.map((t) => t.group))).toEqual(new Set(["generator", "discriminator", "rmsprop-generator-square-average", "rmsprop-discriminator-square-average"]))
    expect(readdirSync(dir).sort()).toEqual(["step-000003", "step-000006"])
    const resumed = await train({ config: parseTrainConfig({ ...wgan, steps: 6 }), data: { images }, resumeFrom: join(dir, "step-000003") })
    expect(resumed.step).toBe(6)
    expect(weightsOf(resumed)).toEqual(weightsOf(whole))
    whole.dispose()
    resumed.dispose()
  })

  it("rejects a decay that would never start and early stopping on a value the run does not produce", () => {
    expect(() => parseTrainConfig({ ...wgan, steps: 2 })).toThrow(/learningRateSchedule.*startStep 2 is not before the last step \(2\)/)
    expect(() => parseTrainConfig({ ...wgan, steps: 6, earlyStopping: { watch: "fid" } })).toThrow(TrainConfigInvalid)
    expect(() => parseTrainConfig({ ...wgan, steps: 6, earlyStopping: { watch: "fid" } })).toThrow(/earlyStopping.watch must be a loss \(loss_generator, loss_discriminator\) or the live metric \(set liveMetrics\)/)
    expect(parseTrainConfig({ ...wgan, steps: 6, earlyStopping: { watch: "loss_discriminator", threshold: 5 } }).earlyStopping).toMatchObject({ watch: "loss_discriminator", threshold: 5, patience: 0 })
  })
})
