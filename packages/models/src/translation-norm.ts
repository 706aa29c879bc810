import * as tf from "@tensorflow/tfjs-layers"
import { batchNormalization } from "./layers/batch-normalization.ts"
import { InstanceNormalization } from "./layers/instance-normalization.ts"
import { gammaNormal, type LayerSeeds } from "./seeded-initializers.ts"

/**
 * The normalization of pix2pix/CycleGAN's networks (pytorch-CycleGAN-and-pix2pix `--norm`): `"batch"` =
 * BatchNorm2d (affine, PyTorch momentum 0.1, eps 1e-5; convolutions before it have no bias), `"instance"` =
 * InstanceNorm2d without affine parameters or running statistics (convolutions keep their bias).
 */
export type TranslationNorm = "batch" | "instance"

/** Whether a convolution followed by `norm` has a bias (the reference's `use_bias = norm is InstanceNorm2d`). */
export const convBiasBefore = (norm: TranslationNorm): boolean => norm === "instance"

/** A new normalization layer of kind `norm`; batch norm's γ is drawn N(1, 0.02) as the reference's init_weights. */
export const translationNormLayer = (norm: TranslationNorm, seeds: LayerSeeds, name: string): tf.layers.Layer =>
  norm === "batch"
    ? batchNormalization({ momentum: 0.9, epsilon: 1e-5, gammaInitializer: gammaNormal(seeds), name })
    : new InstanceNormalization({ affine: false, epsilon: 1e-5, name })
