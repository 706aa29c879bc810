/**
 * Recipe `stackgan-stage2`: StackGAN Stage-II (Zhang et al. 2017, sec. 3.3) on `@ganflow/models`' stackganStage2,
 * as hanzhanggit/StackGAN-Pytorch trains it, with Stage-I's images given as data: besides the one-row-per-caption
 * fields (`recipes/text-to-image-data.ts`, `images` at Stage-II's size) the field `lowResImages` `[C, h, w, 3]`
 * holds a sample of the trained, frozen Stage-I generator for caption c (drawn once by the pipeline's stage before
 * this one, so that Stage-II's params never touch Stage-I; the reference draws a fresh Stage-I sample every step).
 *
 * Phase `discriminator`: draws ε and x̂ = G(s₁, φ(t), ε) detached (s₁ the Stage-I image); D scores with its
 * conditional head (real, text) r_c, (real, mismatched text) m_c, (x̂, text) f_c and with its unconditional head
 * real r_u and x̂ f_u; minimises
 *   matching-aware: (BCE(r_c, 1) + BCE(r_u, 1))/2 + (BCE(f_c, 0) + BCE(m_c, 0) + BCE(f_u, 0))/3
 * Phase `generator`: draws ε; minimises
 *   adversarial: BCE(f_c, 1) + BCE(f_u, 1)
 *   conditioning-kl (weight `klWeight`, 2): KL(N(μ, σ²) ‖ N(0, I)) of Stage-II's own conditioning augmentation
 */
import { stackganStage2, StackganStage2Options } from "@ganflow/models"
import * as tf from "@tensorflow/tfjs-core"
import { TrainingDataInvalid } from "../errors.ts"
import { bceWithLogits } from "../loss-terms/adversarial-losses.ts"
import { conditioningAugmentationKl } from "../loss-terms/conditioning-augmentation-kl.ts"
import { matchingAwareDiscriminatorLossWithUnconditional } from "../loss-terms/matching-aware-loss.ts"
import { sampleLatents } from "../latent-sampler.ts"
import { definePhase, defineRecipe, type RecipeInstance } from "../recipe.ts"
import { TrainingRunSettings } from "../train-recipe.ts"
import { describeTextConditionalGenerator, type TextToImageNetworks } from "./gan-cls.ts"
import { checkTextToImageData } from "./text-to-image-data.ts"
import { textToImagePlayerFields, textToImagePlayers } from "./text-to-image-players.ts"

/** The config of {@link stackganStage2Recipe}. */
export const StackganStage2Config = TrainingRunSettings.merge({
  /** The networks (`stackganStage2` options; defaults CPU-sized, the paper's `{ inputResolution: 64, resolution: 256, ngf: 128, ndf: 64, residualBlocks: 4 }`). */
  model: StackganStage2Options.default(() => ({})),
  /** λ of the conditioning-augmentation KL term (2). */
  klWeight: "number >= 0 = 2",
  ...textToImagePlayerFields,
})
/** {@link StackganStage2Config} with defaults filled. */
export type StackganStage2Config = typeof StackganStage2Config.infer

/** The Stage-II phases around freshly built networks. */
export const stackganStage2Instance = (config: StackganStage2Config, seed: number): RecipeInstance<TextToImageNetworks> => {
  const models = stackganStage2({ ...config.model, seed })
  const networks: TextToImageNetworks = { generator: models.generator, discriminator: models.discriminator }
  const { embeddingDim, conditionDim, imageShape } = models
  const inputSide = (models.generator.inputs[0]!.shape[1] as number)
  const generate = (n: TextToImageNetworks, lowRes: tf.Tensor, text: tf.Tensor, epsilon: tf.Tensor) => {
    const [image, mu, logSigma] = n.generator.apply([lowRes, text, epsilon], { training: true }) as tf.Tensor[]
    return { image: image!, mu: mu!, logSigma: logSigma! }
  }
  /** D's conditional and unconditional logits. */
  const judge = (n: TextToImageNetworks, image: tf.Tensor, text: tf.Tensor) => {
    const [conditional, , unconditional] = n.discriminator.apply([image, text], { training: true }) as tf.Tensor[]
    return { c: conditional!, u: unconditional! }
  }

  const phase = definePhase<TextToImageNetworks>()
  const discriminatorPhase = phase({
    name: "discriminator",
    learns: ["discriminator"],
    draw: ({ batch, batchSize, random, networks: n }) => {
      const epsilon = sampleLatents(random, batchSize, conditionDim)
      const out = generate(n, batch.lowResImages!, batch.embeddings!, epsilon)
      tf.dispose([out.mu, out.logSigma])
      return { real: batch.images!, text: batch.embeddings!, wrongText: batch.wrongEmbeddings!, epsilon, fake: out.image }
    },
    forward: (d, n) => ({ r: judge(n, d.real, d.text), m: judge(n, d.real, d.wrongText).c, f: judge(n, d.fake, d.text) }),
    terms: [{ name: "matching-aware", weight: 1, loss: (s) => matchingAwareDiscriminatorLossWithUnconditional(s.r.c, s.m, s.f.c, s.r.u, s.f.u) }],
  })
  const generatorPhase = phase({
    name: "generator",
    learns: ["generator"],
    draw: ({ batch, batchSize, random }) => ({ lowRes: batch.lowResImages!, text: batch.embeddings!, epsilon: sampleLatents(random, batchSize, conditionDim) }),
    forward: (d, n) => {
      const out = generate(n, d.lowRes, d.text, d.epsilon)
      return { f: judge(n, out.image, d.text), mu: out.mu, logSigma: out.logSigma }
    },
    terms: [
      { name: "adversarial", weight: 1, loss: (s) => tf.add(bceWithLogits(s.f.c, 1), bceWithLogits(s.f.u, 1)) as tf.Scalar },
      { name: "conditioning-kl", weight: config.klWeight, loss: (s) => conditioningAugmentationKl(s.mu, s.logSigma) },
    ],
  })
  return {
    networks,
    ...textToImagePlayers(config),
    phases: [discriminatorPhase, generatorPhase],
    descriptions: {
      generator: () =>
        describeTextConditionalGenerator("stackgan-stage2", 0, embeddingDim, imageShape, {
          conditionDim,
          inputShape: [inputSide, inputSide, imageShape[2]],
          inputs: ["stage1_image", "text_embedding", "condition_noise"],
          outputs: ["image", "mu", "log_sigma"],
        }),
    },
    checkData: (data) => {
      checkTextToImageData(data, imageShape, embeddingDim, models.generator.name)
      const low = data.lowResImages
      if (!low) throw new TrainingDataInvalid({ reason: `${models.generator.name} needs the field 'lowResImages' (Stage-I's image per caption)` })
      const expected = [data.images!.shape[0], inputSide, inputSide, imageShape[2]]
      if (!tf.util.arraysEqual(low.shape, expected)) throw new TrainingDataInvalid({ reason: `lowResImages are [${low.shape}], ${models.generator.name} refines [${expected}]` })
    },
  }
}

/** StackGAN Stage-II as a recipe (see the module comment). */
export const stackganStage2Recipe = defineRecipe({ name: "stackgan-stage2", create: (config: StackganStage2Config, seed: number) => stackganStage2Instance(config, seed) })
