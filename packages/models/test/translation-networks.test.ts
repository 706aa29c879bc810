import "@tensorflow/tfjs-backend-cpu"
import "@tensorflow/tfjs-core/dist/register_all_gradients"
import * as tfc from "@tensorflow/tfjs-core"
import type * as tf from "@tensorflow/tfjs-layers"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import { concatChannels, countTrainableParameters, patchGanDiscriminator, ReflectionPadding2D, resnetGenerator, setDropoutDraw, SpatialPadding2D, unetGenerator } from "../src/index.ts"

/** Counts written by test/fixtures/translation_networks_reference.py (PyTorch, pytorch-CycleGAN-and-pix2pix's networks). */
interface Reference {
  readonly parameters: number
  readonly parameterTensors: number
  readonly layers: Readonly<Record<"conv" | "transposedConv" | "batchNorm" | "instanceNorm" | "dropout" | "reflectionPad", number>>
  readonly outputShape: readonly number[]
}
const reference = JSON.parse(readFileSync(join(import.meta.dirname, "fixtures", "translation_networks.expected.json"), "utf8")) as Record<string, Reference>

/** The same tallies for a tfjs model, PyTorch's module classes mapped to ours. */
const describeModel = (model: tf.LayersModel) => {
  const classes = model.layers.map((l) => l.getClassName())
  const count = (name: string) => classes.filter((c) => c === name).length
  const out = model.outputs[0]!.shape
  return {
    parameters: countTrainableParameters(model),
    parameterTensors: model.trainableWeights.length,
    layers: {
      conv: count("Conv2D"), transposedConv: count("Conv2DTranspose"), batchNorm: count("BatchNormalization"),
      instanceNorm: count("InstanceNormalization"), dropout: count("TestTimeDropout"), reflectionPad: count("ReflectionPadding2D"),
    },
    // PyTorch's NCHW as NHWC
    outputShape: [1, out[3], out[1], out[2]],
  }
}

beforeAll(async () => {
  await tfc.setBackend("cpu")
})

describe("layer and parameter counts at 256x256 equal pytorch-CycleGAN-and-pix2pix's", () => {
  const cases: Array<[string, () => tf.LayersModel, number]> = [
    ["unet256-batch", () => unetGenerator({ norm: "batch" }), 54_413_955],
    ["unet256-instance", () => unetGenerator({ norm: "instance" }), 54_409_603],
    ["resnet9-instance", () => resnetGenerator({ blocks: 9 }), 11_378_179],
    ["resnet6-instance", () => resnetGenerator({ blocks: 6 }), 7_837_699],
    ["patchgan70-pix2pix-batch", () => patchGanDiscriminator({ inputChannels: 6, norm: "batch" }), 2_768_705],
    ["patchgan70-pix2pix-instance", () => patchGanDiscriminator({ inputChannels: 6, norm: "instance" }), 2_767_809],
    ["patchgan70-cyclegan-instance", () => patchGanDiscriminator({ inputChannels: 3, norm: "instance" }), 2_764_737],
  ]
  for (const [name, build, parameters] of cases) {
    it(`${name}: ${parameters.toLocaleString("en")} parameters`, () => {
      const before = tfc.memory().numTensors
      const model = build()
      const ours = describeModel(model)
      model.dispose()
      expect(ours.parameters).toBe(parameters)
      expect(ours).toEqual(reference[name])
      expect(tfc.memory().numTensors).toBe(before)
    })
  }
})

describe("the networks at CPU sizes", () => {
  it("U-Net 64 px: skips, tanh range, dropout kept at inference and seeded by draw", () => {
    const g = unetGenerator({ size: 64, ngf: 8, norm: "instance" })
    expect(g.layers.filter((l) => l.getClassName() === "TestTimeDropout")).toHaveLength(1) // downs 6 -> 6 - 5
    const before = tfc.memory().numTensors
    const x = tfc.randomUniform([2, 64, 64, 3], -1, 1, "float32", 3)
    const run = (draw: number) => {
      setDropoutDraw(g, draw)
      return tfc.tidy(() => (g.predict(x) as tfc.Tensor).dataSync().slice())
    }
    const [a, b, c] = [run(1), run(1), run(2)]
    expect(Math.max(...a.map(Math.abs))).toBeLessThanOrEqual(1)
    expect(Array.from(a)).toEqual(Array.from(b)) // same draw, same masks
    expect(Array.from(a)).not.toEqual(Array.from(c)) // dropout is on at inference: another draw, another output
    x.dispose()
    expect(tfc.memory().numTensors).toBe(before)
    g.dispose()
  })

  it("ResNet generator 32 px keeps the size; PatchGAN 64 px gives 6x6 patch logits; same seed, same weights", () => {
    const g = resnetGenerator({ size: 32, ngf: 8, blocks: 2 })
    const d = patchGanDiscriminator({ size: 64, ndf: 8, inputChannels: 6, norm: "instance", seed: 5 })
    const d2 = patchGanDiscriminator({ size: 64, ndf: 8, inputChannels: 6, norm: "instance", seed: 5 })
    const before = tfc.memory().numTensors
    const shapes = tfc.tidy(() => ({
      g: (g.predict(tfc.zeros([1, 32, 32, 3])) as tfc.Tensor).shape,
      d: (d.predict(tfc.zeros([2, 64, 64, 6])) as tfc.Tensor).shape,
    }))
    expect(shapes).toEqual({ g: [1, 32, 32, 3], d: [2, 6, 6, 1] })
    expect(tfc.memory().numTensors).toBe(before)
    expect(Array.from(d.getWeights()[0]!.dataSync())).toEqual(Array.from(d2.getWeights()[0]!.dataSync()))
    for (const m of [g, d, d2]) m.dispose()
  })

  it("reflection padding mirrors without repeating the edge (PyTorch's ReflectionPad2d(1))", () => {
    const pad = new ReflectionPadding2D({ padding: 1 })
    const out = tfc.tidy(() => tfc.reshape(pad.apply(tfc.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1])) as tfc.Tensor, [5, 5]).arraySync())
    // torch.nn.ReflectionPad2d(1)(torch.arange(1., 10.).view(1, 1, 3, 3))
    expect(out).toEqual([[5, 4, 5, 6, 5], [2, 1, 2, 3, 2], [5, 4, 5, 6, 5], [8, 7, 8, 9, 8], [5, 4, 5, 6, 5]])
  })
})

describe("host-side gradients of the padding and skip layers", () => {
  /** Gradient of sum(w · f(x)) for a fixed random w, as plain numbers. */
  const gradOf = (f: (x: tfc.Tensor) => tfc.Tensor, x: tfc.Tensor) =>
    tfc.tidy(() => {
      const w = tfc.randomUniform(f(x).shape, -1, 1, "float32", 9)
      return Array.from(tfc.grad((t: tfc.Tensor) => tfc.sum(tfc.mul(f(t), w)))(x).dataSync())
    })
  const close = (a: number[], b: number[]) => expect(Math.max(...a.map((v, i) => Math.abs(v - b[i]!)))).toBeLessThan(1e-5)

  /** Reflection padding by gathers, whose gradient (a segment sum) tfjs computes exactly. */
  const reflectByGather = (t: tfc.Tensor, p: number) => {
    const index = (n: number) => Array.from({ length: n + 2 * p }, (_, u) => (u < p ? p - u : u - p < n ? u - p : 2 * (n - 1) - (u - p)))
    return tfc.gather(tfc.gather(t, index(t.shape[1]!), 1), index(t.shape[2]!), 2)
  }

  it("equal the exact gradients of reflection padding, zero padding and concat, without leaking tensors", () => {
    const x = tfc.randomUniform([2, 5, 4, 3], -1, 1, "float32", 4)
    const y = tfc.randomUniform([2, 5, 4, 2], -1, 1, "float32", 5)
    const before = tfc.memory().numTensors
    const pads: Array<[number, number]> = [[0, 0], [2, 2], [2, 2], [0, 0]]
    close(gradOf((t) => new ReflectionPadding2D({ padding: 2 }).apply(t) as tfc.Tensor, x), gradOf((t) => reflectByGather(t, 2), x))
    // tfjs' own MirrorPad gradient only crops dy, dropping what the mirrored borders received
    expect(Math.max(...gradOf((t) => tfc.mirrorPad(t as tfc.Tensor4D, pads, "reflect"), x).map((v, i) => Math.abs(v - gradOf((t) => reflectByGather(t, 2), x)[i]!)))).toBeGreaterThan(0.1)
    close(gradOf((t) => new SpatialPadding2D({ padding: 2, mode: "zero" }).apply(t) as tfc.Tensor, x), gradOf((t) => tfc.pad(t, pads), x))
    close(gradOf((t) => concatChannels(t, y), x), gradOf((t) => tfc.concat([t, y], -1), x))
    close(gradOf((t) => concatChannels(y, t), x), gradOf((t) => tfc.concat([y, t], -1), x))
    expect(tfc.memory().numTensors).toBe(before)
    tfc.dispose([x, y])
  })

  it("off the host path (a GPU backend) reflection padding goes through gathers, with the same values and gradient", async () => {
    const x = tfc.randomUniform([1, 4, 5, 2], -1, 1, "float32", 6)
    const layer = new ReflectionPadding2D({ padding: 1 })
    const host = { value: Array.from((layer.apply(x) as tfc.Tensor).dataSync()), grad: gradOf((t) => layer.apply(t) as tfc.Tensor, x) }
    // what a GPU backend would run: register the cpu kernels under another backend name that is not a host one
    tfc.registerBackend("gpu-like", () => new (tfc.findBackendFactory("cpu")!() as any).constructor())
    for (const k of tfc.getKernelsForBackend("cpu")) tfc.registerKernel({ ...k, backendName: "gpu-like" })
    await tfc.setBackend("gpu-like")
    try {
      const y = tfc.tensor(x.dataSync(), x.shape)
      expect(Array.from((layer.apply(y) as tfc.Tensor).dataSync())).toEqual(host.value)
      close(gradOf((t) => layer.apply(t) as tfc.Tensor, y), host.grad)
    } finally {
      await tfc.setBackend("cpu")
      tfc.removeBackend("gpu-like")
    }
    x.dispose()
  })
})
