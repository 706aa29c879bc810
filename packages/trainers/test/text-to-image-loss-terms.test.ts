import "@tensorflow/tfjs-backend-cpu"
import "@tensorflow/tfjs-core/dist/register_all_gradients"
import * as tf from "@tensorflow/tfjs-core"
import { beforeAll, describe, expect, it } from "vitest"
import { conditioningAugmentationKl } from "../src/loss-terms/conditioning-augmentation-kl.ts"
import { featureMatchingLoss } from "../src/loss-terms/feature-matching-loss.ts"
import {
  interpolatedTextGeneratorLoss,
  interpolateEmbeddings,
  matchingAwareDiscriminatorLoss,
  matchingAwareDiscriminatorLossWithUnconditional,
  rolledEmbeddings,
} from "../src/loss-terms/matching-aware-loss.ts"

// Expected values: test/reference/text_to_image_losses.py (PyTorch, float64, written as the reference
// implementations write them: reedscot/icml2016's BCECriterion with cls_weight, StackGAN-Pytorch's KL_loss and
// compute_discriminator_loss); the KL also agrees with torch.distributions.kl_divergence.

beforeAll(async () => {
  await tf.setBackend("cpu")
})

const real = () => tf.tensor1d([2.0, -0.5, 1.25, 0.3])
const wrong = () => tf.tensor1d([0.7, -1.5, 0.1, 2.2])
const fake = () => tf.tensor1d([-1.0, 0.4, -2.5, 0.9])
const value = (f: () => tf.Scalar) => {
  const before = tf.memory().numTensors
  const v = tf.tidy(() => f().dataSync()[0]!)
  expect(tf.memory().numTensors).toBe(before)
  return v
}

describe("GAN-CLS matching-aware D loss: BCE(r, 1) + w·BCE(m, 0) + (1 − w)·BCE(f, 0)", () => {
  it("w = 0.5, the paper's (log D(x,h) + (log(1 − D(x,ĥ)) + log(1 − D(x̂,h)))/2): 1.3393723", () => {
    expect(value(() => matchingAwareDiscriminatorLoss(real(), wrong(), fake()))).toBeCloseTo(1.339372312215906, 5)
  })
  it("w = 0 drops the mismatched term (a conditional GAN's D loss): 1.1134025; w = 0.25: 1.2263874", () => {
    expect(value(() => matchingAwareDiscriminatorLoss(real(), wrong(), fake(), 0))).toBeCloseTo(1.1134024674949479, 5)
    expect(value(() => matchingAwareDiscriminatorLoss(real(), wrong(), fake(), 0.25))).toBeCloseTo(1.226387389855427, 5)
  })
  it("a D that scores mismatched pairs as real pays for it: the loss grows with the mismatched logits", () => {
    const low = value(() => matchingAwareDiscriminatorLoss(real(), tf.fill([4], -3), fake()))
    const high = value(() => matchingAwareDiscriminatorLoss(real(), tf.fill([4], 3), fake()))
    expect(high - low).toBeGreaterThan(1)
  })
  it("Stage-II with the unconditional head: (BCE(r_c,1) + BCE(r_u,1))/2 + (BCE(f_c,0) + BCE(m_c,0) + BCE(f_u,0))/3 = 1.3306147", () => {
    const v = value(() =>
      matchingAwareDiscriminatorLossWithUnconditional(real(), wrong(), fake(), tf.tensor1d([1.1, 0.2, -0.3, 0.8]), tf.tensor1d([-0.6, 1.4, -1.2, 0.05])),
    )
    expect(v).toBeCloseTo(1.3306147058612003, 5)
  })
})

describe("GAN-INT", () => {
  const t1 = () => tf.tensor2d([[1, -2, 0.5], [0, 3, -1]])
  const t2 = () => tf.tensor2d([[-1, 0, 2.5], [4, 1, 1]])
  it("interpolates β·t1 + (1 − β)·t2 row by row (β = 0.5 and 0.25)", () => {
    expect(tf.tidy(() => interpolateEmbeddings(t1(), t2()).arraySync())).toEqual([[0, -1, 1.5], [2, 2, 0]])
    expect(tf.tidy(() => interpolateEmbeddings(t1(), t2(), 0.25).arraySync())).toEqual([[-0.5, -0.5, 2], [3, 1.5, 0.5]])
  })
  it("G's term on interpolated text is BCE(D(G(z, t_β), t_β), 1): 1.1865801", () => {
    expect(value(() => interpolatedTextGeneratorLoss(fake()))).toBeCloseTo(1.1865801372357032, 5)
  })
  it("rolled embeddings give every row another row's text", () => {
    const rolled = tf.tidy(() => rolledEmbeddings(tf.tensor2d([[0], [1], [2], [3]])).arraySync())
    expect(rolled).toEqual([[3], [0], [1], [2]])
    expect(tf.tidy(() => rolledEmbeddings(tf.tensor2d([[0], [1], [2]]), 4).arraySync())).toEqual([[2], [0], [1]])
  })
})

describe("conditioning augmentation KL(N(μ, σ²) ‖ N(0, I))", () => {
  it("mean of −log σ + (σ² + μ² − 1)/2 = 0.8026932 (StackGAN-Pytorch KL_loss and torch.distributions agree)", () => {
    const v = value(() => conditioningAugmentationKl(tf.tensor2d([[0.5, -1, 0], [2, 0.25, -0.75]]), tf.tensor2d([[0, -0.5, 0.3], [0.1, -1.2, 0.7]])))
    expect(v).toBeCloseTo(0.8026932433213506, 5)
  })
  it("is zero at the prior μ = 0, σ = 1 and its gradient pushes μ towards 0", () => {
    expect(value(() => conditioningAugmentationKl(tf.zeros([2, 3]), tf.zeros([2, 3])))).toBeCloseTo(0, 7)
    const grad = tf.tidy(() => tf.grad((mu: tf.Tensor) => conditioningAugmentationKl(mu, tf.zeros([1, 2])))(tf.tensor2d([[1, -2]])).arraySync())
    expect(grad).toEqual([[0.5, -1]])
  })
})

describe("feature matching on an intermediate D layer", () => {
  it("‖mean f(x) − mean f(G(z))‖² = 2.0555556", () => {
    const v = value(() => featureMatchingLoss(tf.tensor2d([[1, 2], [3, -1], [0.5, 0]]), tf.tensor2d([[0, 1], [2, 2], [-1, 0.5]])))
    expect(v).toBeCloseTo(2.0555555555555562, 5)
  })
})
