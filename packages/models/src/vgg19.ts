import * as tf from "@tensorflow/tfjs-layers"
import { fileSystemModelLoader } from "./file-system-model-io.ts"
import { featureMapNetwork, type FeatureMapNetwork } from "./feature-map-network.ts"
import { layerSeeds } from "./seeded-initializers.ts"

/** VGG19's convolution blocks: filters and convolutions per block (Simonyan & Zisserman 2015, configuration E). */
const VGG19_BLOCKS: ReadonlyArray<readonly [filters: number, convs: number]> = [[64, 2], [128, 2], [256, 4], [512, 4], [512, 4]]

/** The 16 convolution layer names of Keras' `applications.VGG19`, e.g. `block5_conv4` (SRGAN's φ5,4). */
export const vgg19ConvLayerNames: readonly string[] = VGG19_BLOCKS.flatMap(([, convs], b) => Array.from({ length: convs }, (_, c) => `block${b + 1}_conv${c + 1}`))

/**
 * VGG19's convolutional part as Keras' `applications.VGG19(include_top=False)` builds it — same layer names
 * (`block1_conv1` … `block5_conv4`, `block1_pool` … `block5_pool`), 3x3 convs with ReLU inside the layer, 2x2 max pools —
 * randomly initialised (seeded). A converted ImageNet VGG19 has exactly these layers; this one lets the folder loader be
 * tested without downloading weights. 20,024,384 trainable parameters.
 */
export const vgg19Features = (options: { /** Square input side; default any size. */ readonly inputSize?: number; readonly seed?: number } = {}): tf.LayersModel => {
  const size = options.inputSize ?? null
  const seeds = layerSeeds(options.seed ?? 0)
  const model = tf.sequential({ name: "vgg19" })
  model.add(tf.layers.inputLayer({ inputShape: [size, size, 3], name: "input_1" }))
  VGG19_BLOCKS.forEach(([filters, convs], b) => {
    for (let c = 0; c < convs; c++) {
      model.add(tf.layers.conv2d({ filters, kernelSize: 3, padding: "same", activation: "relu", name: `block${b + 1}_conv${c + 1}`, kernelInitializer: tf.initializers.glorotUniform({ seed: seeds.next() }) }))
    }
    model.add(tf.layers.maxPooling2d({ poolSize: 2, strides: 2, name: `block${b + 1}_pool` }))
  })
  return model
}

/**
 * Opens a converted VGG19 folder (a TensorFlow.js layers model: `model.json` + weight shards) as a
 * {@link FeatureMapNetwork} of layer `layer` (default `block5_conv4`), named `vgg19/<layer>`.
 *
 * Conversion (on a machine with the weights; see README "Super-resolution"): in Python with TensorFlow,
 * `tf.keras.applications.VGG19(include_top=False, weights="imagenet", input_shape=(None, None, 3)).save("vgg19.h5")`, then
 * `tensorflowjs_converter --input_format keras vgg19.h5 vgg19-tfjs/`. Keras' weights expect "caffe" preprocessing
 * (the default here); a torchvision VGG19 converted with the same layer names takes `preprocessing: "torch"`.
 *
 * Rejects with an Error naming the folder when it cannot be read, or when a VGG19 convolution is missing or has the
 * wrong kernel shape (so a different network is not silently used as "vgg19").
 */
export const loadVgg19FeatureNetwork = async (
  folder: string,
  options: { readonly layer?: string; readonly preprocessing?: "caffe" | "torch" } = {},
): Promise<FeatureMapNetwork> => {
  let model: tf.LayersModel
  try {
    model = await tf.loadLayersModel(fileSystemModelLoader(folder))
  } catch (e) {
    throw new Error(`${folder}: not a readable TensorFlow.js layers model folder (model.json + weights): ${(e as Error).message}`)
  }
  let inChannels = 3
  for (const [b, [filters, convs]] of VGG19_BLOCKS.entries()) {
    for (let c = 0; c < convs; c++) {
      const name = `block${b + 1}_conv${c + 1}`
      const layer = model.layers.find((l) => l.name === name)
      const kernel = layer?.getWeights()[0]?.shape
      const want = [3, 3, inChannels, filters]
      if (kernel === undefined || kernel.join() !== want.join()) {
        model.dispose()
        throw new Error(`${folder}: not a VGG19: layer '${name}' ${kernel === undefined ? "is missing" : `has kernel [${kernel.join(", ")}], expected [${want.join(", ")}]`}`)
      }
      inChannels = filters
    }
  }
  return featureMapNetwork(model, "vgg19", options.layer ?? "block5_conv4", options.preprocessing ?? "caffe")
}
