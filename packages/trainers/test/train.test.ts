import "@tensorflow/tfjs-backend-cpu"
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as tf from "@tensorflow/tfjs-core"
import * as tfl from "@tensorflow/tfjs-layers"
import { buildGan } from "@ganflow/models"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  describeGanModels,
  exportGenerator,
  formatProgress,
  readGeneratorDescription,
  readCheckpointManifest,
  readStepLog,
  parseTrainConfig,
  TrainConfigInvalid,
  type TrainedGan,
  TrainingDataInvalid,
  TrainingDiverged,
  type TrainingProgress,
  train,
} from "../src/index.ts"

let images: tf.Tensor
let labels: tf.Tensor
const tmpDirs: string[] = []
const tmp = () => {
  const dir = mkdtempSync(join(tmpdir(), "ganflow-train-"))
  tmpDirs.push(dir)
  return dir
}

beforeAll(async () => {
  await tf.setBackend("cpu")
  // 96 little 8x8 "images": two blobs in [-1, 1], with class labels 0..2
  images = tf.tidy(() => tf.sub(tf.mul(tf.randomUniform([96, 8, 8, 1], 0, 1, "float32", 7), 2), 1))
  labels = tf.tensor1d(Array.from({ length: 96 }, (_, i) => i % 3), "int32")
})
afterAll(() => {
  tf.dispose([images, labels])
  for (const dir of tmpDirs) rmSync(dir, { recursive: true, force: true })
})

const tiny = { architecture: "vanilla", options: { hidden: 16, imageShape: [8, 8, 1], latentDim: 8 } } as const
const base = { model: tiny, batchSize: 16, steps: 6 }

const weightsOf = (t: TrainedGan): number[][] =>
  [...t.models.generator.getWeights(), ...t.models.discriminator.getWeights(), ...(t.generatorEma ?? [])].map((w) => Array.from(w.dataSync()))

describe("train", () => {
  it("is deterministic: same seed and config give identical weights; another seed does not", async () => {
    const config = { ...base, seed: 5, tricks: { generatorEma: 0.9 } }
    const a = await train({ config: parseTrainConfig(config), data: { images } })
    const b = await train({ config: parseTrainConfig(config), data: { images } })
    const c = await train({ config: parseTrainConfig({ ...config, seed: 6 }), data: { images } })
    expect(weightsOf(a)).toEqual(weightsOf(b))
    expect(weightsOf(a)).not.toEqual(weightsOf(c))
    for (const t of [a, b, c]) t.dispose()
  })

  it("resuming from a checkpoint gives exactly the weights of an uninterrupted run (all stateful tricks on)", async () => {
    const config = {
      ...base,
      steps: 6,
      seed: 11,
      discriminatorSteps: 2,
      generatorLearningRate: 1e-3,
      discriminatorLearningRate: 4e-3,
      tricks: { realLabel: 0.9, generatorEma: 0.8, historicalAveraging: 0.01 },
    }
    const whole = await train({ config: parseTrainConfig(config), data: { images } })
    const dir = tmp()
    const seen: number[] = []
    const first = await train({ config: parseTrainConfig({ ...config, steps: 4, checkpointEvery: 2 }), data: { images }, checkpointDir: dir, onCheckpoint: ({ step }) => void seen.push(step) })
    expect(seen).toEqual([2, 4])
    expect(readdirSync(dir).sort()).toEqual(["step-000002", "step-000004"])
    first.dispose()
    // raising the budget continues from the last checkpoint
    const resumed = await train({ config: parseTrainConfig(config), data: { images }, resumeFrom: join(dir, "step-000004"), checkpointDir: dir })
    expect(resumed.step).toBe(6)
    expect(weightsOf(resumed)).toEqual(weightsOf(whole))
    const manifest = readCheckpointManifest(join(dir, "step-000006"))
    expect(manifest.step).toBe(6)
    expect(manifest.optimizers).toEqual({ generator: { step: 6 }, discriminator: { step: 12 } })
    expect(new Set(manifest.tensors.map((t) => t.group))).toEqual(
      new Set(["generator", "discriminator", "generator-ema", "adam-generator-m", "adam-generator-v", "adam-discriminator-m", "adam-discriminator-v", "history-generator", "history-discriminator"]),
    )
    whole.dispose()
    resumed.dispose()
  })

  it("keeps tf.memory().numTensors constant across steps and frees everything on dispose", async () => {
    const counts: number[] = []
    const before = tf.memory().numTensors
    const t = await train({
      config: parseTrainConfig({ ...base, steps: 5, loss: "wgan-gp", discriminatorSteps: 2, tricks: { featureMatching: true, generatorEma: 0.9, historicalAveraging: 0.1 }, sampleEvery: 2, sampleCount: 4 }),
      data: { images },
      onProgress: () => void counts.push(tf.memory().numTensors),
    })
    expect(counts.slice(1).every((c) => c === counts[1])).toBe(true)
    t.dispose()
    expect(tf.memory().numTensors).toBe(before)
  })

  it("reports progress, writes the JSONL log, TensorBoard events and sample grids", async () => {
    const logDir = tmp()
    const progress: TrainingProgress[] = []
    const grids: number[] = []
    const t = await train({
      config: parseTrainConfig({ ...base, steps: 4, sampleEvery: 2, sampleCount: 9 }),
      data: { images },
      logDir,
      onProgress: (p) => void progress.push(p),
      onSample: (g) => void grids.push(g.step),
    })
    expect(progress.map((p) => p.step)).toEqual([1, 2, 3, 4])
    expect(progress[3]!.totalSteps).toBe(4)
    expect(progress[3]!.stepsPerSecond).toBeGreaterThan(0)
    expect(progress[3]!.etaSeconds).toBe(0)
    expect(formatProgress(progress[1]!)).toMatch(/^\[#{10}\.{10}\] 2\/4 +[\d.]+ steps\/s +ETA \d+s +D -?\d\.\d{3} +G -?\d\.\d{3}$/)
    const log = readStepLog(join(logDir, "steps.jsonl"))
    expect(log.map((r) => r.step)).toEqual([1, 2, 3, 4])
    expect(log[0]!.dLoss).toBeCloseTo(progress[0]!.losses.discriminator, 6)
    expect(readdirSync(join(logDir, "tensorboard"))[0]).toMatch(/^events\.out\.tfevents\./)
    expect(grids).toEqual([2, 4])
    const header = JSON.parse(readFileSync(join(logDir, "samples", "step-000004.json"), "utf8"))
    expect(header).toMatchObject({ step: 4, rows: 3, cols: 3, width: 24, height: 24, channels: 1, layout: "HWC", dtype: "uint8" })
    expect(readFileSync(join(logDir, "samples", "step-000004.u8")).length).toBe(24 * 24)
    t.dispose()
  })

  it("adaptive D update (3D-GAN): skips exactly the D steps whose batch accuracy is above the limit; deterministic", async () => {
    const config = { ...base, steps: 10, seed: 3, discriminatorLearningRate: 0.01, tricks: { discriminatorAccuracyLimit: 0.6 } }
    const run = async () => {
      const logDir = tmp()
      const t = await train({ config: parseTrainConfig(config), data: { images }, logDir })
      return { t, log: readStepLog(join(logDir, "steps.jsonl")) }
    }
    const a = await run()
    const b = await run()
    expect(weightsOf(a.t)).toEqual(weightsOf(b.t))
    expect(a.log.map((r) => r.dSkipped)).toEqual(a.log.map((r) => r.dAccuracy! > 0.6))
    expect(a.log.some((r) => r.dSkipped)).toBe(true)
    expect(a.log.some((r) => !r.dSkipped)).toBe(true)
    // a limit no batch is under: D never steps and keeps its initial weights, while G trains
    const frozen = await train({ config: parseTrainConfig({ ...config, tricks: { discriminatorAccuracyLimit: 1e-9 } }), data: { images } })
    const initial = buildGan(tiny, 3)
    const values = (m: tfl.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()))
    expect(values(frozen.models.discriminator)).toEqual(values(initial.discriminator))
    expect(values(frozen.models.generator)).not.toEqual(values(initial.generator))
    // off by default: no accuracy in the log
    const logDir = tmp()
    const plain = await train({ config: parseTrainConfig({ ...base, steps: 2 }), data: { images }, logDir })
    expect(readStepLog(join(logDir, "steps.jsonl"))[0]!.dAccuracy).toBeUndefined()
    for (const t of [a.t, b.t, frozen, plain]) t.dispose()
    initial.generator.dispose()
    initial.discriminator.dispose()
  })

  it("fails with TrainingDiverged naming the step when a loss is NaN", async () => {
    const bad = tf.fill([32, 8, 8, 1], NaN)
    const err = await train({ config: parseTrainConfig({ ...base }), data: { images: bad } }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(TrainingDiverged)
    expect(err).toMatchObject({ _tag: "TrainingDiverged", step: 1, phase: "discriminator" })
    expect((err as Error).message).toContain("step 1")
    bad.dispose()
  })

  it("fails with TrainingDiverged when a finite loss explodes (lr 1e9), and honours maxLoss and lossGrowthLimit", async () => {
    const wild = await train({ config: parseTrainConfig({ ...base, steps: 40, generatorLearningRate: 1e9, discriminatorLearningRate: 1e9 }), data: { images } }).catch((e: unknown) => e)
    expect(wild).toBeInstanceOf(TrainingDiverged)
    expect((wild as Error).message).toMatch(/loss is [-\d.e+]+, (above the bound 1000000|[\d.e+]+ times its first 20 steps' largest)/)
    const bounded = await train({ config: parseTrainConfig({ ...base, maxLoss: 1e-3 }), data: { images } }).catch((e: unknown) => e)
    expect(bounded).toMatchObject({ _tag: "TrainingDiverged", step: 1, reason: "above the bound 0.001 (train.maxLoss)" })
    const calm = await train({ config: parseTrainConfig({ ...base, steps: 3, maxLoss: 1e3, lossGrowthLimit: 0 }), data: { images } })
    calm.dispose()
  })

  it("rejects unknown config keys and data of the wrong shape with typed errors", async () => {
    expect(() => parseTrainConfig({ ...base, lr: 1 })).toThrow(TrainConfigInvalid)
    expect(() => parseTrainConfig({ ...base, loss: "l1" })).toThrow(/loss/)
    // the model's options are checked per architecture, before any model is built
    expect(() => parseTrainConfig({ ...base, model: { architecture: "dcgan", options: { resolution: 48 } } })).toThrow(/model\.options\.resolution must be 28, 32 or 64 \(was 48\)/)
    expect(() => parseTrainConfig({ ...base, model: { architecture: "dcgan", options: { hidden: 16 } } })).toThrow(/model\.options\.hidden must be removed/)
    expect(() => parseTrainConfig({ ...base, model: { architecture: "gan3d", critic: "wgan" } })).toThrow(/model\.critic must be removed/)
    expect(() => parseTrainConfig({ ...base, tricks: { instanceNorm: true } })).toThrow(/tricks\.instanceNorm must be false unless model\.architecture is dcgan \(was true with vanilla\)/)
    expect(() => parseTrainConfig({ ...base, model: { architecture: "dcgan" }, tricks: { minibatchDiscrimination: { numKernels: 2, kernelDim: 2 } } })).toThrow(/tricks\.minibatchDiscrimination must be absent unless/)
    await expect(train({ config: parseTrainConfig({ ...base, model: { architecture: "vanilla" } }), data: { images } })).rejects.toBeInstanceOf(TrainingDataInvalid)
  })

  it("trains every loss, D steps > 1, and the conditional (MLP and conv) / ACGAN / 3D-GAN / WGAN-critic / DCGAN+instance-norm / minibatch-discrimination variants", async () => {
    const cond = { architecture: "conditional", options: { hidden: [16], imageShape: [8, 8, 1], latentDim: 8, numClasses: 3 } } as const
    const configs = [
      ...(["bce", "minimax", "least-squares", "hinge", "wgan"] as const).map((loss) => ({ ...base, steps: 2, loss })),
      { ...base, steps: 2, model: cond },
      { ...base, steps: 2, model: { ...cond, options: { ...cond.options, auxiliaryClassifier: true } } },
      { ...base, steps: 2, loss: "wgan-gp", discriminatorSteps: 3, model: { ...tiny, critic: "wgan-layer-norm" } },
      { ...base, steps: 2, tricks: { minibatchDiscrimination: { numKernels: 4, kernelDim: 3 } } },
    ] as const
    for (const config of configs) {
      const before = tf.memory().numTensors
      const t = await train({ config: parseTrainConfig(config), data: { images, labels } })
      expect(Number.isFinite(t.losses!.discriminator) && Number.isFinite(t.losses!.generator)).toBe(true)
      t.dispose()
      expect(tf.memory().numTensors).toBe(before)
    }
    const mnistShaped = tf.zeros([16, 28, 28, 1])
    const dc = await train({
      config: parseTrainConfig({ model: { architecture: "dcgan", options: { resolution: 28, ngf: 4 } }, steps: 1, batchSize: 8, tricks: { instanceNorm: true } }),
      data: { images: mnistShaped },
    })
    expect(dc.models.discriminator.layers.some((l) => l.getClassName() === "InstanceNormalization")).toBe(true)
    dc.dispose()
    mnistShaped.dispose()
    // the convolutional conditional GAN (face-aging case): 32x32 RGB images with age-group labels
    const faces = tf.randomUniform([8, 32, 32, 3], -1, 1, "float32", 3)
    const ages = tf.tensor1d([0, 1, 2, 3, 4, 5, 0, 1], "int32")
    const before = tf.memory().numTensors
    const cdc = await train({
      config: parseTrainConfig({ model: { architecture: "conditional-dcgan", options: { resolution: 32, ngf: 4, numClasses: 6 } }, steps: 2, batchSize: 4 }),
      data: { images: faces, labels: ages },
    })
    expect(cdc.step).toBe(2)
    expect(Number.isFinite(cdc.losses!.discriminator) && Number.isFinite(cdc.losses!.generator)).toBe(true)
    cdc.dispose()
    expect(tf.memory().numTensors).toBe(before)
    tf.dispose([faces, ages])
    // the 3D-GAN (32^3 CPU variant, narrow): voxel occupancy in [0, 1]
    const voxels = tf.tidy(() => tf.cast(tf.greater(tf.randomUniform([4, 32, 32, 32, 1], 0, 1, "float32", 5), 0.7), "float32"))
    const beforeVoxels = tf.memory().numTensors
    const v = await train({
      config: parseTrainConfig({ model: { architecture: "gan3d", options: { resolution: 32, width: 2, latentDim: 16 } }, steps: 2, batchSize: 2 }),
      data: { images: voxels },
    })
    expect(v.step).toBe(2)
    expect(Number.isFinite(v.losses!.discriminator) && Number.isFinite(v.losses!.generator)).toBe(true)
    v.dispose()
    expect(tf.memory().numTensors).toBe(beforeVoxels)
    voxels.dispose()
  }, 120_000)

  it("exports G (or its EMA) as model.json + weights.bin that tf.loadLayersModel reads back, with its description gan.json", async () => {
    const t = await train({ config: parseTrainConfig({ ...base, steps: 3, tricks: { generatorEma: 0.5 } }), data: { images } })
    const dir = tmp()
    const description = describeGanModels(t.models, "vanilla")
    expect(description).toEqual({ architecture: "vanilla", latentDim: 8, numClasses: null, outputRange: "tanh", sampleShape: [8, 8, 1] })
    for (const useEma of [false, true]) {
      const out = await exportGenerator(t.models.generator, join(dir, String(useEma)), description, useEma ? t.generatorEma : undefined)
      expect(readGeneratorDescription(join(dir, String(useEma)))).toEqual(description)
      const json = JSON.parse(readFileSync(out.modelJson, "utf8"))
      expect(json.format).toBe("layers-model")
      expect(json.weightsManifest[0].paths).toEqual(["weights.bin"])
      const bin = readFileSync(out.weightsBin)
      const loaded = await tfl.loadLayersModel(
        tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: new Uint8Array(bin).buffer }),
      )
      const z = tf.randomNormal([2, 8], 0, 1, "float32", 3)
      const expected = tf.tidy(() => {
        if (!useEma) return t.models.generator.predict(z) as tf.Tensor
        const copy = tfl.sequential({ layers: [] }) // rebuild with EMA weights through the exported topology
        copy.dispose()
        const live = t.models.generator.getWeights().map((w) => w.clone())
        t.models.generator.setWeights([...t.generatorEma!])
        const y = t.models.generator.predict(z) as tf.Tensor
        t.models.generator.setWeights(live)
        return y
      })
      const got = loaded.predict(z) as tf.Tensor
      expect(Array.from(got.dataSync())).toEqual(Array.from(expected.dataSync()))
      tf.dispose([z, expected, got])
      loaded.dispose()
    }
    // the live weights were left as they were
    const z = tf.ones([1, 8])
    const again = t.models.generator.predict(z) as tf.Tensor
    expect(again.shape).toEqual([1, 8, 8, 1])
    tf.dispose([z, again])
    t.dispose()
    expect(() => readGeneratorDescription(dir)).toThrow("gan.json is invalid: no such file")
  })
})
