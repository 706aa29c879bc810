/**
 * Recipe `adversarial`: the classic GAN — a generator G(z[, y]) against a discriminator D(x[, y]) with one
 * adversarial loss by name — covering every model of `@ganflow/models` (MLP GANs, DCGAN, 3D-GAN, conditional GAN,
 * ACGAN, WGAN and WGAN-GP critics) and the training tricks of `TrainConfig`.
 *
 * Phase `discriminator` (`discriminatorSteps` times, a fresh real batch each): draws z (and labels), ε for the
 * gradient penalty, and G(z) detached; minimises
 *   adversarial: the named loss's D side on D(x) and D(G(z))
 *   gradient-penalty (wgan-gp): λ·mean((‖∇D(x̂)‖₂ − 1)²), x̂ = ε·x + (1 − ε)·G(z) (λ folded in, weight 1)
 *   auxiliary-class (ACGAN): w·(CE(C(x), y) + CE(C(G(z)), y_z))
 *   historical-averaging: β·Σ‖θ_D − θ̄_D‖²
 * and with `tricks.discriminatorAccuracyLimit` skips its update while its batch accuracy is above the limit; with
 * `weightClipping` c (the original WGAN) its weights are clamped to [−c, c] after each update.
 * Optimisers: Adam (`adam`) or RMSProp (`optimizer: "rmsprop"`, `rmsprop`), one per player at its own rate.
 * Phase `generator` (on the step's last real batch): draws z (and labels); minimises
 *   adversarial: the named loss's G side on D(G(z)) — or, with feature matching, ‖mean f(x) − mean f(G(z))‖²
 *   auxiliary-class (ACGAN): w·CE(C(G(z)), y_z)
 *   historical-averaging: β·Σ‖θ_G − θ̄_G‖²
 */
import type { SeededRandom } from "@ganflow/data"
import { buildGan, type GanModels, trainableVariablesOf } from "@ganflow/models"
import * as tf from "@tensorflow/tfjs-core"
import * as tfl from "@tensorflow/tfjs-layers"
import { adversarialLosses, classCrossEntropy } from "../loss-terms/adversarial-losses.ts"
import { defaultMaxLoss } from "../divergence-guard.ts"
import { TrainingDataInvalid } from "../errors.ts"
import { describeGanModels } from "../generator-description.ts"
import { gradientPenalty } from "../loss-terms/gradient-penalty.ts"
import { HistoricalAverage } from "../historical-averaging.ts"
import { sampleLabels, sampleLatents, sampleUniform } from "../latent-sampler.ts"
import { defineRecipe, definePhase, type LossTerm, type RecipeInstance, type RecipeState } from "../recipe.ts"
import { ganSpecOf, type TrainConfig } from "../train-config.ts"
import { adam } from "../training-optimizer.ts"
import { rmsprop, RmsPropConfig } from "../rmsprop-optimizer.ts"
import { clipWeights } from "../weight-clipping.ts"

/** The networks of the classic GAN. */
export type AdversarialNetworks = { readonly generator: tfl.LayersModel; readonly discriminator: tfl.LayersModel }

/** Share of a batch D judges right: real logits above 0 and fake logits below 0 (the 3D-GAN's "accuracy"). */
const discriminatorAccuracy = (realLogits: tf.Tensor, fakeLogits: tf.Tensor): tf.Scalar =>
  tf.tidy(() => tf.div(tf.add(tf.sum(tf.cast(tf.greater(realLogits, 0), "float32")), tf.sum(tf.cast(tf.less(fakeLogits, 0), "float32"))), realLogits.size + fakeLogits.size))

/** Labels 0, 1, …, K-1, 0, 1, … for the sample grid of a conditional model (one class per column when n = K²). */
const labelsInOrder = (n: number, numClasses: number): tf.Tensor2D => tf.tensor2d(Array.from({ length: n }, (_, i) => i % numClasses), [n, 1])

/** D with its penultimate features as an extra first output (feature matching); shares D's weights. */
const featureView = (discriminator: tfl.LayersModel): tfl.LayersModel => {
  const last = [...discriminator.layers].reverse().find((l) => l.weights.length > 0)!
  const features = last.input as tfl.SymbolicTensor
  return tfl.model({ inputs: discriminator.inputs, outputs: [features, ...discriminator.outputs] })
}

/** The classic GAN's phases around already built `models` (the trainer's `train` builds them to return them). */
export const adversarialInstance = (config: TrainConfig, models: GanModels): RecipeInstance<AdversarialNetworks> => {
  const networks: AdversarialNetworks = { generator: models.generator, discriminator: models.discriminator }
  const loss = adversarialLosses[config.loss]
  const { latentDim, numClasses, auxiliaryClassifier } = models
  const conditionalInput = numClasses !== undefined && !auxiliaryClassifier
  const tricks = config.tricks
  const history =
    tricks.historicalAveraging > 0
      ? {
          generator: new HistoricalAverage(trainableVariablesOf(models.generator), tricks.historicalAveraging),
          discriminator: new HistoricalAverage(trainableVariablesOf(models.discriminator), tricks.historicalAveraging),
        }
      : undefined
  const features = tricks.featureMatching ? featureView(models.discriminator) : undefined
  // the original WGAN: the critic's weights clamped to [−c, c] after each of its updates
  const criticWeights = config.weightClipping === undefined ? undefined : trainableVariablesOf(models.discriminator)
  const clipCritic = criticWeights === undefined ? undefined : () => clipWeights(criticWeights, config.weightClipping!)

  /** Latents (and labels for conditional models) for one batch, drawn in this order. */
  const drawLatents = (random: SeededRandom, batch: number) => {
    const z = sampleLatents(random, batch, latentDim)
    return numClasses === undefined ? { z, zLabels: undefined } : { z, zLabels: sampleLabels(random, batch, numClasses) }
  }
  const generate = (z: tf.Tensor, labels: tf.Tensor | undefined) => networks.generator.apply(labels ? [z, labels] : z, { training: true }) as tf.Tensor
  const inputsOf = (images: tf.Tensor, labels: tf.Tensor | undefined) => (conditionalInput ? [images, labels!] : images)
  /** D's outputs on images: the real/fake logits and (ACGAN) class logits. */
  const judge = (images: tf.Tensor, labels: tf.Tensor | undefined) => {
    const out = networks.discriminator.apply(inputsOf(images, labels), { training: true }) as tf.Tensor | tf.Tensor[]
    return Array.isArray(out) ? { logits: out[0]!, classLogits: out[1] } : { logits: out, classLogits: undefined }
  }
  /** The real batch's labels as `[B, 1]` float32 (what conditional models take). */
  const realLabels = (labels: tf.Tensor | undefined) => (labels ? tf.cast(tf.reshape(labels, [-1, 1]), "float32") : undefined)

  const phase = definePhase<AdversarialNetworks>()
  const discriminatorPhase = phase({
    name: "discriminator",
    learns: ["discriminator"],
    repeat: config.discriminatorSteps,
    draw: ({ batch, batchSize, random }) => {
      const { z, zLabels } = drawLatents(random, batchSize)
      const epsilon = loss.gradientPenalty ? sampleUniform(random, batchSize) : undefined
      const fake = generate(z, zLabels) // detached: drawn outside the tape
      return { real: batch.images!, labels: realLabels(batch.labels), z, zLabels, epsilon, fake }
    },
    forward: (d) => ({ r: judge(d.real, d.labels), f: judge(d.fake, d.zLabels) }),
    terms: [
      { name: "adversarial", weight: 1, loss: (s) => loss.discriminator(s.r.logits, s.f.logits, { realLabel: tricks.realLabel }) },
      ...(loss.gradientPenalty
        ? [{ name: "gradient-penalty", weight: 1, loss: (s) => gradientPenalty((x) => judge(x, s.labels).logits, s.real, s.fake, s.epsilon!, config.gradientPenaltyWeight) } satisfies LossTerm<any>]
        : []),
      ...(auxiliaryClassifier
        ? [{ name: "auxiliary-class", weight: config.auxiliaryClassWeight, loss: (s) => tf.add(classCrossEntropy(s.r.classLogits!, s.labels!), classCrossEntropy(s.f.classLogits!, s.zLabels!)) as tf.Scalar } satisfies LossTerm<any>]
        : []),
      ...(history ? [{ name: "historical-averaging", weight: 1, loss: () => history.discriminator.penalty() } satisfies LossTerm<any>] : []),
    ],
    monitors: tricks.discriminatorAccuracyLimit === undefined ? undefined : { accuracy: (s) => discriminatorAccuracy(s.r.logits, s.f.logits) },
    skipUpdate: tricks.discriminatorAccuracyLimit === undefined ? undefined : (m) => m.accuracy! > tricks.discriminatorAccuracyLimit!,
    afterUpdate:
      history || clipCritic
        ? () => {
            history?.discriminator.update()
            clipCritic?.()
          }
        : undefined,
  })

  const generatorPhase = phase({
    name: "generator",
    learns: ["generator"],
    draw: ({ batch, batchSize, random }) => {
      const { z, zLabels } = drawLatents(random, batchSize)
      return { real: batch.images!, labels: features ? realLabels(batch.labels) : undefined, z, zLabels }
    },
    forward: (d) => {
      const fake = generate(d.z, d.zLabels)
      if (features) {
        // real features do not depend on G: no gradient flows through them
        const realFeatures = tf.mean((features.apply(inputsOf(d.real, d.labels), { training: true }) as tf.Tensor[])[0]!, 0)
        const fakeFeatures = tf.mean((features.apply(inputsOf(fake, d.zLabels), { training: true }) as tf.Tensor[])[0]!, 0)
        return { matched: tf.sum(tf.square(tf.sub(realFeatures, fakeFeatures))) as tf.Scalar, f: undefined }
      }
      return { matched: undefined, f: judge(fake, d.zLabels) }
    },
    terms: [
      { name: "adversarial", weight: 1, loss: (s) => s.matched ?? loss.generator(s.f!.logits) },
      ...(auxiliaryClassifier && !features
        ? [{ name: "auxiliary-class", weight: config.auxiliaryClassWeight, loss: (s) => classCrossEntropy(s.f!.classLogits!, s.zLabels!) } satisfies LossTerm<any>]
        : []),
      ...(history ? [{ name: "historical-averaging", weight: 1, loss: () => history.generator.penalty() } satisfies LossTerm<any>] : []),
    ],
    afterUpdate: history ? () => history.generator.update() : undefined,
  })

  const state: RecipeState | undefined = history && {
    groups: () => ({ "history-generator": history.generator.means, "history-discriminator": history.discriminator.means }),
    counters: () => ({ "history-generator": history.generator.snapshots, "history-discriminator": history.discriminator.snapshots }),
    restoreCounters: (c) => {
      history.generator.restoreCount(c["history-generator"] ?? 1)
      history.discriminator.restoreCount(c["history-discriminator"] ?? 1)
    },
    dispose: () => {
      history.generator.dispose()
      history.discriminator.dispose()
    },
  }
  const settings = (learningRate: number) =>
    config.optimizer === "rmsprop" ? rmsprop({ learningRate, ...(config.rmsprop ?? RmsPropConfig.assert({})) }) : adam({ learningRate, ...config.adam })
  return {
    networks,
    optimizers: { generator: settings(config.generatorLearningRate), discriminator: settings(config.discriminatorLearningRate) },
    phases: [discriminatorPhase, generatorPhase],
    ...(tricks.generatorEma > 0 ? { ema: { generator: tricks.generatorEma } } : {}),
    ...(state ? { state } : {}),
    maxLoss: config.maxLoss ?? defaultMaxLoss(config.loss),
    descriptions: { generator: () => describeGanModels(models, config.model.architecture) },
    ...(models.imageShape.length === 3
      ? {
          sampler: {
            outputRange: models.outputRange,
            draw: (random, count): Record<string, tf.Tensor> => {
              const z = sampleLatents(random, count, latentDim)
              return numClasses === undefined ? { z } : { z, labels: labelsInOrder(count, numClasses) }
            },
            generate: (nets, d) => nets.generator.predict(d.labels ? [d.z!, d.labels] : d.z!) as tf.Tensor,
          },
        }
      : {}),
    checkData: (data) => {
      const images = data.images
      if (!images) throw new TrainingDataInvalid({ reason: "no images" })
      const shape = images.shape.slice(1)
      if (!tf.util.arraysEqual(shape, [...models.imageShape]))
        throw new TrainingDataInvalid({ reason: `images are [${shape}] but the ${models.generator.name} makes [${models.imageShape}]` })
      if (numClasses !== undefined && !data.labels) throw new TrainingDataInvalid({ reason: `the conditional model needs labels` })
    },
  }
}

/** The classic GAN as a recipe: builds `config.model` (with the architecture-level tricks) from `seed`. */
export const adversarialRecipe = defineRecipe({
  name: "adversarial",
  create: (config: TrainConfig, seed: number) => adversarialInstance(config, buildGan(ganSpecOf(config), seed)),
})
