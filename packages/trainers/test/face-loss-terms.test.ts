import "@tensorflow/tfjs-backend-cpu"
import * as tf from "@tensorflow/tfjs-core"
import type { FeatureMapNetwork } from "@ganflow/models"
import { beforeAll, describe, expect, it } from "vitest"
import { contentLoss, VGG_CONTENT_SCALE } from "../src/loss-terms/perceptual-loss.ts"
import { identityPreservingLoss, latentReconstructionLoss } from "../src/loss-terms/latent-reconstruction-loss.ts"

beforeAll(async () => {
  await tf.setBackend("cpu")
})

/** φ(x) = 2x on a 1x1x2 "feature map" of the image's first two pixels' red channel: easy to work by hand. */
const doubling: FeatureMapNetwork = {
  name: "test/doubling",
  maps: (x) => tf.tidy(() => tf.reshape(tf.mul(tf.slice(x, [0, 0, 0, 0], [-1, 1, 2, 1]), 2), [x.shape[0], 1, 1, 2])),
  dispose: () => undefined,
}

describe("content loss (SRGAN eq. 5)", () => {
  it("is the scaled mean squared feature difference, and only the generated image gets a gradient", () => {
    // generated red pixels (0.5, -0.5), target (0, 0.5): maps (1, -1) vs (0, 1): squared diffs 1 and 4, mean 2.5
    const g = tf.tensor4d([0.5, 0, 0, -0.5, 0, 0], [1, 1, 2, 3])
    const t = tf.tensor4d([0, 9, 9, 0.5, 9, 9], [1, 1, 2, 3])
    const before = tf.memory().numTensors
    const loss = contentLoss(doubling, g, t)
    expect(loss.dataSync()[0]).toBeCloseTo(2.5, 6)
    const scaled = contentLoss(doubling, g, t, 0.1)
    expect(scaled.dataSync()[0]).toBeCloseTo(0.25, 6)
    // d/dg of mean((2g - φt)²) over 2 values = (2g - φt)·2·2/2: red pixel 1: (1 - 0)·2 = 2, pixel 2: (-1 - 1)·2 = -4
    const [dg, dt] = tf.grads((a: tf.Tensor, b: tf.Tensor) => contentLoss(doubling, a as tf.Tensor4D, b as tf.Tensor4D))([g, t])
    expect(Array.from(dg!.dataSync())).toEqual([2, 0, 0, -4, 0, 0])
    expect(Array.from(dt!.dataSync())).toEqual([0, 0, 0, 0, 0, 0])
    tf.dispose([loss, scaled, dg!, dt!])
    expect(tf.memory().numTensors).toBe(before)
    expect(VGG_CONTENT_SCALE).toBeCloseTo(0.0061515, 6)
  })
})

describe("Age-cGAN's Euclidean losses", () => {
  it("latent reconstruction: mean over the batch of the squared L2 distance", () => {
    // rows: (1, 2) vs (1, 0) -> 4; (0, 0) vs (3, 4) -> 25; mean 14.5
    const z = tf.tensor2d([[1, 2], [0, 0]])
    const zHat = tf.tensor2d([[1, 0], [3, 4]])
    expect(latentReconstructionLoss(z, zHat).dataSync()[0]).toBeCloseTo(14.5, 6)
    // identity preserving: same formula, no gradient into the reference embedding
    expect(identityPreservingLoss(zHat, z).dataSync()[0]).toBeCloseTo(14.5, 6)
    const [, dRef] = tf.grads((a: tf.Tensor, b: tf.Tensor) => identityPreservingLoss(a as tf.Tensor2D, b as tf.Tensor2D))([zHat, z])
    expect(Array.from(dRef!.dataSync())).toEqual([0, 0, 0, 0])
  })
})
