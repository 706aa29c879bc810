/**
 * Every kernel this package adds to or replaces on wasm, against the cpu backend: forward and both gradients
 * (through `tf.grads` of a loss), over strides, paddings, odd shapes, batch > 1, 2-D and 3-D.
 */
import * as tf from "@tensorflow/tfjs-core"
import { beforeAll, describe, expect, it } from "vitest"
import { initBackend } from "../src/index.ts"
import { seededValues, wasmVersusCpu } from "./backend-comparison.ts"

const TOLERANCE = 1e-5

/** A loss whose gradient is not uniform, so every position of dy matters. */
const weightedLoss = (y: tf.Tensor): tf.Scalar => tf.sum(tf.mul(y, tf.sin(tf.reshape(tf.range(0, y.size), y.shape))))

type Pad2d = "same" | "valid" | number | [[number, number], [number, number], [number, number], [number, number]]

beforeAll(async () => {
  await initBackend({ backend: "wasm", threads: 2 })
})

describe("conv2d on wasm (Conv2D, Conv2DBackpropFilter, Conv2DBackpropInput)", () => {
  const cases: Array<{ x: number[]; f: number[]; strides: number | [number, number]; pad: Pad2d }> = [
    { x: [2, 9, 7, 3], f: [3, 3, 3, 4], strides: 1, pad: "same" },
    { x: [3, 8, 8, 5], f: [4, 4, 5, 6], strides: 2, pad: "same" },
    { x: [2, 11, 10, 2], f: [3, 2, 2, 3], strides: 3, pad: "valid" },
    { x: [1, 7, 9, 4], f: [1, 1, 4, 5], strides: 2, pad: "valid" },
    { x: [2, 9, 9, 3], f: [3, 3, 3, 2], strides: 2, pad: 1 },
    { x: [2, 8, 8, 3], f: [4, 4, 3, 2], strides: 2, pad: 2 },
    { x: [2, 9, 7, 3], f: [3, 2, 3, 4], strides: [2, 1], pad: [[0, 0], [1, 2], [0, 1], [0, 0]] },
    { x: [2, 6, 13, 3], f: [2, 5, 3, 3], strides: [1, 3], pad: "same" },
    // The case that crashed the shipped kernel: numeric pad, strides [2, 1], 3x2 filter.
    { x: [2, 9, 7, 3], f: [3, 2, 3, 4], strides: [2, 1], pad: 1 },
  ]
  for (const { x, f, strides, pad } of cases) {
    it(`x ${x} filter ${f} strides ${strides} pad ${JSON.stringify(pad)}`, async () => {
      const xs = seededValues(x, 1)
      const fs = seededValues(f, 2)
      const error = await wasmVersusCpu(() => {
        const input = tf.tensor4d(xs, x as [number, number, number, number])
        const filter = tf.tensor4d(fs, f as [number, number, number, number])
        const conv = (a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, strides, pad)
        return [conv(input, filter), ...tf.grads((a, b) => weightedLoss(conv(a!, b!)))([input, filter])]
      })
      expect(error).toBeLessThanOrEqual(TOLERANCE)
    })
  }
})

describe("conv2dTranspose on wasm (its forward is Conv2DBackpropInput)", () => {
  const cases: Array<{ x: number[]; f: number[]; out: number[]; strides: number; pad: "same" | "valid" | number }> = [
    // DCGAN generator layers in miniature: 1x1 -> 4x4 valid, then stride-2 'same' doublings.
    { x: [3, 1, 1, 5], f: [4, 4, 6, 5], out: [3, 4, 4, 6], strides: 1, pad: "valid" },
    { x: [2, 4, 4, 6], f: [4, 4, 3, 6], out: [2, 8, 8, 3], strides: 2, pad: "same" },
    { x: [2, 3, 5, 4], f: [3, 3, 2, 4], out: [2, 9, 15, 2], strides: 3, pad: "same" },
    { x: [1, 4, 4, 3], f: [4, 4, 2, 3], out: [1, 8, 8, 2], strides: 2, pad: 1 },
  ]
  for (const { x, f, out, strides, pad } of cases) {
    it(`x ${x} filter ${f} -> ${out} strides ${strides} pad ${pad}`, async () => {
      const xs = seededValues(x, 3)
      const fs = seededValues(f, 4)
      const error = await wasmVersusCpu(() => {
        const input = tf.tensor4d(xs, x as [number, number, number, number])
        const filter = tf.tensor4d(fs, f as [number, number, number, number])
        const deconv = (a: tf.Tensor, b: tf.Tensor) =>
          tf.conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, out as [number, number, number, number], strides, pad)
        return [deconv(input, filter), ...tf.grads((a, b) => weightedLoss(deconv(a!, b!)))([input, filter])]
      })
      expect(error).toBeLessThanOrEqual(TOLERANCE)
    })
  }
})

describe("conv3d and conv3dTranspose on wasm (Conv3D, Conv3DBackpropFilterV2, Conv3DBackpropInputV2)", () => {
  const cases: Array<{ x: number[]; f: number[]; strides: number | [number, number, number]; pad: "same" | "valid" }> = [
    { x: [2, 6, 7, 5, 2], f: [3, 3, 2, 2, 4], strides: 2, pad: "same" },
    { x: [1, 5, 5, 5, 3], f: [2, 2, 2, 3, 2], strides: 1, pad: "valid" },
    { x: [2, 7, 6, 8, 1], f: [3, 2, 3, 1, 3], strides: [1, 2, 3], pad: "same" },
    { x: [2, 8, 8, 8, 2], f: [4, 4, 4, 2, 3], strides: 2, pad: "same" },
  ]
  for (const { x, f, strides, pad } of cases) {
    it(`conv3d x ${x} filter ${f} strides ${strides} pad ${pad}`, async () => {
      const xs = seededValues(x, 5)
      const fs = seededValues(f, 6)
      const error = await wasmVersusCpu(() => {
        const input = tf.tensor5d(xs, x as [number, number, number, number, number])
        const filter = tf.tensor5d(fs, f as [number, number, number, number, number])
        const conv = (a: tf.Tensor, b: tf.Tensor) => tf.conv3d(a as tf.Tensor5D, b as tf.Tensor5D, strides, pad)
        return [conv(input, filter), ...tf.grads((a, b) => weightedLoss(conv(a!, b!)))([input, filter])]
      })
      expect(error).toBeLessThanOrEqual(TOLERANCE)
    })
  }

  it("conv3d forward with dilations 2", async () => {
    const error = await wasmVersusCpu(() => [
      tf.conv3d(
        tf.tensor5d(seededValues([2, 7, 7, 7, 2], 7), [2, 7, 7, 7, 2]),
        tf.tensor5d(seededValues([2, 2, 3, 2, 3], 8), [2, 2, 3, 2, 3]),
        1,
        "same",
        "NDHWC",
        2,
      ),
    ])
    expect(error).toBeLessThanOrEqual(TOLERANCE)
  })

  it("conv3dTranspose as in the 3D-GAN generator (4^3 -> 8^3, stride 2, same)", async () => {
    const error = await wasmVersusCpu(() => {
      const input = tf.tensor5d(seededValues([2, 4, 4, 4, 5], 9), [2, 4, 4, 4, 5])
      const filter = tf.tensor5d(seededValues([4, 4, 4, 3, 5], 10), [4, 4, 4, 3, 5])
      const deconv = (a: tf.Tensor, b: tf.Tensor) =>
        tf.conv3dTranspose(a as tf.Tensor5D, b as tf.Tensor5D, [2, 8, 8, 8, 3], 2, "same")
      return [deconv(input, filter), ...tf.grads((a, b) => weightedLoss(deconv(a!, b!)))([input, filter])]
    })
    expect(error).toBeLessThanOrEqual(TOLERANCE)
  })
})

describe("matMul on wasm (BatchMatMul: transposed and batched products reach XNNPACK)", () => {
  const cases: Array<{ a: number[]; b: number[]; ta: boolean; tb: boolean }> = [
    { a: [5, 7], b: [7, 3], ta: false, tb: false },
    { a: [7, 5], b: [7, 3], ta: true, tb: false },
    { a: [5, 7], b: [3, 7], ta: false, tb: true },
    { a: [7, 5], b: [3, 7], ta: true, tb: true },
    { a: [3, 5, 7], b: [3, 7, 4], ta: false, tb: false },
    { a: [3, 7, 5], b: [3, 4, 7], ta: true, tb: true },
  ]
  for (const { a, b, ta, tb } of cases) {
    it(`a ${a} b ${b} transposeA ${ta} transposeB ${tb}, with gradients`, async () => {
      const as = seededValues(a, 11)
      const bs = seededValues(b, 12)
      const error = await wasmVersusCpu(() => {
        const left = tf.tensor(as, a)
        const right = tf.tensor(bs, b)
        const product = (x: tf.Tensor, y: tf.Tensor) => tf.matMul(x, y, ta, tb)
        return [product(left, right), ...tf.grads((x, y) => weightedLoss(product(x!, y!)))([left, right])]
      })
      expect(error).toBeLessThanOrEqual(TOLERANCE)
    })
  }
})

describe("matMul with a broadcast batch on wasm (forward only: tfjs' BatchMatMul gradient does not reduce it)", () => {
  for (const [a, b] of [[[3, 5, 7], [7, 4]], [[5, 7], [2, 7, 4]], [[1, 5, 7], [3, 7, 4]]] as const) {
    it(`a ${a} b ${b}`, async () => {
      const error = await wasmVersusCpu(() => [tf.matMul(tf.tensor(seededValues(a, 17), [...a]), tf.tensor(seededValues(b, 18), [...b]))])
      expect(error).toBeLessThanOrEqual(TOLERANCE)
    })
  }
})

describe("gather on wasm (its gradient is UnsortedSegmentSum)", () => {
  it("embedding lookup with repeated ids, forward and gradient", async () => {
    const error = await wasmVersusCpu(() => {
      const table = tf.tensor2d(seededValues([6, 5], 13), [6, 5])
      const ids = tf.tensor1d([0, 3, 3, 5, 1, 3], "int32")
      return [tf.gather(table, ids), tf.grad((t: tf.Tensor) => weightedLoss(tf.gather(t, ids)))(table)]
    })
    expect(error).toBeLessThanOrEqual(TOLERANCE)
  })

  it("unsortedSegmentSum drops out-of-range ids as TensorFlow does", async () => {
    const error = await wasmVersusCpu(() => [
      tf.unsortedSegmentSum(tf.tensor2d(seededValues([5, 3], 14), [5, 3]), tf.tensor1d([2, 0, 2, 7, 1], "int32"), 4),
    ])
    expect(error).toBeLessThanOrEqual(TOLERANCE)
  })
})

describe("no leaks", () => {
  it("repeated conv gradients on wasm leave the tensor count unchanged", async () => {
    await tf.setBackend("wasm")
    const step = () =>
      tf.tidy(() => {
        const input = tf.tensor4d(seededValues([2, 8, 8, 3], 15), [2, 8, 8, 3])
        const filter = tf.tensor4d(seededValues([4, 4, 3, 4], 16), [4, 4, 3, 4])
        return tf.grads((a, b) => weightedLoss(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, "same")))([input, filter])
      })
    tf.dispose(step())
    const before = tf.memory().numTensors
    for (let i = 0; i < 3; i++) tf.dispose(step())
    expect(tf.memory().numTensors).toBe(before)
  })
})

describe("tile on wasm (block copies)", () => {
  const cases: Array<{ shape: number[]; reps: number[]; dtype: "float32" | "int32" | "bool" }> = [
    { shape: [1, 1, 1, 5], reps: [3, 4, 2, 1], dtype: "float32" },
    { shape: [2, 3], reps: [3, 2], dtype: "float32" },
    { shape: [3, 1, 2], reps: [1, 4, 3], dtype: "int32" },
    { shape: [2, 2], reps: [2, 3], dtype: "bool" },
    { shape: [4], reps: [1], dtype: "float32" },
    { shape: [2, 0, 3], reps: [2, 2, 2], dtype: "float32" },
  ]
  for (const { shape, reps, dtype } of cases) {
    it(`${dtype} ${shape} x ${reps}`, async () => {
      const values = seededValues(shape, 19)
      const error = await wasmVersusCpu(() => {
        const x = dtype === "float32" ? tf.tensor(values, shape) : tf.cast(tf.tensor(values.map((v) => (v > 0 ? 1 : 0)), shape), dtype)
        return [tf.cast(tf.tile(x, reps), "float32")]
      })
      expect(error).toBeLessThanOrEqual(TOLERANCE)
    })
  }

  it("the batch-norm gradient, which tiles per-channel vectors, matches cpu", async () => {
    const error = await wasmVersusCpu(() => {
      const x = tf.tensor4d(seededValues([4, 5, 3, 6], 20), [4, 5, 3, 6])
      const gamma = tf.tensor1d(seededValues([6], 21))
      const beta = tf.tensor1d(seededValues([6], 22))
      const norm = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
        const { mean, variance } = tf.moments(a, [0, 1, 2])
        return tf.batchNorm(a as tf.Tensor4D, mean, variance, b as tf.Tensor1D, g as tf.Tensor1D, 1e-5)
      }
      return [norm(x, gamma, beta), ...tf.grads((a, g, b) => weightedLoss(norm(a!, g!, b!)))([x, gamma, beta])]
    })
    expect(error).toBeLessThanOrEqual(TOLERANCE)
  })
})

describe("sum and mean over leading axes on wasm", () => {
  const cases: Array<{ shape: number[]; axis: number | number[]; keepDims: boolean }> = [
    { shape: [4, 5, 3, 6], axis: [0, 1, 2], keepDims: false },
    { shape: [4, 5, 3, 6], axis: [2, 0, 1], keepDims: true },
    { shape: [7, 9], axis: 0, keepDims: false },
    { shape: [7, 9], axis: -2, keepDims: true },
    { shape: [3, 4, 5], axis: [1], keepDims: false },
    { shape: [3, 4, 5], axis: [0, 1, 2], keepDims: false },
  ]
  for (const { shape, axis, keepDims } of cases) {
    it(`${shape} over ${axis} keepDims ${keepDims}`, async () => {
      const values = seededValues(shape, 23)
      const error = await wasmVersusCpu(() => {
        const x = tf.tensor(values, shape)
        return [tf.sum(x, axis, keepDims), tf.mean(x, axis, keepDims)]
      })
      expect(error).toBeLessThanOrEqual(TOLERANCE)
    })
  }
})
