/**
 * The two towers of the joint image–text embedding the `text-encoder` stage trains (after Reed et al. 2016's
 * structured joint embedding, with a word-level CNN in place of the char-CNN-RNN): a text encoder φ mapping a
 * caption's word ids to a `dim`-vector, and a small image encoder θ mapping an image to the same space. Seeded
 * Glorot initialisation: the same seed gives the same untrained networks.
 */
import * as tf from "@tensorflow/tfjs-core"
import * as tfl from "@tensorflow/tfjs-layers"
import { layerSeeds } from "@ganflow/models"

/** Sizes of the text encoder. */
export interface TextEncoderOptions {
  readonly vocabularySize: number
  /** Word ids per caption. */
  readonly maxLength: number
  /** Word-vector width. */
  readonly wordDim: number
  /** Convolution filters (each sees 3 consecutive words, so "blue hair, red eyes" differs from "red hair, blue eyes"). */
  readonly filters: number
  /** Embedding size D. */
  readonly dim: number
  readonly seed: number
}

/**
 * Word-CNN text encoder: one-hot word ids [L, V] -> word vectors (a bias-free dense layer, i.e. an embedding table;
 * one-hot rather than a gather because the gather's gradient is ~40x slower on the CPU backends) -> conv (width 3)
 * -> max over positions -> dense -> φ(t) [D]. Feed it {@link oneHotWords} of the token ids.
 */
export const buildTextEncoder = (o: TextEncoderOptions): tfl.LayersModel => {
  const seeds = layerSeeds(o.seed)
  const glorot = () => tfl.initializers.glorotUniform({ seed: seeds.next() })
  const words = tfl.input({ shape: [o.maxLength, o.vocabularySize], name: "one_hot_words" })
  let x = tfl.layers.dense({ units: o.wordDim, useBias: false, kernelInitializer: tfl.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: seeds.next() }), name: "word_vectors" }).apply(words) // L x wordDim
  x = tfl.layers.conv1d({ filters: o.filters, kernelSize: 3, padding: "same", activation: "relu", kernelInitializer: glorot() }).apply(x) //                                                  L x filters
  x = tfl.layers.globalMaxPooling1d({}).apply(x) //                                                                                                                                        filters
  const phi = tfl.layers.dense({ units: o.dim, kernelInitializer: glorot(), name: "phi" }).apply(x) //                                                                                   D
  return tfl.model({ inputs: words, outputs: phi as tfl.SymbolicTensor, name: "text_encoder" })
}

/** The text encoder's input for token ids [B, L] (int32): one-hot [B, L, V] float32, V read from the model. */
export const oneHotWords = (textEncoder: tfl.LayersModel, ids: tf.Tensor2D): tf.Tensor3D =>
  tf.tidy(() => tf.cast(tf.oneHot(tf.cast(ids, "int32"), textEncoder.inputs[0]!.shape[2] as number), "float32") as tf.Tensor3D)

/** Small image encoder for the joint embedding: [S, S, 3] in [-1, 1] -> three stride-2 convs -> dense -> [D]. */
export const buildJointImageEncoder = (o: { readonly imageSize: number; readonly dim: number; readonly width: number; readonly seed: number }): tfl.LayersModel => {
  const seeds = layerSeeds(o.seed ^ 0x1a9e)
  const glorot = () => tfl.initializers.glorotUniform({ seed: seeds.next() })
  const image = tfl.input({ shape: [o.imageSize, o.imageSize, 3], name: "image" })
  let x = tfl.layers.conv2d({ filters: o.width, kernelSize: 3, strides: 2, padding: "same", activation: "relu", kernelInitializer: glorot() }).apply(image) // S/2
  x = tfl.layers.conv2d({ filters: o.width * 2, kernelSize: 3, strides: 2, padding: "same", activation: "relu", kernelInitializer: glorot() }).apply(x) //  S/4
  x = tfl.layers.conv2d({ filters: o.width * 4, kernelSize: 3, strides: 2, padding: "same", activation: "relu", kernelInitializer: glorot() }).apply(x) //  S/8
  x = tfl.layers.flatten().apply(x) //                                                                                                                    (S/8)^2 · 4w
  const out = tfl.layers.dense({ units: o.dim, kernelInitializer: glorot(), name: "theta" }).apply(x) //                                                 D
  return tfl.model({ inputs: image, outputs: out as tfl.SymbolicTensor, name: "joint_image_encoder" })
}
