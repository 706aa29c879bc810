/**
 * Recipes `stackgan-stage1` and `stackgan-stage2` on tiny data: their terms (matching-aware D loss, adversarial,
 * conditioning-augmentation KL; Stage-II's unconditional head), determinism, flat memory, and bad data named.
 */
import { initBackend } from "@ganflow/backend"
import * as tf from "@tensorflow/tfjs-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { StackganStage1Config, stackganStage1Recipe, StackganStage2Config, stackganStage2Recipe, trainRecipe, type TextToImageNetworks, type TrainedRecipe } from "../src/index.ts"

const rows = 12
let data: Record<string, tf.Tensor>
beforeAll(async () => {
  await initBackend({ backend: "auto", threads: 2 })
  data = {
    images: tf.randomUniform([rows, 32, 32, 3], -1, 1, "float32", 1),
    hiRes: tf.randomUniform([rows, 64, 64, 3], -1, 1, "float32", 2),
    embeddings: tf.randomNormal([rows, 6], 0, 1, "float32", 3),
    wrongEmbeddings: tf.randomNormal([rows, 6], 0, 1, "float32", 4),
  }
}, 60_000)
afterAll(() => tf.dispose(Object.values(data)))

const weightsOf = (t: TrainedRecipe<TextToImageNetworks>) => [t.networks.generator, t.networks.discriminator].flatMap((n) => n.getWeights()).map((w) => Array.from(w.dataSync()))

describe("recipe stackgan-stage1", () => {
  const config = (steps: number) => StackganStage1Config.assert({ steps, batchSize: 4, seed: 2, model: { resolution: 32, ngf: 2, ndf: 2, embeddingDim: 6, conditionDim: 4, latentDim: 5 } })
  it("logs the matching-aware D loss, G's adversarial and KL terms; deterministic; flat memory", async () => {
    const c = config(3)
    const counts: number[] = []
    const before = tf.memory().numTensors
    const a = await trainRecipe({ recipe: stackganStage1Recipe.create(c, c.seed), settings: c, data, onProgress: () => void counts.push(tf.memory().numTensors) })
    const b = await trainRecipe({ recipe: stackganStage1Recipe.create(c, c.seed), settings: c, data })
    expect(Object.keys(a.losses!).sort()).toEqual(["discriminator", "generator", "generator/adversarial", "generator/conditioning-kl"])
    expect(a.losses!["generator/conditioning-kl"]).toBeGreaterThan(0)
    // terms are logged weighted: the total is their sum
    expect(a.losses!["generator"]).toBeCloseTo(a.losses!["generator/adversarial"]! + a.losses!["generator/conditioning-kl"]!, 4)
    expect(weightsOf(a)).toEqual(weightsOf(b))
    expect(counts.every((n) => n === counts[0])).toBe(true)
    a.dispose()
    b.dispose()
    expect(tf.memory().numTensors).toBe(before)
  }, 60_000)
})

describe("recipe stackgan-stage2", () => {
  const config = (steps: number) => StackganStage2Config.assert({ steps, batchSize: 4, seed: 2, model: { inputResolution: 32, resolution: 64, ngf: 4, ndf: 2, residualBlocks: 1, embeddingDim: 6, conditionDim: 4 } })
  const stage2Data = () => ({ images: data.hiRes!, lowResImages: data.images!, embeddings: data.embeddings!, wrongEmbeddings: data.wrongEmbeddings! })
  it("refines the Stage-I images it is given: logs its terms, deterministic", async () => {
    const c = config(2)
    const a = await trainRecipe({ recipe: stackganStage2Recipe.create(c, c.seed), settings: c, data: stage2Data() })
    const b = await trainRecipe({ recipe: stackganStage2Recipe.create(c, c.seed), settings: c, data: stage2Data() })
    expect(Object.keys(a.losses!).sort()).toEqual(["discriminator", "generator", "generator/adversarial", "generator/conditioning-kl"])
    // D's loss is (2 real terms)/2 + (3 fake/wrong terms)/3, each ~ln 2 at the start
    expect(a.losses!["discriminator"]).toBeGreaterThan(0.5)
    expect(a.losses!["discriminator"]).toBeLessThan(3)
    expect(weightsOf(a)).toEqual(weightsOf(b))
    a.dispose()
    b.dispose()
  }, 60_000)

  it("names the missing or mis-sized Stage-I field", async () => {
    const c = config(1)
    const { lowResImages: _, ...withoutLow } = stage2Data()
    await expect(trainRecipe({ recipe: stackganStage2Recipe.create(c, 1), settings: c, data: withoutLow })).rejects.toThrow(/lowResImages/)
    await expect(trainRecipe({ recipe: stackganStage2Recipe.create(c, 1), settings: c, data: { ...stage2Data(), lowResImages: data.hiRes! } })).rejects.toThrow(/lowResImages are \[12,64,64,3\]/)
  }, 60_000)
})
