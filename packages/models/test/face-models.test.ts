import "@tensorflow/tfjs-backend-cpu"
import * as tfc from "@tensorflow/tfjs-core"
import * as tf from "@tensorflow/tfjs-layers"
import { beforeAll, describe, expect, it } from "vitest"
import { ageCgan, countTrainableParameters, PixelShuffle, srgan } from "../src/index.ts"

beforeAll(async () => {
  await tfc.setBackend("cpu")
})

describe("SRGAN (Ledig et al. 2017)", () => {
  it("has the paper's parameter counts at 96x96, x4 (PyTorch reference: scripts/srgan_reference_counts.py)", () => {
    const m = srgan()
    // torch 1.13: SRResNet 1,550,659; discriminator at 96x96 23,565,505
    expect(countTrainableParameters(m.generator)).toBe(1_550_659)
    expect(countTrainableParameters(m.discriminator)).toBe(23_565_505)
    // by hand: head 9*9*3*64+64 + PReLU 64; 16 blocks of 2*(3*3*64*64+64) + 2*BN(128) + PReLU 64; trunk conv+BN;
    // two x2 blocks 3*3*64*256+256 + PReLU 64; tail 9*9*64*3+3
    const block = 2 * (9 * 64 * 64 + 64) + 2 * 128 + 64
    expect(1_550_659).toBe(9 * 9 * 3 * 64 + 64 + 64 + 16 * block + 9 * 64 * 64 + 64 + 128 + 2 * (9 * 64 * 256 + 256 + 64) + 9 * 9 * 64 * 3 + 3)
    m.generator.dispose()
    m.discriminator.dispose()
  })

  it("small configs match PyTorch too, map 16x16 -> 64x64 and D -> one logit without leaking tensors", () => {
    const m = srgan({ residualBlocks: 4, filters: 16, ndf: 16, hrSize: 64 })
    expect(countTrainableParameters(m.generator)).toBe(47_635)
    expect(countTrainableParameters(m.discriminator)).toBe(2_393_649)
    const before = tfc.memory().numTensors
    const shapes = tfc.tidy(() => {
      const lr = tfc.randomUniform([2, 16, 16, 3], -1, 1, "float32", 1)
      const sr = m.generator.predict(lr) as tfc.Tensor
      const odd = m.generator.predict(tfc.zeros([1, 5, 7, 3])) as tfc.Tensor
      return [sr.shape, (m.discriminator.predict(sr) as tfc.Tensor).shape, odd.shape]
    })
    expect(shapes).toEqual([[2, 64, 64, 3], [2, 1], [1, 20, 28, 3]])
    expect(tfc.memory().numTensors).toBe(before)
    m.generator.dispose()
    m.discriminator.dispose()
  })

  it("starts its sub-pixel convs with ICNR (every 2x2 sub-pixel group alike: no checkerboard) and a small output conv", () => {
    const m = srgan({ residualBlocks: 1, filters: 4, ndf: 8, hrSize: 16, seed: 3 })
    const convs = m.generator.layers.filter((l) => l.getClassName() === "Conv2D")
    const [head, , , trunk, up1, up2, tail] = convs.map((l) => l.getWeights()[0]!)
    for (const up of [up1!, up2!]) {
      expect(up.shape).toEqual([3, 3, 4, 16])
      const k = up.arraySync() as number[][][][]
      // output channel c·4 + (i·2 + j) is sub-pixel (i, j) of channel c (PyTorch's order)
      for (const row of k.flat(2)) for (let c = 0; c < 4; c++) expect(row.slice(c * 4, c * 4 + 4)).toEqual(Array(4).fill(row[c * 4]))
      expect(new Set(k.flat(3)).size).toBeGreaterThan(3 * 3 * 4 * 4 - 1) // 4 different kernels per position
    }
    // so the untrained generator's output is smooth at the 2x2 sub-pixel level after the first shuffle, and small
    const std = (t: tfc.Tensor) => tfc.tidy(() => Math.sqrt(tfc.moments(t).variance.dataSync()[0]!))
    expect(std(tail!) * 10).toBeCloseTo(Math.sqrt(2 / (9 * 9 * 4)) * 0.88, 1) // He-normal (truncated: std ×0.88) times 0.1
    expect(std(trunk!)).toBeGreaterThan(0.1)
    expect(head!.shape).toEqual([9, 9, 3, 4])
    const out = tfc.tidy(() => m.generator.predict(tfc.randomUniform([4, 8, 8, 3], -1, 1, "float32", 2)) as tfc.Tensor)
    expect(std(out)).toBeLessThan(0.5)
    out.dispose()
    m.generator.dispose()
    m.discriminator.dispose()
  })

  it("rejects an hrSize the discriminator cannot take", () => {
    expect(() => srgan({ hrSize: 40 })).toThrow(/multiple of 16/)
  })
})

describe("PixelShuffle", () => {
  it("orders channels like torch.nn.PixelShuffle and has a gradient", () => {
    // NCHW torch: in[0, c*4 + i*2 + j, h, w] -> out[0, c, 2h+i, 2w+j]. One pixel, 8 channels -> 2x2x2.
    const layer = new PixelShuffle({ scale: 2 })
    const x = tfc.tensor4d([0, 1, 2, 3, 4, 5, 6, 7], [1, 1, 1, 8])
    const y = layer.apply(x) as tfc.Tensor
    expect(y.shape).toEqual([1, 2, 2, 2])
    // out[0, i, j, c] = c*4 + i*2 + j
    expect(Array.from(y.dataSync())).toEqual([0, 4, 1, 5, 2, 6, 3, 7])
    const g = tfc.grad((t: tfc.Tensor) => tfc.sum(tfc.mul(layer.apply(t) as tfc.Tensor, tfc.reshape(tfc.range(0, 8), [1, 2, 2, 2]))))(x)
    expect(Array.from(g.dataSync())).toEqual([0, 2, 4, 6, 1, 3, 5, 7])
    tfc.dispose([x, y, g])
  })

  it("round-trips through the serialization registry", () => {
    const model = tf.sequential({ layers: [new PixelShuffle({ scale: 3, inputShape: [2, 2, 9] })] })
    const config = model.getConfig()
    const back = tf.models.modelFromJSON({ modelTopology: { class_name: "Sequential", config } } as never)
    return back.then((m) => {
      expect(m.outputs[0]!.shape).toEqual([null, 6, 6, 1])
      m.dispose()
      model.dispose()
    })
  })
})

describe("Age-cGAN (Antipov et al. 2017)", () => {
  it("G [z, age 0..5] -> 64x64x3, D [image, age] -> logit, E image -> z with the book's counts", () => {
    const m = ageCgan({ ngf: 8, nef: 8, encoderDenseUnits: 32 })
    expect(m.numClasses).toBe(6)
    expect(m.latentDim).toBe(100)
    const before = tfc.memory().numTensors
    const shapes = tfc.tidy(() => {
      const z = tfc.randomNormal([6, 100], 0, 1, "float32", 2)
      const age = tfc.tensor2d([0, 1, 2, 3, 4, 5], [6, 1])
      const img = m.generator.predict([z, age]) as tfc.Tensor
      return [img.shape, (m.discriminator.predict([img, age]) as tfc.Tensor).shape, (m.encoder.predict(img) as tfc.Tensor).shape]
    })
    expect(shapes).toEqual([[6, 64, 64, 3], [6, 1], [6, 100]])
    expect(tfc.memory().numTensors).toBe(before)
    for (const net of [m.generator, m.discriminator, m.encoder]) net.dispose()
    const full = ageCgan()
    // E: convs 5*5*3*32+32, 5*5*32*64+64+BN, 5*5*64*128+128+BN, 5*5*128*256+256+BN; dense 4096*4096+4096+BN; 4096*100+100
    const convs = 5 * 5 * 3 * 32 + 32 + (5 * 5 * 32 * 64 + 64 + 128) + (5 * 5 * 64 * 128 + 128 + 256) + (5 * 5 * 128 * 256 + 256 + 512)
    expect(countTrainableParameters(full.encoder)).toBe(convs + 4096 * 4096 + 4096 + 8192 + 4096 * 100 + 100)
    expect(countTrainableParameters(full.encoder)).toBe(18_278_180)
    // G: DCGAN-64 (3,576,704) + 6 one-hot input channels of the first transposed conv (6*4*4*512); the one-hot table is frozen
    expect(countTrainableParameters(full.generator)).toBe(3_576_704 + 6 * 16 * 512)
    for (const net of [full.generator, full.discriminator, full.encoder]) net.dispose()
  })
  it("in the ACGAN form D takes the image alone and returns [logit, 6 age logits]; G and E are unchanged", () => {
    const m = ageCgan({ resolution: 32, ngf: 4, nef: 4, encoderDenseUnits: 8, discriminator: "auxiliary-classifier" })
    const plain = ageCgan({ resolution: 32, ngf: 4, nef: 4, encoderDenseUnits: 8 })
    expect(m.auxiliaryClassifier).toBe(true)
    expect(m.discriminator.inputs.length).toBe(1)
    const before = tfc.memory().numTensors
    const shapes = tfc.tidy(() => {
      const img = m.generator.predict([tfc.randomNormal([2, 100], 0, 1, "float32", 3), tfc.tensor2d([0, 5], [2, 1])]) as tfc.Tensor
      return (m.discriminator.predict(img) as tfc.Tensor[]).map((t) => t.shape)
    })
    expect(shapes).toEqual([[2, 1], [2, 6]])
    expect(tfc.memory().numTensors).toBe(before)
    expect(countTrainableParameters(m.generator)).toBe(countTrainableParameters(plain.generator))
    expect(countTrainableParameters(m.encoder)).toBe(countTrainableParameters(plain.encoder))
    for (const net of [m.generator, m.discriminator, m.encoder, plain.generator, plain.discriminator, plain.encoder]) net.dispose()
  })
})

describe("face feature CNN (age classifier, identity embedding, default SR content network)", () => {
  it("has the named layers the stages use and maps 32x32 faces to logits", async () => {
    const { faceFeatureCnn, featureMapNetwork } = await import("../src/index.ts")
    const m = faceFeatureCnn({ size: 32, classes: 6, width: 8, featureSize: 16 })
    expect(m.layers.map((l) => l.name).filter((n) => /^(conv\d|features|logits)$/.test(n))).toEqual(["conv1", "conv2", "conv3", "conv4", "features", "logits"])
    // conv 3*3*3*8+8, 3*3*8*16+16, 3*3*16*32+32, 3*3*32*64+64; features 64*16+16; logits 16*6+6
    expect(countTrainableParameters(m)).toBe(224 + 1168 + 4640 + 18496 + 1040 + 102)
    const net = featureMapNetwork(m, "face-cnn", "conv3", "tanh")
    const maps = tfc.tidy(() => net.maps(tfc.zeros([2, 32, 32, 3]) as tfc.Tensor4D).shape)
    expect(maps).toEqual([2, 8, 8, 32])
    expect(net.name).toBe("face-cnn/conv3")
    expect(() => featureMapNetwork(m, "face-cnn", "conv9", "tanh")).toThrow(/no layer 'conv9'/)
    net.dispose()
  })
})
