import "@tensorflow/tfjs-backend-cpu"
import "@tensorflow/tfjs-core/dist/register_all_gradients"
import { SeededRandom } from "@ganflow/data"
import * as tf from "@tensorflow/tfjs-core"
import { beforeAll, describe, expect, it } from "vitest"
import { ImageHistoryBuffer } from "../src/image-history-buffer.ts"
import { CYCLE_LAMBDA, cycleConsistencyLoss, IDENTITY_FRACTION, identityLoss } from "../src/loss-terms/cycle-consistency-loss.ts"
import { l1DistanceLoss, PIX2PIX_L1_WEIGHT } from "../src/loss-terms/l1-distance-loss.ts"
import { patchGanDiscriminatorLoss, patchGanGeneratorLoss } from "../src/loss-terms/patch-gan-losses.ts"

beforeAll(async () => {
  await tf.setBackend("cpu")
})

// the tensors of test/fixtures/translation_loss_terms_reference.py (NCHW there, NHWC here: same values, same means)
const realLogits = () => tf.tensor4d([0.5, -1.0, 2.0, 0.25], [1, 2, 2, 1])
const fakeLogits = () => tf.tensor4d([-0.75, 1.5, 0.0, -2.0], [1, 2, 2, 1])
const a = () => tf.tensor4d([0.1, -0.4, 0.9, -1.0, 0.3, 0.0], [1, 2, 3, 1])
const b = () => tf.tensor4d([0.2, 0.6, -0.9, -0.5, 0.3, 1.0], [1, 2, 3, 1])
const value = (f: () => tf.Scalar) => {
  const before = tf.memory().numTensors
  const v = tf.tidy(() => f().dataSync()[0]!)
  expect(tf.memory().numTensors).toBe(before)
  return v
}

describe("pix2pix / CycleGAN loss terms (values from PyTorch, pytorch-CycleGAN-and-pix2pix's criteria)", () => {
  it("cGAN (vanilla, BCE on patch logits): G 1.0395899, D ½(real + fake) 0.6748208", () => {
    expect(value(() => patchGanGeneratorLoss("vanilla", fakeLogits()))).toBeCloseTo(1.0395898818969727, 6)
    expect(value(() => patchGanDiscriminatorLoss("vanilla", realLogits(), fakeLogits()))).toBeCloseTo(0.6748207807540894, 6)
  })

  it("least squares: G mean((f-1)²) = 3.328125, D ½(mean((r-1)²) + mean(f²)) = 1.578125", () => {
    expect(value(() => patchGanGeneratorLoss("lsgan", fakeLogits()))).toBeCloseTo(3.328125, 6)
    expect(value(() => patchGanDiscriminatorLoss("lsgan", realLogits(), fakeLogits()))).toBeCloseTo(1.578125, 6)
  })

  it("L1 = 4.4 / 6; pix2pix's G objective cGAN + 100·L1 = 74.372917", () => {
    expect(value(() => l1DistanceLoss(a(), b()))).toBeCloseTo(4.4 / 6, 6)
    expect(PIX2PIX_L1_WEIGHT).toBe(100)
    expect(value(() => tf.add(patchGanGeneratorLoss("vanilla", fakeLogits()), tf.mul(PIX2PIX_L1_WEIGHT, l1DistanceLoss(a(), b()))) as tf.Scalar)).toBeCloseTo(74.37291717529297, 4)
  })

  it("cycle consistency λ = 10: 7.3333333; identity 0.5·λ: 3.6666667; zero for a perfect reconstruction", () => {
    expect([CYCLE_LAMBDA, IDENTITY_FRACTION]).toEqual([10, 0.5])
    expect(value(() => cycleConsistencyLoss(a(), b()))).toBeCloseTo(7.3333330154418945, 5)
    expect(value(() => identityLoss(a(), b()))).toBeCloseTo(3.6666665077209473, 5)
    expect(value(() => cycleConsistencyLoss(a(), a()))).toBe(0)
  })

  it("gradients of the cycle term reach the reconstruction: d/dx λ·mean|x - y| = λ·sign(x - y)/n", () => {
    // no ties: at x = y tfjs' |·| subgradient is -1 (PyTorch's is 0)
    const y = tf.tensor4d([0.2, 0.6, -0.9, -0.5, 0.1, 1.0], [1, 2, 3, 1])
    const g = tf.grad((x: tf.Tensor) => cycleConsistencyLoss(x, y))(a())
    expect(Array.from(g.dataSync()).map((v) => +v.toFixed(5) + 0)).toEqual([-10 / 6, -10 / 6, 10 / 6, -10 / 6, 10 / 6, -10 / 6].map((v) => +v.toFixed(5)))
    tf.dispose([g, y])
  })
})

describe("image history buffer (CycleGAN's ImagePool of 50)", () => {
  /** A batch of `n` 1x1x1 images with values start, start + 1, … */
  const batch = (start: number, n: number) => tf.tensor4d(Array.from({ length: n }, (_, i) => start + i), [n, 1, 1, 1])
  const run = (seed: number) => {
    const buffer = new ImageHistoryBuffer([1, 1, 1], 4)
    const random = new SeededRandom(seed)
    const seen: number[][] = []
    for (let step = 0; step < 6; step++) {
      const images = batch(step * 2, 2)
      const out = buffer.query(images, random)
      seen.push(Array.from(out.dataSync()))
      tf.dispose([images, out])
    }
    const slots = buffer.slots.map((s) => s.dataSync()[0]!)
    const filled = buffer.filled
    buffer.dispose()
    return { seen, slots, filled }
  }

  it("returns the new images until full, then mixes in stored ones; same seed, same mix; no tensor leaks", () => {
    const before = tf.memory().numTensors
    const first = run(7)
    expect(tf.memory().numTensors).toBe(before)
    expect(first.seen.slice(0, 2)).toEqual([[0, 1], [2, 3]]) // filling: images pass through
    expect(first.filled).toBe(4)
    const later = first.seen.slice(2).flat()
    const fresh = [4, 5, 6, 7, 8, 9, 10, 11]
    expect(later.some((v, i) => v !== fresh[i])).toBe(true) // some stored image was returned instead
    // every returned value is the fresh image or an earlier one (never invented)
    expect(later.every((v, i) => v <= fresh[i]!)).toBe(true)
    // no image is lost: each was returned or is still stored
    expect(new Set([...first.seen.flat(), ...first.slots])).toEqual(new Set(Array.from({ length: 12 }, (_, i) => i)))
    expect(run(7)).toEqual(first)
    expect(run(8).seen).not.toEqual(first.seen)
  })

  it("restores its slots and fill count: a resumed buffer continues the same mix", () => {
    const random = new SeededRandom(3)
    const whole = new ImageHistoryBuffer([1, 1, 1], 3)
    const outs: number[] = []
    for (let s = 0; s < 5; s++) {
      const x = batch(s * 10, 1)
      const o = whole.query(x, random)
      outs.push(o.dataSync()[0]!)
      tf.dispose([x, o])
    }
    // resume after step 2 from a "checkpoint": slot values, fill count, random state
    const random2 = new SeededRandom(3)
    const first = new ImageHistoryBuffer([1, 1, 1], 3)
    for (let s = 0; s < 3; s++) {
      const x = batch(s * 10, 1)
      tf.dispose([x, first.query(x, random2)])
    }
    const saved = { slots: first.slots.map((v) => v.dataSync()[0]!), filled: first.filled, random: random2.state() }
    first.dispose()
    const resumed = new ImageHistoryBuffer([1, 1, 1], 3)
    resumed.slots.forEach((v, i) => v.assign(tf.fill([1, 1, 1], saved.slots[i]!)))
    resumed.restoreFilled(saved.filled)
    const random3 = SeededRandom.fromState(saved.random)
    const tail: number[] = []
    for (let s = 3; s < 5; s++) {
      const x = batch(s * 10, 1)
      const o = resumed.query(x, random3)
      tail.push(o.dataSync()[0]!)
      tf.dispose([x, o])
    }
    expect(tail).toEqual(outs.slice(3))
    whole.dispose()
    resumed.dispose()
  })
})
