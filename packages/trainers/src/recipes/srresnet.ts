/**
 * Recipe `srresnet`: SRGAN's first stage (Ledig et al. 2017, §3.2 "SRResNet"): the super-resolution ResNet trained
 * alone on the pixel-wise MSE between its ×scale reconstruction and the high-resolution image,
 *
 *   l_MSE = 1/(B·H·W·C) · Σ (G(x_LR) − x_HR)²
 *
 * Data fields: `images` — low-resolution inputs `[B, h, w, 3]`, `targets` — high-resolution images
 * `[B, h·scale, w·scale, 3]`, both in [-1, 1]. Adam (lr 1e-4, β 0.9/0.999, the paper's). The generator it exports is
 * the starting point of recipe `srgan`.
 */
import { srgan, SrganOptions, type SrganModels } from "@ganflow/models"
import * as tf from "@tensorflow/tfjs-core"
import type * as tfl from "@tensorflow/tfjs-layers"
import { type } from "arktype"
import { TrainingDataInvalid } from "../errors.ts"
import { defineRecipe, definePhase, type RecipeInstance } from "../recipe.ts"
import { TrainingRunSettings } from "../train-recipe.ts"
import { adam } from "../training-optimizer.ts"

/** The config of recipe `srresnet` (and the generator half of `srgan`). */
export const SrresnetConfig = TrainingRunSettings.merge({
  /** The networks (SRGAN's options; the discriminator's are used by `srgan` only). */
  model: SrganOptions.default(() => ({})),
  /** Adam learning rate (the paper: 1e-4). */
  learningRate: "number > 0 = 0.0001",
  adam: type({ "+": "reject", beta1: "number = 0.9", beta2: "number = 0.999", epsilon: "number = 0.00000001" }).default(() => ({})),
})
/** {@link SrresnetConfig} with defaults filled. */
export type SrresnetConfig = typeof SrresnetConfig.infer

/** The network of `srresnet`. */
export type SrresnetNetworks = { readonly generator: tfl.LayersModel }

/** Pixel-wise MSE between the reconstruction and the high-resolution image (the formula in the module comment). */
export const pixelMeanSquaredError = (reconstructed: tf.Tensor, target: tf.Tensor): tf.Scalar =>
  tf.tidy(() => tf.mean(tf.squaredDifference(reconstructed, target)) as tf.Scalar)

/** What a consumer needs to run an exported SR generator (its `gan.json`). */
export const describeSuperResolution = (models: SrganModels, architecture: "srresnet" | "srgan") => ({
  architecture,
  task: "super-resolution",
  scale: models.scale,
  /** Inputs are low-resolution images in [-1, 1] of any size; outputs are `scale` times larger, linear (clip to [-1, 1]). */
  inputRange: "tanh",
  outputRange: "tanh",
  highResolutionShape: [...models.hrShape],
})

/** Checks the `images`/`targets` fields fit a ×scale generator. */
export const checkSuperResolutionData = (models: SrganModels, data: Readonly<Record<string, tf.Tensor>>): void => {
  const lr = data.images
  const hr = data.targets
  if (!lr || !hr) throw new TrainingDataInvalid({ reason: "super-resolution needs fields images (low resolution) and targets (high resolution)" })
  const [, h, w] = lr.shape
  const [, H, W] = hr.shape
  if (H !== h! * models.scale || W !== w! * models.scale) throw new TrainingDataInvalid({ reason: `targets are ${H}x${W}, not ${models.scale}x the ${h}x${w} images` })
}

/** SRResNet's phase around an already built generator. */
export const srresnetInstance = (config: SrresnetConfig, models: SrganModels): RecipeInstance<SrresnetNetworks> => {
  const phase = definePhase<SrresnetNetworks>()
  return {
    networks: { generator: models.generator },
    optimizers: { generator: adam({ learningRate: config.learningRate, ...config.adam }) },
    phases: [
      phase({
        name: "generator",
        learns: ["generator"],
        draw: ({ batch }) => ({ lowResolution: batch.images!, highResolution: batch.targets! }),
        forward: (d, nets) => ({ reconstructed: nets.generator.apply(d.lowResolution, { training: true }) as tf.Tensor }),
        terms: [{ name: "mse", weight: 1, loss: (s) => pixelMeanSquaredError(s.reconstructed, s.highResolution) }],
      }),
    ],
    descriptions: { generator: () => describeSuperResolution(models, "srresnet") },
    checkData: (data) => checkSuperResolutionData(models, data),
  }
}

/** SRResNet pre-training as a recipe: builds `config.model`'s generator from `seed` (the discriminator is dropped). */
export const srresnetRecipe = defineRecipe({
  name: "srresnet",
  create: (config: SrresnetConfig, seed: number) => {
    const models = srgan({ ...config.model, seed })
    models.discriminator.dispose()
    return srresnetInstance(config, models)
  },
})
