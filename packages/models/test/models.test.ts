import "@tensorflow/tfjs-backend-cpu"
import * as tfc from "@tensorflow/tfjs-core"
import { beforeAll, describe, expect, it } from "vitest"
import {
  buildGan,
  conditionalDcgan,
  conditionalGan,
  countNonTrainableParameters,
  countTrainableParameters,
  dcgan,
  gan3d,
  type GanModels,
  kerasMnistGan,
  vanillaGan,
  wganCritic,
} from "../src/index.ts"

beforeAll(async () => {
  await tfc.setBackend("cpu")
})

/** Runs G on a batch of latents and D on G's output; returns the shapes and disposes everything. */
const shapesOf = (models: GanModels, batch: number) => {
  const before = tfc.memory().numTensors
  const shapes = tfc.tidy(() => {
    const z = tfc.randomNormal([batch, models.latentDim], 0, 1, "float32", 1)
    const labels = tfc.tensor2d(Array.from({ length: batch }, (_, i) => i % (models.numClasses ?? 1)), [batch, 1])
    const conditional = models.numClasses !== undefined
    const image = models.generator.predict(conditional ? [z, labels] : z) as tfc.Tensor
    const dIn = conditional && !models.auxiliaryClassifier ? [image, labels] : image
    const out = models.discriminator.predict(dIn) as tfc.Tensor | tfc.Tensor[]
    return { image: image.shape, d: Array.isArray(out) ? out.map((t) => t.shape) : [out.shape] }
  })
  expect(tfc.memory().numTensors).toBe(before)
  return shapes
}

const dispose = (m: GanModels) => {
  m.generator.dispose()
  m.discriminator.dispose()
}

describe("vanilla GAN (the seeds' MLP)", () => {
  it("maps 100 -> 28x28x1 and 28x28x1 -> 1 logit with the table's parameter counts", () => {
    const m = vanillaGan()
    expect(shapesOf(m, 3)).toEqual({ image: [3, 28, 28, 1], d: [[3, 1]] })
    // G: 100*500+500, 500*500+500, 500*784+784
    expect(countTrainableParameters(m.generator)).toBe(100 * 500 + 500 + (500 * 500 + 500) + (500 * 784 + 784))
    expect(countTrainableParameters(m.generator)).toBe(693_784)
    // D: 784*500+500, 500*500+500, 500*1+1
    expect(countTrainableParameters(m.discriminator)).toBe(784 * 500 + 500 + (500 * 500 + 500) + 501)
    dispose(m)
  })

  it("same seed gives the same weights, another seed different ones", () => {
    const [a, b, c] = [vanillaGan({ seed: 3 }), vanillaGan({ seed: 3 }), vanillaGan({ seed: 4 })]
    const first = (m: GanModels) => Array.from(m.generator.getWeights()[0]!.dataSync().slice(0, 8))
    expect(first(a)).toEqual(first(b))
    expect(first(a)).not.toEqual(first(c))
    for (const m of [a, b, c]) dispose(m)
  })

  it("with minibatch discrimination, D gains the kernels as features", () => {
    const m = vanillaGan({ hidden: 32, minibatchDiscrimination: { numKernels: 5, kernelDim: 3 } })
    expect(shapesOf(m, 4).d).toEqual([[4, 1]])
    expect(countTrainableParameters(m.discriminator)).toBe(784 * 32 + 32 + (32 * 32 + 32) + 32 * 15 + (37 + 1))
    dispose(m)
  })
})

describe("Keras-GAN MNIST MLP", () => {
  it("matches Keras' summary: G 1,493,520 total params, D 533,505", () => {
    const m = kerasMnistGan()
    expect(shapesOf(m, 2)).toEqual({ image: [2, 28, 28, 1], d: [[2, 1]] })
    const g = 100 * 256 + 256 + 2 * 256 + (256 * 512 + 512) + 2 * 512 + (512 * 1024 + 1024) + 2 * 1024 + (1024 * 784 + 784)
    expect(countTrainableParameters(m.generator)).toBe(g)
    // Keras' "Total params" also counts BN's moving mean and variance (non-trainable)
    expect(g + countNonTrainableParameters(m.generator)).toBe(1_493_520)
    expect(countNonTrainableParameters(m.generator)).toBe(2 * (256 + 512 + 1024))
    expect(countTrainableParameters(m.discriminator)).toBe(784 * 512 + 512 + (512 * 256 + 256) + 257)
    expect(countTrainableParameters(m.discriminator)).toBe(533_505)
    dispose(m)
  })
})

describe("DCGAN", () => {
  it("64x64, ngf = ndf = 64: pytorch/examples' counts G 3,576,704 and D 2,765,568", () => {
    const m = dcgan({ resolution: 64, ngf: 64 })
    // G: convT(100->512) + BN(512) + convT(512->256) + BN + convT(256->128) + BN + convT(128->64) + BN + convT(64->3); no biases
    const g = 100 * 512 * 16 + 2 * 512 + 512 * 256 * 16 + 2 * 256 + 256 * 128 * 16 + 2 * 128 + 128 * 64 * 16 + 2 * 64 + 64 * 3 * 16
    expect(g).toBe(3_576_704)
    expect(countTrainableParameters(m.generator)).toBe(g)
    // D: conv(3->64) + conv(64->128) + BN + conv(128->256) + BN + conv(256->512) + BN + conv(512->1)
    const d = 3 * 64 * 16 + 64 * 128 * 16 + 2 * 128 + 128 * 256 * 16 + 2 * 256 + 256 * 512 * 16 + 2 * 512 + 512 * 16
    expect(d).toBe(2_765_568)
    expect(countTrainableParameters(m.discriminator)).toBe(d)
    dispose(m)
  })

  it("produces 64x64x3, 32x32x3 and 28x28x1 images and one logit each", () => {
    for (const [resolution, channels] of [[64, 3], [32, 3], [28, 1]] as const) {
      const m = dcgan({ resolution, ngf: 8 })
      expect(shapesOf(m, 2)).toEqual({ image: [2, resolution, resolution, channels], d: [[2, 1]] })
      dispose(m)
    }
  })

  it("32x32 ngf=16 parameter count follows the table", () => {
    const m = dcgan({ resolution: 32, ngf: 16 })
    expect(countTrainableParameters(m.generator)).toBe(100 * 64 * 16 + 128 + 64 * 32 * 16 + 64 + 32 * 16 * 16 + 32 + 16 * 3 * 16)
    expect(countTrainableParameters(m.discriminator)).toBe(3 * 16 * 16 + 16 * 32 * 16 + 64 + 32 * 64 * 16 + 128 + 64 * 16)
    dispose(m)
  })

  it("initialises convs N(0, 0.02) and BN gamma N(1, 0.02)", () => {
    const m = dcgan({ resolution: 64, ngf: 32 })
    const [kernel, gamma] = m.generator.getWeights()
    const stats = (t: tfc.Tensor) => {
      const v = Array.from(t.dataSync())
      const mean = v.reduce((a, b) => a + b, 0) / v.length
      const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length)
      return { mean, sd }
    }
    expect(stats(kernel!).mean).toBeCloseTo(0, 3)
    expect(stats(kernel!).sd).toBeGreaterThan(0.018) // truncation-free N(0, 0.02)
    expect(stats(kernel!).sd).toBeLessThan(0.022)
    expect(stats(gamma!).mean).toBeCloseTo(1, 2)
    dispose(m)
  })

  it("D options: instance norm, spectral norm and minibatch stddev keep the shapes", () => {
    const m = dcgan({ resolution: 32, ngf: 8, discriminatorNorm: "instance", spectralNorm: true, minibatchStdDev: true })
    expect(shapesOf(m, 3).d).toEqual([[3, 1]])
    dispose(m)
  })
})

describe("3D-GAN", () => {
  it("64^3: G 200 -> 64^3x1 in [0, 1], D -> 1 logit; counts follow the seeds' Keras model", () => {
    const m = gan3d({ resolution: 64, width: 4 }) // narrow width keeps the CPU test fast; shapes are the same
    const out = shapesOf(m, 1)
    expect(out).toEqual({ image: [1, 64, 64, 64, 1], d: [[1, 1]] })
    dispose(m)
    const full = gan3d({ resolution: 64 })
    const conv = (cin: number, cout: number) => cin * cout * 64 + cout // 4x4x4 kernel + bias
    const g = conv(200, 512) + 2 * 512 + conv(512, 256) + 2 * 256 + conv(256, 128) + 2 * 128 + conv(128, 64) + 2 * 64 + conv(64, 1)
    expect(countTrainableParameters(full.generator)).toBe(g)
    const d = conv(1, 64) + conv(64, 128) + 2 * 128 + conv(128, 256) + 2 * 256 + conv(256, 512) + 2 * 512 + conv(512, 1)
    expect(countTrainableParameters(full.discriminator)).toBe(d)
    dispose(full)
  })

  it("32^3 CPU variant", () => {
    const m = gan3d({ resolution: 32, width: 4 })
    expect(shapesOf(m, 2)).toEqual({ image: [2, 32, 32, 32, 1], d: [[2, 1]] })
    dispose(m)
  })

  it("minibatchStdDev adds one channel (the batch's spread) before D's last conv, and D sees it", () => {
    const plain = gan3d({ resolution: 32, width: 4 })
    const withStd = gan3d({ resolution: 32, width: 4, minibatchStdDev: true })
    // the last conv reads 4w + 1 channels instead of 4w: 4x4x4 more weights, nothing else
    expect(countTrainableParameters(withStd.discriminator) - countTrainableParameters(plain.discriminator)).toBe(64)
    expect(countTrainableParameters(withStd.generator)).toBe(countTrainableParameters(plain.generator))
    expect(shapesOf(withStd, 3)).toEqual({ image: [3, 32, 32, 32, 1], d: [[3, 1]] })
    // the same shape scored in a batch of identical copies and in a varied batch gets different logits
    const shape = tfc.tidy(() => tfc.randomUniform([1, 32, 32, 32, 1], 0, 1, "float32", 3))
    const logitOfFirst = (batch: tfc.Tensor) =>
      tfc.tidy(() => (withStd.discriminator.apply(batch, { training: false }) as tfc.Tensor).dataSync()[0]!)
    const same = tfc.tidy(() => tfc.concat([shape, shape, shape]))
    const varied = tfc.tidy(() => tfc.concat([shape, tfc.randomUniform([2, 32, 32, 32, 1], 0, 1, "float32", 4)]))
    expect(logitOfFirst(same)).not.toBeCloseTo(logitOfFirst(varied), 6)
    tfc.dispose([shape, same, varied])
    dispose(plain)
    dispose(withStd)
  })

  it("G is trainable: its transposed 3D convs have gradients", () => {
    const m = gan3d({ resolution: 32, width: 2 })
    const before = tfc.memory().numTensors
    const vars = m.generator.trainableWeights.map((w) => w.read() as tfc.Variable)
    const z = tfc.ones([2, 200])
    const { value, grads } = tfc.variableGrads(() => tfc.mean(m.generator.apply(z, { training: true }) as tfc.Tensor) as tfc.Scalar, vars)
    expect(Object.keys(grads).length).toBe(vars.length)
    const firstKernel = grads[vars[0]!.name]!
    expect(tfc.tidy(() => tfc.max(tfc.abs(firstKernel)).dataSync()[0])).toBeGreaterThan(0)
    z.dispose()
    tfc.dispose([value, ...Object.values(grads)])
    expect(tfc.memory().numTensors).toBe(before)
    dispose(m)
  })
})

describe("conditional GAN", () => {
  it("embedding and one-hot labels: G [z, label] -> image, D [image, label] -> logit", () => {
    for (const labelEncoding of ["embedding", "one-hot"] as const) {
      const m = conditionalGan({ labelEncoding, hidden: [32, 64] })
      expect(shapesOf(m, 4)).toEqual({ image: [4, 28, 28, 1], d: [[4, 1]] })
      dispose(m)
    }
  })

  it("the label changes G's output", () => {
    const m = conditionalGan({ hidden: [16] })
    const diff = tfc.tidy(() => {
      const z = tfc.ones([1, 100])
      const a = m.generator.predict([z, tfc.tensor2d([[1]])]) as tfc.Tensor
      const b = m.generator.predict([z, tfc.tensor2d([[7]])]) as tfc.Tensor
      return tfc.max(tfc.abs(tfc.sub(a, b))).dataSync()[0]!
    })
    expect(diff).toBeGreaterThan(1e-4)
    dispose(m)
  })

  it("ACGAN: D sees only the image and has a class head", () => {
    const m = conditionalGan({ auxiliaryClassifier: true, hidden: [32, 64], numClasses: 6 })
    expect(shapesOf(m, 3)).toEqual({ image: [3, 28, 28, 1], d: [[3, 1], [3, 6]] })
    expect(m.discriminator.inputs.length).toBe(1)
    dispose(m)
  })
})

describe("conditional DCGAN (face aging)", () => {
  it("matches DCGAN plus the label: parameter counts by hand, G [z, age] -> 64x64x3, D [image, age] -> logit", () => {
    const m = conditionalDcgan()
    // G: DCGAN-64's 3,576,704 + the first transposed conv's 50 extra input channels (50*4*4*512) + embedding 6*50
    expect(countTrainableParameters(m.generator)).toBe(3_576_704 + 50 * 16 * 512 + 6 * 50)
    // D: DCGAN-64's 2,765,568 + the second conv's 50 extra input channels (50*4*4*128) + embedding 6*50
    expect(countTrainableParameters(m.discriminator)).toBe(2_765_568 + 50 * 16 * 128 + 6 * 50)
    dispose(m)
    const small = conditionalDcgan({ ngf: 8, labelEncoding: "one-hot" })
    expect(shapesOf(small, 3)).toEqual({ image: [3, 64, 64, 3], d: [[3, 1]] })
    dispose(small)
  })

  it("the age label changes G's output, 32 px and the ACGAN head work", () => {
    const m = conditionalDcgan({ ngf: 8, resolution: 32 })
    const diff = tfc.tidy(() => {
      const z = tfc.ones([1, 100])
      const a = m.generator.predict([z, tfc.tensor2d([[0]])]) as tfc.Tensor
      const b = m.generator.predict([z, tfc.tensor2d([[5]])]) as tfc.Tensor
      return tfc.max(tfc.abs(tfc.sub(a, b))).dataSync()[0]!
    })
    expect(diff).toBeGreaterThan(1e-5)
    expect(shapesOf(m, 2)).toEqual({ image: [2, 32, 32, 3], d: [[2, 1]] })
    dispose(m)
    const ac = conditionalDcgan({ ngf: 8, resolution: 32, auxiliaryClassifier: true })
    expect(shapesOf(ac, 2)).toEqual({ image: [2, 32, 32, 3], d: [[2, 1], [2, 6]] })
    expect(ac.discriminator.inputs.length).toBe(1)
    dispose(ac)
  })
})

describe("WGAN critic", () => {
  it("has no batch norm and no sigmoid; layer-norm option", () => {
    for (const normalization of ["none", "layer"] as const) {
      const critic = wganCritic({ imageShape: [32, 32, 3], ndf: 8, normalization })
      const classes = critic.layers.map((l) => l.getClassName())
      expect(classes).not.toContain("BatchNormalization")
      expect(classes.includes("LayerNormalization")).toBe(normalization === "layer")
      // unbounded score: the last weighted layer is linear and nothing squashes it afterwards
      const weighted = critic.layers.filter((l) => l.weights.length > 0)
      expect(weighted.at(-1)!.getConfig()["activation"]).toBe("linear")
      expect(classes.filter((c) => c === "Activation")).toEqual([])
      expect(critic.outputs[0]!.shape).toEqual([null, 1])
      critic.dispose()
    }
  })

  it("buildGan swaps D for a critic", () => {
    const m = buildGan({ architecture: "vanilla", options: { hidden: 16 }, critic: "wgan-layer-norm" }, 1)
    expect(m.discriminator.name).toBe("wgan_critic")
    expect(shapesOf(m, 2).d).toEqual([[2, 1]])
    dispose(m)
  })
})
