import "@tensorflow/tfjs-backend-cpu"
import * as tfc from "@tensorflow/tfjs-core"
import * as tf from "@tensorflow/tfjs-layers"
import { beforeAll, describe, expect, it } from "vitest"
import {
  InstanceNormalization,
  MinibatchDiscrimination,
  MinibatchStandardDeviation,
  SpectralConv2D,
  SpectralDense,
} from "../src/index.ts"
import { NearestUpsampling2D } from "../src/layers/index.ts"

beforeAll(async () => {
  await tfc.setBackend("cpu")
})

/** Saves a model to memory as model.json + weights and loads it back with tf.loadLayersModel. */
const roundTrip = async (model: tf.LayersModel): Promise<tf.LayersModel> => {
  let artifacts: tfc.io.ModelArtifacts | undefined
  await model.save(tfc.io.withSaveHandler(async (a) => ((artifacts = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } })))
  // through JSON text, as a browser would fetch model.json
  const json = JSON.parse(JSON.stringify({ modelTopology: artifacts!.modelTopology, weightsManifest: [{ paths: [], weights: artifacts!.weightSpecs }] }))
  return tf.loadLayersModel(tfc.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: artifacts!.weightData! }))
}

const maxAbsDiff = (a: tfc.Tensor, b: tfc.Tensor) => tfc.tidy(() => tfc.max(tfc.abs(tfc.sub(a, b))).dataSync()[0]!)

describe("custom layers serialize with the model", () => {
  const cases: [string, () => tf.LayersModel, number[]][] = [
    ["InstanceNormalization", () => tf.sequential({ layers: [new InstanceNormalization({ inputShape: [4, 4, 3] })] }), [2, 4, 4, 3]],
    ["MinibatchStandardDeviation", () => tf.sequential({ layers: [new MinibatchStandardDeviation({ inputShape: [4, 4, 3] })] }), [3, 4, 4, 3]],
    ["MinibatchDiscrimination", () => tf.sequential({ layers: [new MinibatchDiscrimination({ inputShape: [6], numKernels: 4, kernelDim: 2, seed: 5 })] }), [3, 6]],
    ["SpectralDense", () => tf.sequential({ layers: [new SpectralDense({ inputShape: [6], units: 5, seed: 2 })] }), [3, 6]],
    ["SpectralConv2D", () => tf.sequential({ layers: [new SpectralConv2D({ inputShape: [8, 8, 2], filters: 3, kernelSize: 4, strides: 2, seed: 2 })] }), [2, 8, 8, 2]],
    ["NearestUpsampling2D", () => tf.sequential({ layers: [new NearestUpsampling2D({ inputShape: [3, 4, 2], scale: 3 })] }), [2, 3, 4, 2]],
  ]
  for (const [name, build, inputShape] of cases) {
    it(`${name}: loadLayersModel(fromMemory(save(model))) gives the same layer and outputs`, async () => {
      const model = build()
      const restored = await roundTrip(model)
      expect(restored.layers[0]!.getClassName()).toBe(name)
      expect(restored.layers[0]!.getConfig()).toEqual(model.layers[0]!.getConfig())
      const x = tfc.randomNormal(inputShape, 0, 1, "float32", 9)
      const [a, b] = [model.predict(x) as tfc.Tensor, restored.predict(x) as tfc.Tensor]
      expect(b.shape).toEqual(a.shape)
      expect(maxAbsDiff(a, b)).toBe(0)
      tfc.dispose([x, a, b])
      model.dispose()
      restored.dispose()
    })
  }
})

describe("custom layer maths", () => {
  it("NearestUpsampling2D: each pixel copied to its block; the gradient of every sample of the batch is its block sums", () => {
    // tfjs-backend-cpu's ResizeNearestNeighborGrad (what upSampling2d's gradient runs here) is right for sample 0 only
    const layer = new NearestUpsampling2D({ scale: 2 })
    const [forward, gradient] = tfc.tidy(() => {
      const x = tfc.randomNormal([3, 2, 3, 4], 0, 1, "float32", 1)
      const dy = tfc.randomNormal([3, 4, 6, 4], 0, 1, "float32", 2)
      const copied = tfc.reshape(tfc.tile(tfc.reshape(x, [3, 2, 1, 3, 1, 4]), [1, 1, 2, 1, 2, 1]), [3, 4, 6, 4])
      const blockSums = tfc.sum(tfc.reshape(dy, [3, 2, 2, 3, 2, 4]), [2, 4])
      const g = tfc.grad((a: tfc.Tensor) => tfc.sum(tfc.mul(layer.apply(a) as tfc.Tensor, dy)))(x)
      return [maxAbsDiff(layer.apply(x) as tfc.Tensor, copied), maxAbsDiff(g, blockSums)]
    })
    expect(forward).toBe(0)
    expect(gradient).toBeLessThan(1e-5)
  })

  it("InstanceNormalization: each sample and channel has mean 0 and variance ~1", () => {
    const layer = new InstanceNormalization()
    const stats = tfc.tidy(() => {
      const x = tfc.add(tfc.mul(tfc.randomNormal([2, 5, 5, 3], 0, 1, "float32", 1), tfc.tensor1d([1, 4, 9])), 3)
      const y = layer.apply(x) as tfc.Tensor
      const { mean, variance } = tfc.moments(y, [1, 2])
      return { mean: Array.from(mean.dataSync()), variance: Array.from(variance.dataSync()) }
    })
    for (const m of stats.mean) expect(Math.abs(m)).toBeLessThan(1e-5)
    for (const v of stats.variance) expect(v).toBeCloseTo(1, 3)
  })

  it("MinibatchStandardDeviation appends the batch std averaged over features", () => {
    const layer = new MinibatchStandardDeviation()
    const out = tfc.tidy(() => (layer.apply(tfc.tensor2d([[0, 2], [2, 6]])) as tfc.Tensor).arraySync()) as number[][]
    // per-feature population std: 1 and 2 -> mean 1.5
    expect(out[0]![2]).toBeCloseTo(1.5, 5)
    expect(out[1]).toEqual([2, 6, expect.closeTo(1.5, 5)])
  })

  it("MinibatchDiscrimination: identical samples get closeness N-1 per kernel, far-apart ones 0", () => {
    const model = tf.sequential({ layers: [new MinibatchDiscrimination({ inputShape: [3], numKernels: 2, kernelDim: 2, seed: 1 })] })
    const same = tfc.tidy(() => (model.predict(tfc.ones([3, 3])) as tfc.Tensor).arraySync()) as number[][]
    expect(same[0]!.slice(3)).toEqual([expect.closeTo(2, 5), expect.closeTo(2, 5)])
    const far = tfc.tidy(() => (model.predict(tfc.tensor2d([[1e4, 0, 0], [0, -1e4, 0]])) as tfc.Tensor).arraySync()) as number[][]
    expect(far[0]!.slice(3)).toEqual([expect.closeTo(0, 5), expect.closeTo(0, 5)])
    model.dispose()
  })

  it("SpectralDense: after power iterations in training the kernel's largest singular value is ~1", () => {
    const layer = new SpectralDense({ units: 4, seed: 3 })
    const x = tfc.randomNormal([2, 6], 0, 1, "float32", 2)
    for (let i = 0; i < 30; i++) tfc.dispose(layer.apply(x, { training: true }) as tfc.Tensor)
    const before = tfc.memory().numTensors
    const sigma = tfc.tidy(() => {
      // largest singular value of the effective kernel W/sigma by many power iterations on W^T W
      // identity @ W_sn + bias (zero) is the effective 6x4 kernel
      const effective = (layer as unknown as { call: (x: tfc.Tensor, k: object) => tfc.Tensor }).call(tfc.eye(6), {}) as tfc.Tensor2D
      let v = tfc.ones([4, 1]) as tfc.Tensor2D
      for (let i = 0; i < 100; i++) v = tfc.div(tfc.matMul(effective, tfc.matMul(effective, v), true), tfc.norm(tfc.matMul(effective, tfc.matMul(effective, v), true))) as tfc.Tensor2D
      return tfc.norm(tfc.matMul(effective, v)).dataSync()[0]!
    })
    expect(sigma).toBeCloseTo(1, 3)
    expect(tfc.memory().numTensors).toBe(before)
    x.dispose()
    layer.dispose()
  })
})
