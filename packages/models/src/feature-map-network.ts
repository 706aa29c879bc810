import * as tfc from "@tensorflow/tfjs-core"
import * as tf from "@tensorflow/tfjs-layers"

/** How a feature network wants its input, from images in [-1, 1]. */
export type FeatureInputPreprocessing =
  /** Keras' VGG19 (`preprocess_input`, "caffe"): 0..255, RGB -> BGR, minus the ImageNet mean [103.939, 116.779, 123.68]. */
  | "caffe"
  /** torchvision: 0..1, minus mean [0.485, 0.456, 0.406], over std [0.229, 0.224, 0.225], RGB. */
  | "torch"
  /** The network was trained on [-1, 1] images (our own feature networks). */
  | "tanh"

/**
 * A named, frozen network whose intermediate feature maps a content (perceptual) loss compares, e.g. `vgg19/block5_conv4`
 * (SRGAN's φ5,4) or `face-cnn/conv3` (a network trained as a pipeline stage). The name goes into loss and metric keys.
 * `maps` is differentiable with respect to its input (gradients flow into the generator; the network's weights are
 * not trained). The owner disposes it (`dispose` frees the wrapped model).
 */
export interface FeatureMapNetwork {
  readonly name: string
  /** Images `[B, H, W, 3]` in [-1, 1] -> feature maps `[B, h, w, c]` of the named layer. */
  readonly maps: (images: tfc.Tensor4D) => tfc.Tensor4D
  readonly dispose: () => void
}

const toNetworkInput = (images: tfc.Tensor4D, preprocessing: FeatureInputPreprocessing): tfc.Tensor4D => {
  if (preprocessing === "tanh") return images
  if (preprocessing === "caffe") {
    const bgr = tfc.reverse(tfc.mul(tfc.add(images, 1), 127.5), -1)
    return tfc.sub(bgr, tfc.tensor1d([103.939, 116.779, 123.68])) as tfc.Tensor4D
  }
  const unit = tfc.div(tfc.add(images, 1), 2)
  return tfc.div(tfc.sub(unit, tfc.tensor1d([0.485, 0.456, 0.406])), tfc.tensor1d([0.229, 0.224, 0.225])) as tfc.Tensor4D
}

/**
 * Wraps `model`'s layer `layerName` as a {@link FeatureMapNetwork} named `${networkName}/${layerName}`; the weights are
 * frozen. Takes ownership of `model`. Throws an Error listing the layers when `layerName` is absent.
 */
export const featureMapNetwork = (model: tf.LayersModel, networkName: string, layerName: string, preprocessing: FeatureInputPreprocessing): FeatureMapNetwork => {
  const layer = model.layers.find((l) => l.name === layerName)
  if (layer === undefined) throw new Error(`feature network ${networkName}: no layer '${layerName}' (layers: ${model.layers.map((l) => l.name).join(", ")})`)
  model.trainable = false
  const truncated = tf.model({ inputs: model.inputs, outputs: layer.output as tf.SymbolicTensor })
  return {
    name: `${networkName}/${layerName}`,
    maps: (images) => tfc.tidy(() => truncated.apply(toNetworkInput(images, preprocessing), { training: false }) as tfc.Tensor4D),
    dispose: () => model.dispose(),
  }
}
