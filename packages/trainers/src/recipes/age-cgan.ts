/**
 * Recipe `age-cgan`: Age-cGAN (Antipov et al. 2017) — a conditional generator G(z, y) and discriminator D(x, y) on six
 * age groups, and the encoder E trained to invert G on its own samples.
 *
 * Phase `discriminator`: draws z ~ N(0, I), ages y_z uniform over the groups, G(z, y_z) detached; minimises
 *   adversarial: BCE(D(x, y), 1) + BCE(D(G(z, y_z), y_z), 0)           (x, y: the real batch's faces and groups)
 *   auxiliary-class (only with `model.discriminator: "auxiliary-classifier"`, ACGAN-style; D then sees images alone
 *     and C is its age head): w·CE(C(x), y) — on real faces only: with ACGAN's second term CE(C(G(z, y_z)), y_z) D and
 *     G agree on an invisible code (measured: G's class loss 0.22 while its six ages looked identical)
 * Phase `generator`: minimises
 *   adversarial: BCE(D(G(z, y_z), y_z), 1)                              (non-saturating)
 *   auxiliary-class (ACGAN form only): w·CE(C(G(z, y_z)), y_z)
 * Phase `encoder` (the paper's §3.2 "latent vector approximation", trained alongside rather than after): draws z, y_z
 *   and G(z, y_z) detached; minimises
 *   latent-reconstruction: 1/B Σ ‖z − E(G(z, y_z))‖²₂                  (`loss-terms/latent-reconstruction-loss.ts`)
 * Data fields: `images` `[B, S, S, 3]` in [-1, 1] and `labels` `[B]` age groups 0..5. Adam (2e-4, β1 0.5) for G and D
 * as the book, Adam (1e-4 by default) for E. The sample grid draws one row per age group from fixed latents.
 */
import { ageCgan, AgeCganOptions, type AgeCganModels } from "@ganflow/models"
import * as tf from "@tensorflow/tfjs-core"
import type * as tfl from "@tensorflow/tfjs-layers"
import { type } from "arktype"
import { TrainingDataInvalid } from "../errors.ts"
import { describeGanModels } from "../generator-description.ts"
import { sampleLabels, sampleLatents } from "../latent-sampler.ts"
import { adversarialLosses, classCrossEntropy } from "../loss-terms/adversarial-losses.ts"
import { latentReconstructionLoss } from "../loss-terms/latent-reconstruction-loss.ts"
import { defineRecipe, definePhase, type LossTerm, type RecipeInstance } from "../recipe.ts"
import { TrainingRunSettings } from "../train-recipe.ts"
import { adam } from "../training-optimizer.ts"

/** The config of recipe `age-cgan`. */
export const AgeCganConfig = TrainingRunSettings.merge({
  model: AgeCganOptions.default(() => ({})),
  /** Adam learning rate of G and D (the book: 2e-4, β1 0.5). */
  learningRate: "number > 0 = 0.0002",
  /** Adam learning rate of the encoder. */
  encoderLearningRate: "number > 0 = 0.0001",
  adam: type({ "+": "reject", beta1: "number = 0.5", beta2: "number = 0.999", epsilon: "number = 0.00000001" }).default(() => ({})),
  /** Weight w of the age-classification terms when `model.discriminator` is `"auxiliary-classifier"` (ACGAN). */
  auxiliaryClassWeight: "number >= 0 = 1",
  /** Target for real samples in D's loss (< 1: one-sided label smoothing). */
  realLabel: "0 < number <= 1 = 1",
  /** EMA decay of G's weights for sampling (0: none). */
  generatorEma: "0 <= number < 1 = 0",
})
/** {@link AgeCganConfig} with defaults filled. */
export type AgeCganConfig = typeof AgeCganConfig.infer

/** The networks of `age-cgan`. */
export type AgeCganNetworks = { readonly generator: tfl.LayersModel; readonly discriminator: tfl.LayersModel; readonly encoder: tfl.LayersModel }

const AGE_GROUPS = 6

/** Age-cGAN's phases around already built networks. */
export const ageCganInstance = (config: AgeCganConfig, models: AgeCganModels): RecipeInstance<AgeCganNetworks> => {
  const bce = adversarialLosses.bce
  const { latentDim } = models
  const phase = definePhase<AgeCganNetworks>()
  const draw = (random: Parameters<typeof sampleLatents>[0], batch: number) => {
    const z = sampleLatents(random, batch, latentDim)
    return { z, ages: sampleLabels(random, batch, AGE_GROUPS) }
  }
  const generate = (nets: AgeCganNetworks, z: tf.Tensor, ages: tf.Tensor) => nets.generator.apply([z, ages], { training: true }) as tf.Tensor
  const auxiliary = models.auxiliaryClassifier === true
  /** D's real/fake logits and, in the ACGAN form, its age logits (that D does not see the age). */
  const judge = (nets: AgeCganNetworks, images: tf.Tensor, ages: tf.Tensor): { logits: tf.Tensor; ageLogits?: tf.Tensor } => {
    if (!auxiliary) return { logits: nets.discriminator.apply([images, ages], { training: true }) as tf.Tensor }
    const [logits, ageLogits] = nets.discriminator.apply(images, { training: true }) as tf.Tensor[]
    return { logits: logits!, ageLogits: ageLogits! }
  }
  const gan = adam({ learningRate: config.learningRate, ...config.adam })
  return {
    networks: { generator: models.generator, discriminator: models.discriminator, encoder: models.encoder },
    optimizers: { generator: gan, discriminator: gan, encoder: adam({ learningRate: config.encoderLearningRate, ...config.adam }) },
    phases: [
      phase({
        name: "discriminator",
        learns: ["discriminator"],
        draw: ({ batch, batchSize, random, networks }) => {
          const { z, ages } = draw(random, batchSize)
          const fake = generate(networks, z, ages) // detached: drawn outside the tape
          return { real: batch.images!, realAges: tf.cast(tf.reshape(batch.labels!, [-1, 1]), "float32"), fake, ages, z }
        },
        forward: (d, nets) => ({ r: judge(nets, d.real, d.realAges), f: judge(nets, d.fake, d.ages) }),
        terms: [
          { name: "adversarial", weight: 1, loss: (s) => bce.discriminator(s.r.logits, s.f.logits, { realLabel: config.realLabel }) },
          ...(auxiliary
            ? [{ name: "auxiliary-class", weight: config.auxiliaryClassWeight, loss: (s) => classCrossEntropy(s.r.ageLogits!, s.realAges) } satisfies LossTerm<any>]
            : []),
        ],
      }),
      phase({
        name: "generator",
        learns: ["generator"],
        draw: ({ batchSize, random }) => draw(random, batchSize),
        forward: (d, nets) => ({ f: judge(nets, generate(nets, d.z, d.ages), d.ages) }),
        terms: [
          { name: "adversarial", weight: 1, loss: (s) => bce.generator(s.f.logits) },
          ...(auxiliary ? [{ name: "auxiliary-class", weight: config.auxiliaryClassWeight, loss: (s) => classCrossEntropy(s.f.ageLogits!, s.ages) } satisfies LossTerm<any>] : []),
        ],
      }),
      phase({
        name: "encoder",
        learns: ["encoder"],
        draw: ({ batchSize, random, networks }) => {
          const { z, ages } = draw(random, batchSize)
          return { z, ages, fake: networks.generator.apply([z, ages], { training: false }) as tf.Tensor } // detached
        },
        forward: (d, nets) => ({ reconstructed: nets.encoder.apply(d.fake, { training: true }) as tf.Tensor2D }),
        terms: [{ name: "latent-reconstruction", weight: 1, loss: (s) => latentReconstructionLoss(s.z as tf.Tensor2D, s.reconstructed) }],
      }),
    ],
    ...(config.generatorEma > 0 ? { ema: { generator: config.generatorEma } } : {}),
    descriptions: {
      generator: () => ({ ...describeGanModels(models, "age-cgan"), ageGroups: ["0-18", "19-29", "30-39", "40-49", "50-59", "60+"] }),
      encoder: () => ({ architecture: "age-cgan-encoder", inputShape: [...models.imageShape], inputRange: "tanh", latentDim }),
    },
    sampler: {
      outputRange: "tanh",
      // one column per age group: row r repeats latent r across the six groups
      draw: (random, count) => {
        const rows = Math.max(1, Math.floor(count / AGE_GROUPS))
        const z = sampleLatents(random, rows, latentDim)
        const drawn = tf.tidy(() => ({
          z: tf.reshape(tf.tile(tf.expandDims(z, 1), [1, AGE_GROUPS, 1]), [rows * AGE_GROUPS, latentDim]),
          ages: tf.tensor2d(Array.from({ length: rows * AGE_GROUPS }, (_, i) => i % AGE_GROUPS), [rows * AGE_GROUPS, 1]),
        }))
        z.dispose()
        return drawn
      },
      generate: (nets, d) => nets.generator.predict([d.z!, d.ages!]) as tf.Tensor,
    },
    checkData: (data) => {
      if (!data.images || !data.labels) throw new TrainingDataInvalid({ reason: "age-cgan needs fields images and labels (age groups 0..5)" })
      const shape = data.images.shape.slice(1)
      if (shape.join() !== models.imageShape.join()) throw new TrainingDataInvalid({ reason: `images are [${shape}] but the generator makes [${models.imageShape}]` })
    },
  }
}

/** Age-cGAN as a recipe: builds the three networks of `config.model` from `seed`. */
export const ageCganRecipe = defineRecipe({
  name: "age-cgan",
  create: (config: AgeCganConfig, seed: number) => ageCganInstance(config, ageCgan({ ...config.model, seed })),
})
