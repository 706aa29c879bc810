/**
 * The recipe contract: a GAN the trainer has never seen — three networks (an encoder besides G and D), an
 * unpaired second domain, a reconstruction L1 term beside the adversarial one, and an EMA of the encoder — is
 * declared in this file alone and gets determinism, exact resume, per-term logs and stable memory from the trainer.
 */
import "@tensorflow/tfjs-backend-cpu"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as tf from "@tensorflow/tfjs-core"
import * as tfl from "@tensorflow/tfjs-layers"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  adam, bceWithLogits, definePhase, defineRecipe, readCheckpointManifest, readStepLog, sampleLatents, trainRecipe, TrainingRunSettings, type TrainedRecipe,
} from "../src/index.ts"

type Nets = { readonly generator: tfl.LayersModel; readonly discriminator: tfl.LayersModel; readonly encoder: tfl.LayersModel }

const dense = (inputs: number, units: number, activation: "tanh" | "linear" | "relu", seed: number, name: string) => {
  const input = tfl.input({ shape: [inputs] })
  const hidden = tfl.layers.dense({ units: 16, activation: "relu", kernelInitializer: tfl.initializers.glorotUniform({ seed }) }).apply(input)
  const output = tfl.layers.dense({ units, activation, kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + 1 }) }).apply(hidden) as tfl.SymbolicTensor
  return tfl.model({ inputs: input, outputs: output, name })
}

/** A BiGAN-flavoured toy: G(z) -> x, E(x) -> z, D(x) -> logit; G also reconstructs the unpaired domain through E. */
const toyRecipe = defineRecipe({
  name: "toy-encoder-gan",
  create: (config: { readonly l1Weight: number; readonly emaDecay: number }, seed: number) => {
    const networks: Nets = { generator: dense(4, 8, "tanh", seed, "g"), discriminator: dense(8, 1, "linear", seed + 10, "d"), encoder: dense(8, 4, "linear", seed + 20, "e") }
    const phase = definePhase<Nets>()
    return {
      networks,
      optimizers: { generator: adam({ learningRate: 1e-3, beta1: 0.5, beta2: 0.999, epsilon: 1e-8 }), discriminator: adam({ learningRate: 1e-3, beta1: 0.5, beta2: 0.999, epsilon: 1e-8 }), encoder: adam({ learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }) },
      unpairedFields: [["other"]],
      ema: { encoder: config.emaDecay },
      phases: [
        phase({
          name: "discriminator",
          learns: ["discriminator"],
          draw: ({ batch, batchSize, random, networks: n }) => ({ real: batch.images!, fake: n.generator.apply(sampleLatents(random, batchSize, 4), { training: true }) as tf.Tensor }),
          forward: (d, n) => ({ r: n.discriminator.apply(d.real) as tf.Tensor, f: n.discriminator.apply(d.fake) as tf.Tensor }),
          terms: [{ name: "adversarial", weight: 1, loss: (s) => tf.add(bceWithLogits(s.r, 1), bceWithLogits(s.f, 0)) as tf.Scalar }],
        }),
        phase({
          name: "generator",
          learns: ["generator", "encoder"],
          draw: ({ batch, batchSize, random }) => ({ z: sampleLatents(random, batchSize, 4), other: batch.other! }),
          forward: (d, n) => ({ f: n.discriminator.apply(n.generator.apply(d.z)) as tf.Tensor, rebuilt: n.generator.apply(n.encoder.apply(d.other)) as tf.Tensor }),
          terms: [
            { name: "adversarial", weight: 1, loss: (s) => bceWithLogits(s.f, 1) },
            { name: "reconstruction-l1", weight: config.l1Weight, loss: (s) => tf.mean(tf.abs(tf.sub(s.rebuilt, s.other))) as tf.Scalar },
          ],
        }),
      ],
    }
  },
})

let data: { images: tf.Tensor; other: tf.Tensor }
const dirs: string[] = []
beforeAll(async () => {
  await tf.setBackend("cpu")
  data = { images: tf.randomUniform([40, 8], -1, 1, "float32", 1), other: tf.randomUniform([24, 8], -1, 1, "float32", 2) }
})
afterAll(() => {
  tf.dispose(Object.values(data))
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

const settings = (steps: number, extra: object = {}) => TrainingRunSettings.assert({ steps, batchSize: 8, seed: 4, ...extra })
const weightsOf = (t: TrainedRecipe<Nets>) =>
  [...Object.values(t.networks).flatMap((n) => n.getWeights()), ...(t.ema.encoder ?? [])].map((w) => Array.from(w.dataSync()))

describe("a recipe declared in one file", () => {
  it("trains deterministically, logs every term, and resumes to exactly the uninterrupted weights (EMA and unpaired stream included)", async () => {
    const config = { l1Weight: 5, emaDecay: 0.9 }
    const whole = await trainRecipe({ recipe: toyRecipe.create(config, 1), settings: settings(7), data })
    const again = await trainRecipe({ recipe: toyRecipe.create(config, 1), settings: settings(7), data })
    expect(weightsOf(whole)).toEqual(weightsOf(again))
    expect(Object.keys(whole.losses!)).toEqual(["discriminator", "generator", "generator/adversarial", "generator/reconstruction-l1"])
    expect(whole.losses!["generator"]).toBeCloseTo(whole.losses!["generator/adversarial"]! + whole.losses!["generator/reconstruction-l1"]!, 5)

    const dir = mkdtempSync(join(tmpdir(), "ganflow-recipe-"))
    dirs.push(dir)
    const first = await trainRecipe({ recipe: toyRecipe.create(config, 1), settings: settings(4, { checkpointEvery: 4 }), data, checkpointDir: dir, logDir: dir })
    first.dispose()
    const manifest = readCheckpointManifest(join(dir, "step-000004"))
    expect(manifest.optimizers).toEqual({ generator: { step: 4 }, discriminator: { step: 4 }, encoder: { step: 4 } })
    expect(manifest.dataCursors).toHaveLength(1) // the unpaired stream's own cursor
    expect(new Set(manifest.tensors.map((t) => t.group))).toEqual(
      new Set(["generator", "discriminator", "encoder", "encoder-ema", ...["generator", "discriminator", "encoder"].flatMap((n) => [`adam-${n}-m`, `adam-${n}-v`])]),
    )
    const resumed = await trainRecipe({ recipe: toyRecipe.create(config, 1), settings: settings(7), data, resumeFrom: join(dir, "step-000004"), logDir: dir })
    expect(weightsOf(resumed)).toEqual(weightsOf(whole))
    const log = readStepLog(join(dir, "steps.jsonl"))
    expect(log.map((r) => r.step)).toEqual([1, 2, 3, 4, 5, 6, 7])
    expect(log[6]).toMatchObject({ "generator/reconstruction-l1": expect.any(Number), dLoss: expect.any(Number), gLoss: expect.any(Number) })
    for (const t of [whole, again, resumed]) t.dispose()
  })

  it("keeps tf.memory().numTensors constant across steps and frees everything on dispose", async () => {
    const before = tf.memory().numTensors
    const counts: number[] = []
    const t = await trainRecipe({ recipe: toyRecipe.create({ l1Weight: 1, emaDecay: 0.5 }, 2), settings: settings(6), data, onProgress: () => void counts.push(tf.memory().numTensors) })
    expect(counts.length).toBe(6)
    expect(counts.every((c) => c === counts[0])).toBe(true)
    t.dispose()
    expect(tf.memory().numTensors).toBe(before)
  })

  it("names the field when the data lacks an unpaired field, and frees the networks", async () => {
    const before = tf.memory().numTensors
    await expect(trainRecipe({ recipe: toyRecipe.create({ l1Weight: 1, emaDecay: 0 }, 2), settings: settings(2), data: { images: data.images } })).rejects.toThrow(/other/)
    expect(tf.memory().numTensors).toBe(before)
  })
})
