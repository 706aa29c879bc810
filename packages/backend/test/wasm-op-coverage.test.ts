/**
 * Every op the GAN models and trainers use, forward and backward, on wasm: its kernels are registered there, its
 * gradient exists, and the results match the cpu backend.
 */
import * as tf from "@tensorflow/tfjs-core"
import { beforeAll, describe, expect, it } from "vitest"
import { initBackend } from "../src/index.ts"
import { seededValues, wasmVersusCpu } from "./backend-comparison.ts"

/** Kernels reached by the forward passes and gradients of the models and trainers. */
const requiredKernels = [
  // convolutions and dense layers
  "Conv2D", "Conv2DBackpropFilter", "Conv2DBackpropInput", "FusedConv2D",
  "Conv3D", "Conv3DBackpropFilterV2", "Conv3DBackpropInputV2",
  "BatchMatMul", "_FusedMatMul",
  // normalisation, activations and their gradients
  "FusedBatchNorm", "LeakyRelu", "Relu", "Sigmoid", "Tanh", "Elu", "EluGrad", "Softplus", "Step", "Prelu",
  "Softmax", "Log", "Exp", "Sqrt", "Rsqrt", "Square", "Reciprocal", "Pow", "Abs", "Sign", "ClipByValue",
  // arithmetic and comparisons
  "Add", "AddN", "Sub", "Multiply", "RealDiv", "Neg", "Maximum", "Minimum", "SquaredDifference",
  "Greater", "GreaterEqual", "Less", "LessEqual", "Equal", "LogicalAnd", "Select",
  // reductions
  "Sum", "Mean", "Max", "Min", "Prod", "ArgMax",
  // shapes and data movement
  "Reshape", "Transpose", "Concat", "Slice", "StridedSlice", "Tile", "PadV2", "MirrorPad", "Pack", "Unpack",
  "SplitV", "Cast", "Identity", "Fill", "ZerosLike", "OnesLike", "Range", "ExpandDims", "Reverse",
  // indexing, labels, resizing
  "GatherV2", "UnsortedSegmentSum", "OneHot", "ResizeBilinear", "ResizeBilinearGrad",
  "ResizeNearestNeighbor", "ResizeNearestNeighborGrad", "AvgPool", "AvgPoolGrad", "MaxPool", "MaxPoolGrad",
]

/**
 * Differentiable ops whose gradient must be registered (GAN training backpropagates through all of them).
 * `_FusedMatMul` / `FusedConv2D` carry their gradient in the op (customGrad), not in the registry; tfjs has no
 * `StridedSlice` gradient at all (use `slice`).
 */
const differentiable = [
  "Conv2D", "Conv2DBackpropInput", "Conv3D", "Conv3DBackpropInputV2", "BatchMatMul",
  "FusedBatchNorm", "LeakyRelu", "Relu", "Sigmoid", "Tanh", "Elu", "Softplus", "Prelu", "Softmax", "Log", "Exp",
  "Sqrt", "Rsqrt", "Square", "Pow", "Abs", "ClipByValue", "Add", "AddN", "Sub", "Multiply", "RealDiv", "Neg",
  "Maximum", "Minimum", "SquaredDifference", "Select", "Sum", "Mean", "Max", "Prod", "Reshape", "Transpose",
  "Concat", "Slice", "Tile", "PadV2", "MirrorPad", "Pack", "Cast", "GatherV2", "ResizeBilinear",
  "AvgPool", "MaxPool",
]

beforeAll(async () => {
  await initBackend({ backend: "wasm", threads: 2 })
})

describe("kernel registry", () => {
  it("has every required kernel on wasm", () => {
    const onWasm = new Set(tf.getKernelsForBackend("wasm").map((k) => k.kernelName))
    expect(requiredKernels.filter((name) => !onWasm.has(name))).toEqual([])
  })

  it("has a gradient for every differentiable op", () => {
    expect(differentiable.filter((name) => tf.getGradient(name) === undefined)).toEqual([])
  })

  it("leaves on cpu only kernels GANs do not use (complex numbers, FFT, ragged, strings, depthwise grads, Einsum)", () => {
    const onWasm = new Set(tf.getKernelsForBackend("wasm").map((k) => k.kernelName))
    const cpuOnly = tf.getKernelsForBackend("cpu").map((k) => k.kernelName).filter((name) => !onWasm.has(name))
    expect(cpuOnly.sort()).toEqual(
      [
        "Complex", "ComplexAbs", "DepthwiseConv2dNativeBackpropFilter", "DepthwiseConv2dNativeBackpropInput",
        "Draw", "Einsum", "FFT", "IFFT", "Imag", "RaggedGather", "RaggedRange", "RaggedTensorToTensor", "Real",
        "StaticRegexReplace",
      ].sort(),
    )
  })
})

const TOLERANCE = 1e-4
const weights = (t: tf.Tensor) => tf.sin(tf.reshape(tf.range(1, t.size + 1), t.shape))
const loss = (t: tf.Tensor) => tf.sum(tf.mul(t, weights(t)))
const input = (shape: number[], seed: number) => tf.tensor(seededValues(shape, seed), shape)

/** Unary ops of one float input: forward value and gradient compared. */
const unary: Record<string, (x: tf.Tensor) => tf.Tensor> = {
  leakyRelu: (x) => tf.leakyRelu(x, 0.2),
  relu: (x) => tf.relu(x),
  sigmoid: (x) => tf.sigmoid(x),
  tanh: (x) => tf.tanh(x),
  elu: (x) => tf.elu(x),
  softplus: (x) => tf.softplus(x),
  log: (x) => tf.log(tf.add(tf.abs(x), 0.5)),
  exp: (x) => tf.exp(x),
  sqrt: (x) => tf.sqrt(tf.add(tf.abs(x), 0.1)),
  rsqrt: (x) => tf.rsqrt(tf.add(tf.abs(x), 0.1)),
  square: (x) => tf.square(x),
  abs: (x) => tf.abs(x),
  sign: (x) => tf.mul(tf.sign(x), x),
  neg: (x) => tf.neg(x),
  clip: (x) => tf.clipByValue(x, -0.3, 0.4),
  pow: (x) => tf.pow(tf.add(tf.abs(x), 0.5), 2.5),
  sum: (x) => tf.sum(x, 1),
  mean: (x) => tf.mean(x, [0, 2]),
  max: (x) => tf.max(x, -1),
  prod: (x) => tf.prod(tf.add(x, 1.5), 2),
  reshape: (x) => tf.reshape(x, [-1, 6]),
  transpose: (x) => tf.transpose(x, [2, 0, 1]),
  concat: (x) => tf.concat([x, tf.mul(x, 2)], 1),
  slice: (x) => tf.slice(x, [0, 1, 1], [2, 2, 2]),
  tile: (x) => tf.tile(x, [1, 2, 1]),
  pad: (x) => tf.pad(x, [[0, 0], [1, 2], [2, 1]], 0.5),
  mirrorPad: (x) => tf.mirrorPad(x, [[0, 0], [1, 1], [2, 2]], "reflect"),
  broadcastTo: (x) => tf.broadcastTo(tf.slice(x, [0, 0, 0], [1, 4, 6]), [3, 4, 6]),
  stack: (x) => tf.stack([x, tf.neg(x)], 1),
  cast: (x) => tf.cast(tf.cast(tf.mul(x, 10), "int32"), "float32"),
  // The mask comes from a constant: tfjs registers no (zero) gradient for comparisons like Greater.
  where: (x) => tf.where(tf.greater(input([3, 4, 6], 25), 0.1), x, tf.mul(x, -3)),
  maximum: (x) => tf.maximum(x, tf.mul(x, -0.5)),
  minimum: (x) => tf.minimum(x, tf.mul(x, -0.5)),
  squaredDifference: (x) => tf.squaredDifference(x, tf.mul(x, 0.3)),
  arithmetic: (x) => tf.div(tf.sub(tf.mul(x, x), tf.add(x, 3)), tf.add(tf.abs(x), 1)),
  softmax: (x) => tf.softmax(x),
  logSoftmax: (x) => tf.logSoftmax(x),
  // Square images: tfjs' cpu ResizeBilinearGrad returns H and W swapped for non-square ones (checked below).
  resizeBilinear: (x) => tf.image.resizeBilinear(tf.slice(tf.reshape(x, [1, 4, 3, 6]), [0, 0, 0, 0], [1, 3, 3, 6]) as tf.Tensor4D, [6, 7]),
  resizeNearest: (x) => tf.image.resizeNearestNeighbor(tf.reshape(x, [1, 3, 4, 6]) as tf.Tensor4D, [6, 8]),
  avgPool: (x) => tf.avgPool(tf.reshape(x, [1, 3, 4, 6]) as tf.Tensor4D, 2, 1, "same"),
  batchNormTraining: (x) => {
    const { mean, variance } = tf.moments(x, [0, 1])
    return tf.batchNorm(x, mean, variance, tf.fill([6], 0.1), tf.fill([6], 1.2), 1e-3)
  },
  dense: (x) => tf.relu(tf.add(tf.matMul(tf.reshape(x, [12, 6]), input([6, 5], 30)), input([5], 31))),
  fusedDense: (x) => tf.fused.matMul({ a: tf.reshape(x, [12, 6]) as tf.Tensor2D, b: input([6, 5], 32) as tf.Tensor2D, bias: input([5], 33), activation: "relu" }),
  fusedConv: (x) =>
    tf.fused.conv2d({ x: tf.reshape(x, [1, 3, 4, 6]) as tf.Tensor4D, filter: input([2, 2, 6, 3], 34) as tf.Tensor4D, strides: 1, pad: "same", bias: input([3], 35), activation: "relu" }),
  gather: (x) => tf.gather(x, tf.tensor1d([2, 0, 2], "int32"), 1),
}

describe("forward and backward on wasm match cpu", () => {
  for (const [name, op] of Object.entries(unary)) {
    it(name, async () => {
      const error = await wasmVersusCpu(() => {
        const x = input([3, 4, 6], 20)
        return [op(x), tf.grad((t: tf.Tensor) => loss(op(t)))(x)]
      })
      expect(error).toBeLessThanOrEqual(TOLERANCE)
    })
  }

  it("oneHot, argMax and seeded random tensors (forward only)", async () => {
    const error = await wasmVersusCpu(() => [
      tf.cast(tf.oneHot(tf.tensor1d([0, 3, 1], "int32"), 5), "float32"),
      tf.cast(tf.argMax(input([4, 7], 21), 1), "float32"),
      tf.randomNormal([4, 5], 0, 1, "float32", 7),
      tf.randomUniform([4, 5], -1, 1, "float32", 8),
      tf.zerosLike(input([2, 3], 22)),
      tf.onesLike(input([2, 3], 23)),
    ])
    expect(error).toBeLessThanOrEqual(TOLERANCE)
  })

  it("stridedSlice forward (tfjs has no StridedSlice gradient)", async () => {
    const error = await wasmVersusCpu(() => [tf.stridedSlice(input([3, 4, 6], 26), [0, 0, 0], [3, 4, 6], [1, 2, 2])])
    expect(error).toBeLessThanOrEqual(TOLERANCE)
  })

  it("the wasm resizeBilinear gradient has the input's shape for non-square images", async () => {
    await tf.setBackend("wasm")
    const shape = tf.tidy(() => tf.grad((t: tf.Tensor) => loss(tf.image.resizeBilinear(t as tf.Tensor4D, [6, 7])))(input([1, 3, 4, 2], 27)).shape)
    expect(shape).toEqual([1, 3, 4, 2])
  })
})
