import { registerNativeBackend } from "@ganflow/native"
import "@tensorflow/tfjs-backend-cpu"
import * as tf from "@tensorflow/tfjs-core"
import "@tensorflow/tfjs-core/dist/register_all_gradients.js"
import * as tfl from "@tensorflow/tfjs-layers"
import { beforeAll, describe, expect, it } from "vitest"
import { BatchNormalization, batchNormalization } from "../src/index.ts"

// The models' batch norm is tfjs-layers' layer whose training call takes @ganflow/native's fused kernel on the
// native backend: same maths as tfjs-layers' composed ops (within float32 rounding), and tfjs-layers' own call,
// bit for bit, everywhere else (the pinned-loss tests on cpu rely on that) and in inference mode.
beforeAll(async () => {
  await registerNativeBackend({ threads: 2 })
})

type Layer = tfl.layers.Layer
type LayerArgs = Parameters<typeof tfl.layers.batchNormalization>[0]

/** Deterministic values around `centre` (conv-output-like: off zero), from a sine so every backend sees the same. */
const values = (n: number, phase: number, centre: number, spread: number): Float32Array =>
  Float32Array.from({ length: n }, (_, i) => centre + spread * Math.sin(i * 1.7 + phase))

interface Outcome {
  readonly y: Float32Array
  readonly dx: Float32Array
  readonly dgamma: Float32Array
  readonly dbeta: Float32Array
  readonly movingMean: Float32Array
  readonly movingVariance: Float32Array
  readonly inference: Float32Array
  readonly kernels: string[]
}

/** One training call of `make()`'s layer on `backend` with set weights, the gradients of a weighted sum, then an inference call. */
const runLayer = async (backend: string, make: () => Layer, shape: number[]): Promise<Outcome> => {
  await tf.setBackend(backend)
  const channels = shape.at(-1)!
  const size = shape.reduce((a, b) => a * b, 1)
  const layer = make()
  layer.build(shape)
  // gamma, beta, moving mean, moving variance
  layer.setWeights([values(channels, 1, 1, 0.2), values(channels, 2, 0, 0.1), values(channels, 3, 0.1, 0.1), values(channels, 4, 1.2, 0.3)]
    .map((v) => tf.tensor1d(v)))
  const x = tf.variable(tf.tensor(values(size, 5, 0.5, 2), shape))
  const w = tf.tensor(values(size, 6, 0, 1), shape)
  const [gamma, beta] = layer.trainableWeights.map((v) => v.read() as tf.Variable)
  const before = tf.memory().numTensors
  let y: Float32Array = new Float32Array()
  const profile = await tf.profile(() => {
    const { value, grads } = tf.variableGrads(() => {
      const out = layer.apply(x, { training: true }) as tf.Tensor
      y = out.dataSync() as Float32Array
      return tf.sum(tf.mul(out, w)) as tf.Scalar
    }, [x, gamma!, beta!])
    value.dispose()
    return [grads[x.name]!, grads[gamma!.name]!, grads[beta!.name]!]
  })
  const [dx, dgamma, dbeta] = (profile.result as tf.Tensor[]).map((t) => t.dataSync() as Float32Array)
  tf.dispose(profile.result as tf.Tensor[])
  expect(tf.memory().numTensors).toBe(before)
  const [, , movingMean, movingVariance] = layer.getWeights().map((t) => t.dataSync() as Float32Array)
  const inference = tf.tidy(() => (layer.apply(x, { training: false }) as tf.Tensor).dataSync() as Float32Array)
  tf.dispose([x, w])
  for (const v of layer.weights) v.dispose()
  return { y, dx: dx!, dgamma: dgamma!, dbeta: dbeta!, movingMean: movingMean!, movingVariance: movingVariance!, inference, kernels: profile.kernelNames }
}

const numericFields = ["y", "dx", "dgamma", "dbeta", "movingMean", "movingVariance", "inference"] as const

/** max |a - b| / max |b|. */
const relativeError = (a: Float32Array, b: Float32Array): number => {
  let diff = 0, scale = 0
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!))
    scale = Math.max(scale, Math.abs(b[i]!))
  }
  return diff / scale
}

const keras = (args: LayerArgs = {}) => () => tfl.layers.batchNormalization(args)
const ganflow = (args: LayerArgs = {}) => () => batchNormalization(args)
// a 3D-GAN volume as the model views it ([B, D*H, W, C]), a DCGAN map, an MLP batch
const shapes = [[2, 16, 4, 8], [3, 5, 7, 6], [16, 10]]
const dcganArgs = { momentum: 0.9, epsilon: 1e-5 }

describe("batchNormalization (models' batch norm)", () => {
  it("keeps tfjs-layers' class name, weights and config, so saved models and checkpoints are unchanged", () => {
    const ours = batchNormalization({ ...dcganArgs, name: "bn_names" })
    const theirs = tfl.layers.batchNormalization({ ...dcganArgs, name: "bn_names" })
    expect(ours).toBeInstanceOf(BatchNormalization)
    expect(ours.getClassName()).toBe("BatchNormalization")
    expect(ours.getConfig()).toEqual(theirs.getConfig())
    ours.build([4, 3])
    theirs.build([4, 3])
    expect(ours.weights.map((v) => v.originalName)).toEqual(theirs.weights.map((v) => v.originalName))
  })

  it.each(shapes.map((s) => [s]))("is tfjs-layers' own call bit for bit on cpu (%j), training and inference", async (shape) => {
    const ours = await runLayer("cpu", ganflow(dcganArgs), shape)
    const theirs = await runLayer("cpu", keras(dcganArgs), shape)
    for (const field of numericFields) expect(ours[field], field).toEqual(theirs[field])
    expect(ours.kernels).not.toContain("GanflowBatchNormTraining")
  })

  it.each(shapes.map((s) => [s]))("runs the fused kernels on native, matching tfjs-layers' ops within float32 rounding (%j)", async (shape) => {
    const fused = await runLayer("native", ganflow(dcganArgs), shape)
    expect(fused.kernels).toContain("GanflowBatchNormTraining")
    expect(fused.kernels).toContain("GanflowBatchNormTrainingGrad")
    expect(fused.kernels).not.toContain("FusedBatchNorm") // no composed tf.batchNorm in the training call
    const composed = await runLayer("cpu", keras(dcganArgs), shape)
    for (const field of numericFields) expect(relativeError(fused[field], composed[field]), field).toBeLessThan(1e-5)
    // inference mode is tfjs-layers' own call on native too
    const stockNative = await runLayer("native", keras(dcganArgs), shape)
    expect(fused.inference).toEqual(stockNative.inference)
  })

  it("takes tfjs-layers' call on native where the fused kernel does not apply (channels not last)", async () => {
    await tf.setBackend("native")
    const x = tf.tensor(values(36, 5, 0.5, 2), [4, 3, 3])
    const outputs = [ganflow({ axis: 1 }), keras({ axis: 1 })].map((make) => {
      const layer = make()
      const y = layer.apply(x, { training: true }) as tf.Tensor
      const result = [y, ...layer.getWeights()].map((t) => t.dataSync())
      y.dispose()
      return result
    })
    expect(outputs[0]).toEqual(outputs[1])
    x.dispose()
  })
})
