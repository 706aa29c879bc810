/**
 * Recipe `gan-cls`: text-to-image GAN-CLS with GAN-INT (Reed et al. 2016) on `@ganflow/models`' textConditionalGan.
 * Data: one row per caption (`recipes/text-to-image-data.ts`): `images`, `embeddings` φ(t), `wrongEmbeddings`.
 *
 * Phase `discriminator` (a fresh batch): draws z and x̂ = G(z, φ(t)) detached; D scores the real image with its text
 * (r), with the mismatched text (m) and the generated image with its text (f); minimises
 *   matching-aware: BCE(r, 1) + w·BCE(m, 0) + (1 − w)·BCE(f, 0)   (w = `mismatchWeight`, 0.5 the paper's; 0 = no CLS)
 * Phase `generator` (the same batch): draws z, z′ and t_β = β·φ(t) + (1 − β)·φ(t′) with t′ another caption of the
 * batch (the batch rolled by one); minimises
 *   adversarial: BCE(D(G(z, φ(t)), φ(t)), 1)
 *   interpolation (GAN-INT, weight `interpolationWeight`; 0 = off): BCE(D(G(z′, t_β), t_β), 1)
 *   feature-matching (weight `featureMatchingWeight`; 0 = off): ‖mean f(x) − mean f(G(z, φ(t)))‖² on D's 4x4 image
 *     features before the text is joined
 */
import { textConditionalGan, TextConditionalGanOptions } from "@ganflow/models"
import * as tf from "@tensorflow/tfjs-core"
import type * as tfl from "@tensorflow/tfjs-layers"
import { type } from "arktype"
import { bceWithLogits } from "../loss-terms/adversarial-losses.ts"
import { featureMatchingLoss } from "../loss-terms/feature-matching-loss.ts"
import { interpolatedTextGeneratorLoss, interpolateEmbeddings, matchingAwareDiscriminatorLoss, rolledEmbeddings } from "../loss-terms/matching-aware-loss.ts"
import { sampleLatents } from "../latent-sampler.ts"
import { definePhase, defineRecipe, type LossTerm, type RecipeInstance } from "../recipe.ts"
import { TrainingRunSettings } from "../train-recipe.ts"
import { checkTextToImageData } from "./text-to-image-data.ts"
import { textToImagePlayerFields, textToImagePlayers } from "./text-to-image-players.ts"

/** The config of {@link ganClsRecipe}: the run settings plus the model and the loss weights. */
export const GanClsConfig = TrainingRunSettings.merge({
  /** The networks (`textConditionalGan` options; the 32 px CPU size is `{ resolution: 32, ngf: 32, ndf: 32 }`). */
  model: TextConditionalGanOptions.default(() => ({})),
  /** w of the matching-aware D loss: weight of the real-image-wrong-text term (the fake term gets 1 − w). */
  mismatchWeight: "0 <= number < 1 = 0.5",
  /** Weight of GAN-INT's term on interpolated embeddings; 0 = GAN-CLS alone. */
  interpolationWeight: "number >= 0 = 1",
  /** β of the interpolation β·t1 + (1 − β)·t2. */
  interpolationBeta: "0 <= number <= 1 = 0.5",
  /** Weight of feature matching on D's 4x4 image features, added to G's loss; 0 = off. */
  featureMatchingWeight: "number >= 0 = 0",
  ...textToImagePlayerFields,
})
/** {@link GanClsConfig} with defaults filled. */
export type GanClsConfig = typeof GanClsConfig.infer

/** The networks of the text-conditional recipes. */
export type TextToImageNetworks = { readonly generator: tfl.LayersModel; readonly discriminator: tfl.LayersModel }

/** The GAN-CLS + GAN-INT phases around freshly built networks. */
export const ganClsInstance = (config: GanClsConfig, seed: number): RecipeInstance<TextToImageNetworks> => {
  const models = textConditionalGan({ ...config.model, seed })
  const networks: TextToImageNetworks = { generator: models.generator, discriminator: models.discriminator }
  const { latentDim, embeddingDim, imageShape } = models
  const generate = (n: TextToImageNetworks, z: tf.Tensor, text: tf.Tensor) => n.generator.apply([z, text], { training: true }) as tf.Tensor
  /** D's outputs: `score` logits `[B, 1]` and the 4x4 image `features`. */
  const judge = (n: TextToImageNetworks, image: tf.Tensor, text: tf.Tensor) => {
    const [score, features] = n.discriminator.apply([image, text], { training: true }) as tf.Tensor[]
    return { score: score!, features: features! }
  }
  const interpolating = config.interpolationWeight > 0
  const matchingFeatures = config.featureMatchingWeight > 0

  const phase = definePhase<TextToImageNetworks>()
  const discriminatorPhase = phase({
    name: "discriminator",
    learns: ["discriminator"],
    draw: ({ batch, batchSize, random, networks: n }) => {
      const z = sampleLatents(random, batchSize, latentDim)
      return { real: batch.images!, text: batch.embeddings!, wrongText: batch.wrongEmbeddings!, z, fake: generate(n, z, batch.embeddings!) }
    },
    forward: (d, n) => ({ r: judge(n, d.real, d.text).score, m: judge(n, d.real, d.wrongText).score, f: judge(n, d.fake, d.text).score }),
    terms: [{ name: "matching-aware", weight: 1, loss: (s) => matchingAwareDiscriminatorLoss(s.r, s.m, s.f, config.mismatchWeight) }],
  })

  const generatorPhase = phase({
    name: "generator",
    learns: ["generator"],
    draw: ({ batch, batchSize, random }) => {
      const text = batch.embeddings! as tf.Tensor2D
      const z = sampleLatents(random, batchSize, latentDim)
      const zInterpolated = interpolating ? sampleLatents(random, batchSize, latentDim) : undefined
      const interpolated = interpolating ? interpolateEmbeddings(text, rolledEmbeddings(text), config.interpolationBeta) : undefined
      return { real: batch.images!, text, z, zInterpolated, interpolated }
    },
    forward: (d, n) => {
      const fake = generate(n, d.z, d.text)
      const f = judge(n, fake, d.text)
      return {
        f: f.score,
        fi: d.interpolated ? judge(n, generate(n, d.zInterpolated!, d.interpolated), d.interpolated).score : undefined,
        // real features do not depend on G: no gradient flows through them
        realFeatures: matchingFeatures ? judge(n, d.real, d.text).features : undefined,
        fakeFeatures: matchingFeatures ? f.features : undefined,
      }
    },
    terms: [
      { name: "adversarial", weight: 1, loss: (s) => bceWithLogits(s.f, 1) },
      ...(interpolating ? [{ name: "interpolation", weight: config.interpolationWeight, loss: (s) => interpolatedTextGeneratorLoss(s.fi!) } satisfies LossTerm<any>] : []),
      ...(matchingFeatures ? [{ name: "feature-matching", weight: config.featureMatchingWeight, loss: (s) => featureMatchingLoss(s.realFeatures!, s.fakeFeatures!) } satisfies LossTerm<any>] : []),
    ],
  })

  return {
    networks,
    ...textToImagePlayers(config),
    phases: [discriminatorPhase, generatorPhase],
    descriptions: { generator: () => describeTextConditionalGenerator("gan-cls", latentDim, embeddingDim, imageShape) },
    checkData: (data) => checkTextToImageData(data, imageShape, embeddingDim, models.generator.name),
  }
}

/**
 * The `gan.json` of a text-conditional generator: `[z (N x latentDim), φ(t) (N x embeddingDim)]` in (plus ε for
 * StackGAN), images `sampleShape` in [-1, 1] out. `conditioning: "text-embedding"` tells consumers that read only
 * the latent contract (FID of unconditional generators) that this one needs text.
 */
export const describeTextConditionalGenerator = (architecture: string, latentDim: number, embeddingDim: number, imageShape: readonly number[], extra: Readonly<Record<string, unknown>> = {}) => ({
  architecture,
  conditioning: "text-embedding",
  latentDim,
  embeddingDim,
  numClasses: null,
  outputRange: "tanh" as const,
  sampleShape: [...imageShape],
  inputs: ["latent", "text_embedding"],
  ...extra,
})

/** GAN-CLS + GAN-INT as a recipe (see the module comment). */
export const ganClsRecipe = defineRecipe({ name: "gan-cls", create: (config: GanClsConfig, seed: number) => ganClsInstance(config, seed) })
