/**
 * Recipe `srgan`: SRGAN's adversarial stage (Ledig et al. 2017, §2.2): the generator starts from a trained SRResNet and
 * learns the perceptual loss
 *
 *   l_SR = l_content(φ) + 10⁻³ · l_adversarial,   l_adversarial = BCE(D(G(x_LR)), 1) (the non-saturating form)
 *          [+ pixelWeight · MSE(G(x_LR), x_HR)]   (not in the paper: ESRGAN-style anchor, off by default)
 *
 * where l_content is the MSE between feature maps of a fixed, named network φ (`loss-terms/perceptual-loss.ts`; the term
 * is logged as `generator/content@<network>`, e.g. `content@vgg19/block5_conv4`), while the discriminator learns
 * BCE(D(x_HR), 1) + BCE(D(G(x_LR)), 0). Data fields as `srresnet`. Adam (1e-4, β 0.9/0.999) for both.
 *
 * What the config cannot carry — the SRResNet weights and the feature network, read from the stage's inputs — arrives
 * as {@link SrganResources}: the training stage loads them in its `prepare`, and `create` receives them.
 */
import { type FeatureMapNetwork, srgan } from "@ganflow/models"
import * as tf from "@tensorflow/tfjs-core"
import type * as tfl from "@tensorflow/tfjs-layers"
import { type } from "arktype"
import { TrainingDataInvalid } from "../errors.ts"
import { adversarialLosses } from "../loss-terms/adversarial-losses.ts"
import { contentLoss } from "../loss-terms/perceptual-loss.ts"
import { defineRecipe, definePhase, type RecipeInstance } from "../recipe.ts"
import { adam } from "../training-optimizer.ts"
import { checkSuperResolutionData, describeSuperResolution, pixelMeanSquaredError, SrresnetConfig } from "./srresnet.ts"

/** The config of recipe `srgan`: `srresnet`'s plus the loss weights. */
export const SrganConfig = SrresnetConfig.merge({
  /** Weight of the adversarial term (the paper: 10⁻³). */
  adversarialWeight: "number >= 0 = 0.001",
  /**
   * Weight of a pixel-MSE term in G's loss (`generator/pixel-mse`), as ESRGAN adds (an L1 there): keeps the short CPU
   * fine-tuning close to the SRResNet's reconstruction. The paper's SRGAN has none: 0 (the default) leaves it out.
   */
  pixelWeight: "number >= 0 = 0",
  /** Scale of the content MSE (the paper's VGG maps: 1/12.75² ≈ 0.00615; 1 for a network trained here). */
  contentScale: "number > 0 = 1",
  /** Layer of the content network whose maps are compared; '' = its default (vgg19: block5_conv4, the face CNN: conv2). */
  contentLayer: "string = ''",
  /** A converted VGG19 folder (relative to the workspace root) for the paper's content loss; '' = the stage's `content` network. */
  vgg19Dir: "string = ''",
})
/** {@link SrganConfig} with defaults filled. */
export type SrganConfig = typeof SrganConfig.infer

/** The networks of `srgan`. */
export type SrganNetworks = { readonly generator: tfl.LayersModel; readonly discriminator: tfl.LayersModel }

/** What `srgan` needs besides its config; `create` owns them from then on (the instance's state frees them). */
export interface SrganResources {
  /** The pre-trained SRResNet's weights, in `generator.weights` order. */
  readonly initialGenerator: readonly tf.Tensor[]
  /** φ of the content loss, frozen. */
  readonly content: FeatureMapNetwork
}

/** SRGAN's two phases around already built networks and resources. */
export const srganInstance = (config: SrganConfig, seed: number, resources: SrganResources): RecipeInstance<SrganNetworks> => {
  const models = srgan({ ...config.model, seed })
  const weights = models.generator.weights
  if (resources.initialGenerator.length !== weights.length || resources.initialGenerator.some((t, i) => t.shape.join() !== weights[i]!.shape.join())) {
    models.generator.dispose()
    models.discriminator.dispose()
    throw new TrainingDataInvalid({ reason: `the SRResNet checkpoint does not fit model ${JSON.stringify(config.model)} (${resources.initialGenerator.length} tensors for ${weights.length} weights)` })
  }
  models.generator.setWeights([...resources.initialGenerator])
  tf.dispose([...resources.initialGenerator])
  const bce = adversarialLosses.bce
  const phase = definePhase<SrganNetworks>()
  const settings = adam({ learningRate: config.learningRate, ...config.adam })
  return {
    networks: { generator: models.generator, discriminator: models.discriminator },
    optimizers: { generator: settings, discriminator: settings },
    phases: [
      phase({
        name: "discriminator",
        learns: ["discriminator"],
        draw: ({ batch, networks }) => ({
          real: batch.targets!,
          fake: networks.generator.apply(batch.images!, { training: true }) as tf.Tensor, // detached: drawn outside the tape
        }),
        forward: (d, nets) => ({
          r: nets.discriminator.apply(d.real, { training: true }) as tf.Tensor,
          f: nets.discriminator.apply(d.fake, { training: true }) as tf.Tensor,
        }),
        terms: [{ name: "adversarial", weight: 1, loss: (s) => bce.discriminator(s.r, s.f, { realLabel: 1 }) }],
      }),
      phase({
        name: "generator",
        learns: ["generator"],
        draw: ({ batch }) => ({ lowResolution: batch.images!, highResolution: batch.targets! }),
        forward: (d, nets) => {
          const reconstructed = nets.generator.apply(d.lowResolution, { training: true }) as tf.Tensor4D
          return { reconstructed, f: nets.discriminator.apply(reconstructed, { training: true }) as tf.Tensor }
        },
        terms: [
          { name: `content@${resources.content.name}`, weight: 1, loss: (s) => contentLoss(resources.content, s.reconstructed, s.highResolution as tf.Tensor4D, config.contentScale) },
          { name: "adversarial", weight: config.adversarialWeight, loss: (s) => bce.generator(s.f) },
          ...(config.pixelWeight > 0 ? [{ name: "pixel-mse", weight: config.pixelWeight, loss: (s: { reconstructed: tf.Tensor; highResolution: tf.Tensor }) => pixelMeanSquaredError(s.reconstructed, s.highResolution) }] : []),
        ],
      }),
    ],
    state: { groups: () => ({}), counters: () => ({}), restoreCounters: () => undefined, dispose: () => resources.content.dispose() },
    descriptions: { generator: () => ({ ...describeSuperResolution(models, "srgan"), content: resources.content.name }) },
    checkData: (data) => checkSuperResolutionData(models, data),
  }
}

/** SRGAN's adversarial fine-tuning as a recipe; its stage loads the resources (the SRResNet weights, the content network). */
export const srganRecipe = defineRecipe({
  name: "srgan",
  create: (config: SrganConfig, seed: number, resources: SrganResources) => srganInstance(config, seed, resources),
})
