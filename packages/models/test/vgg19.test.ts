import "@tensorflow/tfjs-backend-cpu"
import * as tfc from "@tensorflow/tfjs-core"
import * as tf from "@tensorflow/tfjs-layers"
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { beforeAll, describe, expect, it } from "vitest"
import { countTrainableParameters, fileSystemModelSaver, loadVgg19FeatureNetwork, vgg19ConvLayerNames, vgg19Features } from "../src/index.ts"

beforeAll(async () => {
  await tfc.setBackend("cpu")
})

describe("VGG19 folder loader (tested on a randomly initialised VGG19 with Keras' layer names)", () => {
  it("loads a saved folder as vgg19/<layer> feature maps equal to the model's own, with caffe preprocessing", async () => {
    const vgg = vgg19Features({ seed: 3 })
    expect(vgg19ConvLayerNames).toEqual([
      "block1_conv1", "block1_conv2", "block2_conv1", "block2_conv2", "block3_conv1", "block3_conv2", "block3_conv3", "block3_conv4",
      "block4_conv1", "block4_conv2", "block4_conv3", "block4_conv4", "block5_conv1", "block5_conv2", "block5_conv3", "block5_conv4",
    ])
    // Keras' VGG19(include_top=False): 20,024,384 parameters
    expect(countTrainableParameters(vgg)).toBe(20_024_384)
    const dir = join(mkdtempSync(join(tmpdir(), "ganflow-vgg19-")), "vgg19-tfjs")
    await vgg.save(fileSystemModelSaver(dir))
    const net = await loadVgg19FeatureNetwork(dir, { layer: "block2_conv2" })
    expect(net.name).toBe("vgg19/block2_conv2")
    const images = tfc.randomUniform([2, 32, 32, 3], -1, 1, "float32", 5) as tfc.Tensor4D
    const before = tfc.memory().numTensors
    const ours = net.maps(images)
    expect(tfc.memory().numTensors).toBe(before + 1)
    const expected = tfc.tidy(() => {
      // by hand: [-1, 1] -> 0..255, RGB -> BGR, minus the ImageNet BGR mean; then the original model up to block2_conv2
      const caffe = tfc.sub(tfc.reverse(tfc.mul(tfc.add(images, 1), 127.5), -1), tfc.tensor1d([103.939, 116.779, 123.68]))
      const upTo = tf.model({ inputs: vgg.inputs, outputs: vgg.getLayer("block2_conv2").output as tf.SymbolicTensor })
      return upTo.predict(caffe) as tfc.Tensor
    })
    expect(ours.shape).toEqual([2, 16, 16, 128])
    expect(tfc.max(tfc.abs(tfc.sub(ours, expected))).dataSync()[0]).toBeLessThan(1e-3)
    // the content loss needs gradients through the frozen network into the images
    const g = tfc.grad((x: tfc.Tensor) => tfc.mean(net.maps(x as tfc.Tensor4D)))(images)
    expect(tfc.max(tfc.abs(g)).dataSync()[0]).toBeGreaterThan(0)
    tfc.dispose([images, ours, expected, g])
    net.dispose()
    vgg.dispose()
  }, 60_000)

  it("refuses a folder that is not a VGG19, naming the folder and the layer", async () => {
    const notVgg = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [8, 8, 3], filters: 32, kernelSize: 3, name: "block1_conv1" })] })
    const dir = join(mkdtempSync(join(tmpdir(), "ganflow-notvgg-")), "model")
    await notVgg.save(fileSystemModelSaver(dir))
    await expect(loadVgg19FeatureNetwork(dir)).rejects.toThrow(`${dir}: not a VGG19: layer 'block1_conv1' has kernel [3, 3, 3, 32], expected [3, 3, 3, 64]`)
    await expect(loadVgg19FeatureNetwork(join(dir, "missing"))).rejects.toThrow(/not a readable TensorFlow.js layers model folder/)
    notVgg.dispose()
  })
})
