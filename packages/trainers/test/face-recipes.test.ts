/**
 * The face recipes on tiny configs through the trainer: SRResNet lowers its MSE, SRGAN starts from SRResNet's weights
 * and logs its named content term, Age-cGAN runs its three phases and the encoder learns to invert G.
 */
import { initBackend } from "@ganflow/backend"
import * as tf from "@tensorflow/tfjs-core"
import * as tfl from "@tensorflow/tfjs-layers"
import { faceFeatureCnn, featureMapNetwork } from "@ganflow/models"
import { beforeAll, describe, expect, it } from "vitest"
import {
  AgeCganConfig, ageCganRecipe, SrganConfig, srganRecipe, SrresnetConfig, srresnetRecipe, trainRecipe,
} from "../src/index.ts"
import { superResolutionData } from "../src/stages/train-super-resolution-stages.ts"
import { generateAgedFaces } from "@ganflow/data"

// the project's backend (native or wasm): tfjs-cpu's filter gradient of SRResNet's 9x9 convs takes ~0.7 s a step
beforeAll(async () => {
  await initBackend({ backend: "auto", threads: 2 })
})

const faces = (count: number, size: number) => generateAgedFaces({ count, seed: 1, size }).dataset
const tinySr = { scale: 4 as const, residualBlocks: 1, filters: 8, ndf: 8, denseUnits: 16, hrSize: 16 }

describe("srresnet and srgan recipes", () => {
  it("SRResNet lowers the MSE; SRGAN starts from its weights with a named content term, memory stable", async () => {
    const data = superResolutionData(faces(16, 16), 4) // LR 4x4 -> HR 16x16
    expect(data.images!.shape).toEqual([16, 4, 4, 3])
    const config = SrresnetConfig.assert({ steps: 30, batchSize: 8, model: tinySr, learningRate: 0.003 })
    const pre = await trainRecipe({ recipe: srresnetRecipe.create(config, 0), settings: config, data })
    const first = pre.losses!
    expect(Object.keys(first)).toEqual(["generator"])
    const mse = (g: tfl.LayersModel) => tf.tidy(() => tf.mean(tf.squaredDifference(g.predict(data.images!) as tf.Tensor, data.targets!)).dataSync()[0]!)
    const untrained = srresnetRecipe.create(config, 0)
    const before = mse(untrained.networks.generator)
    untrained.networks.generator.dispose()
    const after = mse(pre.networks.generator)
    expect(after).toBeLessThan(before * 0.7)

    const sg = SrganConfig.assert({ steps: 3, batchSize: 8, model: tinySr })
    const content = featureMapNetwork(faceFeatureCnn({ size: 16, classes: 2, width: 4 }), "face-cnn", "conv2", "tanh")
    const recipe = srganRecipe.create(sg, 0, { initialGenerator: pre.networks.generator.getWeights().map((w) => tf.clone(w)), content })
    // the generator starts exactly where SRResNet ended
    expect(mse(recipe.networks.generator)).toBeCloseTo(after, 6)
    const tensorsBefore = tf.memory().numTensors
    const adv = await trainRecipe({ recipe, settings: sg, data })
    expect(Object.keys(adv.losses!)).toEqual(expect.arrayContaining(["discriminator", "generator/content@face-cnn/conv2", "generator/adversarial"]))
    expect(Object.keys(adv.losses!)).not.toContain("generator/pixel-mse") // the paper's loss by default
    adv.dispose()
    // with pixelWeight the G loss gains the pixel MSE, logged under its own key at the reconstruction's MSE
    const anchored = { ...sg, steps: 1, pixelWeight: 1 }
    const content2 = featureMapNetwork(faceFeatureCnn({ size: 16, classes: 2, width: 4 }), "face-cnn", "conv2", "tanh")
    const withPixel = await trainRecipe({ recipe: srganRecipe.create(anchored, 0, { initialGenerator: pre.networks.generator.getWeights().map((w) => tf.clone(w)), content: content2 }), settings: anchored, data })
    expect(withPixel.losses!["generator/pixel-mse"]).toBeGreaterThan(after * 0.3)
    expect(withPixel.losses!["generator/pixel-mse"]).toBeLessThan(after * 3)
    withPixel.dispose()
    expect(tf.memory().numTensors).toBeLessThanOrEqual(tensorsBefore)
    pre.dispose()
    tf.dispose(Object.values(data))
  }, 60_000)
})

describe("age-cgan recipe", () => {
  it("runs D, G and E phases on age-labelled faces; the encoder's latent reconstruction falls", async () => {
    const ds = faces(32, 32)
    const data = { images: tf.tidy(() => tf.sub(tf.div(tf.tensor4d(Float32Array.from(ds.data), [32, 32, 32, 3]), 127.5), 1)), labels: tf.tensor1d(Int32Array.from(ds.labels!), "int32") }
    const config = AgeCganConfig.assert({ steps: 1, batchSize: 8, model: { resolution: 32, ngf: 4, nef: 4, encoderDenseUnits: 16, latentDim: 8 }, encoderLearningRate: 0.01 })
    const one = await trainRecipe({ recipe: ageCganRecipe.create(config, 0), settings: config, data })
    // one term per phase: logged under the phase's name
    const start = one.losses!.encoder!
    expect(Object.keys(one.losses!).sort()).toEqual(["discriminator", "encoder", "generator"])
    one.dispose()
    const longer = { ...config, steps: 40 }
    const trained = await trainRecipe({ recipe: ageCganRecipe.create(longer, 0), settings: longer, data })
    expect(trained.losses!.encoder!).toBeLessThan(start * 0.8)
    trained.dispose()
    tf.dispose(Object.values(data))
  }, 60_000)
  it("in the ACGAN form (model.discriminator auxiliary-classifier) adds the age-classification term to D and G", async () => {
    const ds = faces(16, 32)
    const data = { images: tf.tidy(() => tf.sub(tf.div(tf.tensor4d(Float32Array.from(ds.data), [16, 32, 32, 3]), 127.5), 1)), labels: tf.tensor1d(Int32Array.from(ds.labels!), "int32") }
    const config = AgeCganConfig.assert({ steps: 2, batchSize: 8, model: { resolution: 32, ngf: 4, nef: 4, encoderDenseUnits: 8, latentDim: 8, discriminator: "auxiliary-classifier" } })
    const before = tf.memory().numTensors
    const trained = await trainRecipe({ recipe: ageCganRecipe.create(config, 0), settings: config, data })
    // D: the age cross-entropy of real faces (≈ ln 6 untrained), G: that of its fakes
    expect(Object.keys(trained.losses!).sort()).toEqual(["discriminator", "discriminator/adversarial", "discriminator/auxiliary-class", "encoder", "generator", "generator/adversarial", "generator/auxiliary-class"])
    expect(trained.losses!["discriminator/auxiliary-class"]!).toBeGreaterThan(Math.log(6) * 0.7)
    expect(trained.losses!["generator/auxiliary-class"]!).toBeGreaterThan(Math.log(6) * 0.7)
    trained.dispose()
    expect(tf.memory().numTensors).toBe(before)
    tf.dispose(Object.values(data))
  }, 60_000)
})
