import "@tensorflow/tfjs-backend-cpu"
import * as tf from "@tensorflow/tfjs-core"
import * as tfl from "@tensorflow/tfjs-layers"
import { ageCgan } from "@ganflow/models"
import { beforeAll, describe, expect, it } from "vitest"
import { optimiseIdentityLatents } from "../src/identity-preserving-latents.ts"

beforeAll(async () => {
  await tf.setBackend("cpu")
})

describe("identity-preserving latent optimisation (Age-cGAN eq. 5)", () => {
  it("starts at E(x), lowers the embedding distance, frees its tensors", async () => {
    const m = ageCgan({ resolution: 32, ngf: 4, nef: 4, encoderDenseUnits: 8, latentDim: 8, seed: 2 })
    const embedNet = tfl.sequential({ layers: [tfl.layers.flatten({ inputShape: [32, 32, 3] }), tfl.layers.dense({ units: 5, kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) })] })
    // faces G can draw exactly (z = 3·N(0, 1)), so the optimum is reachable
    const ages = tf.tensor2d([[0], [3], [5]])
    const images = tf.tidy(() => m.generator.predict([tf.mul(tf.randomNormal([3, 8], 0, 1, "float32", 4), 3), ages]) as tf.Tensor4D)
    // warm-up: layers and kernels allocate what they keep on first use
    tf.dispose((await optimiseIdentityLatents({ generator: m.generator, encoder: m.encoder, embed: (x) => embedNet.apply(x) as tf.Tensor2D, images, ages, steps: 1, learningRate: 0.05 })).latents)
    const before = tf.memory().numTensors
    const start = await optimiseIdentityLatents({ generator: m.generator, encoder: m.encoder, embed: (x) => embedNet.apply(x) as tf.Tensor2D, images, ages, steps: 0, learningRate: 0.05 })
    const e = m.encoder.predict(images) as tf.Tensor
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(start.latents, e))).dataSync()[0])).toBe(0)
    const result = await optimiseIdentityLatents({ generator: m.generator, encoder: m.encoder, embed: (x) => embedNet.apply(x) as tf.Tensor2D, images, ages, steps: 40, learningRate: 0.3 })
    expect(result.initialLoss).toBeCloseTo(start.initialLoss, 4)
    expect(result.finalLoss).toBeLessThan(result.initialLoss * 0.9)
    tf.dispose([start.latents, e, result.latents])
    expect(tf.memory().numTensors).toBe(before)
    tf.dispose([images, ages])
    for (const net of [m.generator, m.discriminator, m.encoder, embedNet]) net.dispose()
  })
})
