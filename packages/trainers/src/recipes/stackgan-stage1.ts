/**
 * Recipe `stackgan-stage1`: StackGAN Stage-I (Zhang et al. 2017, sec. 3.2) on `@ganflow/models`' stackganStage1, as
 * hanzhanggit/StackGAN-Pytorch trains it. Data: one row per caption (`recipes/text-to-image-data.ts`).
 *
 * Phase `discriminator`: draws z, ε ~ N(0, I) and x̂ = G(z, φ(t), ε) detached; D scores (real, its text) r,
 * (real, mismatched text) m and (x̂, its text) f; minimises
 *   matching-aware: BCE(r, 1) + ½·BCE(m, 0) + ½·BCE(f, 0)   (the reference's errD_real + (errD_fake + errD_wrong)/2)
 * Phase `generator`: draws z, ε; G gives x̂, μ, log σ; minimises
 *   adversarial: BCE(D(x̂, φ(t)), 1)
 *   conditioning-kl (weight `klWeight`, the paper's λ = 2): mean of −log σ + (σ² + μ² − 1)/2
 */
import { stackganStage1, StackganStage1Options } from "@ganflow/models"
import * as tf from "@tensorflow/tfjs-core"
import { bceWithLogits } from "../loss-terms/adversarial-losses.ts"
import { conditioningAugmentationKl } from "../loss-terms/conditioning-augmentation-kl.ts"
import { matchingAwareDiscriminatorLoss } from "../loss-terms/matching-aware-loss.ts"
import { sampleLatents } from "../latent-sampler.ts"
import { definePhase, defineRecipe, type RecipeInstance } from "../recipe.ts"
import { TrainingRunSettings } from "../train-recipe.ts"
import { describeTextConditionalGenerator, type TextToImageNetworks } from "./gan-cls.ts"
import { checkTextToImageData } from "./text-to-image-data.ts"
import { textToImagePlayerFields, textToImagePlayers } from "./text-to-image-players.ts"

/** The config of {@link stackganStage1Recipe}. */
export const StackganStage1Config = TrainingRunSettings.merge({
  /** The networks (`stackganStage1` options; defaults CPU-sized, the paper's `{ resolution: 64, ngf: 128, ndf: 64 }`). */
  model: StackganStage1Options.default(() => ({})),
  /** λ of the conditioning-augmentation KL term in G's loss (the paper's 2). */
  klWeight: "number >= 0 = 2",
  ...textToImagePlayerFields,
})
/** {@link StackganStage1Config} with defaults filled. */
export type StackganStage1Config = typeof StackganStage1Config.infer

/** The Stage-I phases around freshly built networks. */
export const stackganStage1Instance = (config: StackganStage1Config, seed: number): RecipeInstance<TextToImageNetworks> => {
  const models = stackganStage1({ ...config.model, seed })
  const networks: TextToImageNetworks = { generator: models.generator, discriminator: models.discriminator }
  const { latentDim, embeddingDim, conditionDim, imageShape } = models
  /** G's `[image, μ, log σ]`. */
  const generate = (g: TextToImageNetworks["generator"], z: tf.Tensor, text: tf.Tensor, epsilon: tf.Tensor) => {
    const [image, mu, logSigma] = g.apply([z, text, epsilon], { training: true }) as tf.Tensor[]
    return { image: image!, mu: mu!, logSigma: logSigma! }
  }
  const score = (n: TextToImageNetworks, image: tf.Tensor, text: tf.Tensor) => (n.discriminator.apply([image, text], { training: true }) as tf.Tensor[])[0]!

  const phase = definePhase<TextToImageNetworks>()
  const discriminatorPhase = phase({
    name: "discriminator",
    learns: ["discriminator"],
    draw: ({ batch, batchSize, random, networks: n }) => {
      const z = sampleLatents(random, batchSize, latentDim)
      const epsilon = sampleLatents(random, batchSize, conditionDim)
      const out = generate(n.generator, z, batch.embeddings!, epsilon)
      tf.dispose([out.mu, out.logSigma])
      return { real: batch.images!, text: batch.embeddings!, wrongText: batch.wrongEmbeddings!, z, epsilon, fake: out.image }
    },
    forward: (d, n) => ({ r: score(n, d.real, d.text), m: score(n, d.real, d.wrongText), f: score(n, d.fake, d.text) }),
    terms: [{ name: "matching-aware", weight: 1, loss: (s) => matchingAwareDiscriminatorLoss(s.r, s.m, s.f, 0.5) }],
  })
  const generatorPhase = phase({
    name: "generator",
    learns: ["generator"],
    draw: ({ batch, batchSize, random }) => ({ text: batch.embeddings!, z: sampleLatents(random, batchSize, latentDim), epsilon: sampleLatents(random, batchSize, conditionDim) }),
    forward: (d, n) => {
      const out = generate(n.generator, d.z, d.text, d.epsilon)
      return { f: score(n, out.image, d.text), mu: out.mu, logSigma: out.logSigma }
    },
    terms: [
      { name: "adversarial", weight: 1, loss: (s) => bceWithLogits(s.f, 1) },
      { name: "conditioning-kl", weight: config.klWeight, loss: (s) => conditioningAugmentationKl(s.mu, s.logSigma) },
    ],
  })
  return {
    networks,
    ...textToImagePlayers(config),
    phases: [discriminatorPhase, generatorPhase],
    descriptions: {
      generator: () => describeTextConditionalGenerator("stackgan-stage1", latentDim, embeddingDim, imageShape, { conditionDim, inputs: ["latent", "text_embedding", "condition_noise"], outputs: ["image", "mu", "log_sigma"] }),
    },
    checkData: (data) => checkTextToImageData(data, imageShape, embeddingDim, models.generator.name),
  }
}

/** StackGAN Stage-I as a recipe (see the module comment). */
export const stackganStage1Recipe = defineRecipe({ name: "stackgan-stage1", create: (config: StackganStage1Config, seed: number) => stackganStage1Instance(config, seed) })
