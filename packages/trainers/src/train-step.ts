import type { SeededRandom } from "@ganflow/data"
import * as tf from "@tensorflow/tfjs-core"
import { type AdversarialLoss, adversarialLosses, classCrossEntropy } from "./adversarial-losses.ts"
import type { GanPlayers } from "./gan-players.ts"
import { gradientPenalty } from "./gradient-penalty.ts"
import { sampleLabels, sampleLatents, sampleUniform } from "./latent-sampler.ts"
import type { TrainConfig } from "./train-config.ts"
import type { Batch } from "./training-set.ts"

/** Losses of one step as plain numbers (read back from the backend at a log interval, see `pending-losses.ts`). */
export interface StepLosses {
  /** D's loss of the last discriminator update (penalties included). */
  readonly discriminator: number
  /** G's loss (penalties included). */
  readonly generator: number
  /** WGAN-GP's penalty term of the last D update, when used. */
  readonly gradientPenalty?: number
}

/** Latents (and labels for conditional models) for one batch; the caller disposes them. */
interface LatentBatch {
  readonly z: tf.Tensor
  readonly labels?: tf.Tensor
}

const drawLatents = (players: GanPlayers, random: SeededRandom, batch: number): LatentBatch => {
  const { latentDim, numClasses } = players.models
  const z = sampleLatents(random, batch, latentDim)
  return numClasses === undefined ? { z } : { z, labels: sampleLabels(random, batch, numClasses) }
}

const generate = (players: GanPlayers, latents: LatentBatch): tf.Tensor =>
  players.models.generator.apply(latents.labels ? [latents.z, latents.labels] : latents.z, { training: true }) as tf.Tensor

/** D's outputs on images: the real/fake logits and (ACGAN) class logits. Labels go in for plain conditional D. */
const judge = (players: GanPlayers, images: tf.Tensor, labels: tf.Tensor | undefined) => {
  const { auxiliaryClassifier, numClasses } = players.models
  const inputs = numClasses !== undefined && !auxiliaryClassifier ? [images, labels!] : images
  const out = players.models.discriminator.apply(inputs, { training: true }) as tf.Tensor | tf.Tensor[]
  return Array.isArray(out) ? { logits: out[0]!, classLogits: out[1] } : { logits: out, classLogits: undefined }
}

/** Share of a batch D judges right: real logits above 0 and fake logits below 0 (the 3D-GAN's "accuracy"). */
const discriminatorAccuracy = (realLogits: tf.Tensor, fakeLogits: tf.Tensor): tf.Scalar =>
  tf.tidy(() => tf.div(tf.add(tf.sum(tf.cast(tf.greater(realLogits, 0), "float32")), tf.sum(tf.cast(tf.less(fakeLogits, 0), "float32"))), realLogits.size + fakeLogits.size))

/** What one D update leaves: its loss (and GP term) as scalars, and with the adaptive update D's accuracy and whether it stepped. */
export interface DiscriminatorPhaseResult {
  readonly discriminator: tf.Scalar
  readonly gradientPenalty?: tf.Scalar
  readonly discriminatorAccuracy?: number
  readonly discriminatorSkipped?: boolean
}

/**
 * Phase 1: one discriminator update on a real batch and a detached fake batch (G runs outside D's gradient tape,
 * so no gradient reaches G). Adds the WGAN-GP penalty, ACGAN's class loss and historical averaging when enabled.
 * Consumes nothing it is given; returns the loss (and GP term) as scalars the caller owns: nothing is read back
 * here (see `pending-losses.ts`, which also checks they are finite). With `tricks.discriminatorAccuracyLimit` (the
 * 3D-GAN's adaptive update) D's batch accuracy is read back (asynchronously: WebGPU has no synchronous read in
 * Node) before the update — the decision needs it — and the update is skipped when it is above the limit (the
 * random draws are the same either way).
 */
export const discriminatorPhase = async (players: GanPlayers, real: Batch, random: SeededRandom, config: TrainConfig): Promise<DiscriminatorPhaseResult> => {
  const loss: AdversarialLoss = adversarialLosses[config.loss]
  const batch = real.images.shape[0]!
  const latents = drawLatents(players, random, batch)
  const epsilon = loss.gradientPenalty ? sampleUniform(random, batch) : undefined
  const fake = tf.tidy(() => generate(players, latents)) // detached: computed outside the tape below
  const accuracyLimit = config.tricks.discriminatorAccuracyLimit
  let penaltyValue: tf.Scalar | undefined
  let accuracyTensor: tf.Scalar | undefined
  let accuracy: number | undefined
  try {
    const { value, grads } = tf.variableGrads(() => {
      const r = judge(players, real.images, real.labels)
      const f = judge(players, fake, latents.labels)
      if (accuracyLimit !== undefined) accuracyTensor = tf.keep(discriminatorAccuracy(r.logits, f.logits))
      let total = loss.discriminator(r.logits, f.logits, { realLabel: config.tricks.realLabel })
      if (epsilon) {
        const critic = (x: tf.Tensor) => judge(players, x, real.labels).logits
        const gp = gradientPenalty(critic, real.images, fake, epsilon, config.gradientPenaltyWeight)
        penaltyValue = tf.keep(tf.clone(gp))
        total = tf.add(total, gp)
      }
      if (r.classLogits && f.classLogits) {
        const aux = tf.add(classCrossEntropy(r.classLogits, real.labels!), classCrossEntropy(f.classLogits, latents.labels!))
        total = tf.add(total, tf.mul(config.auxiliaryClassWeight, aux))
      }
      if (players.discriminatorHistory) total = tf.add(total, players.discriminatorHistory.penalty())
      return total
    }, players.discriminatorVariables)
    try {
      if (accuracyTensor !== undefined) accuracy = (await accuracyTensor.data())[0]!
      const skipped = accuracyLimit !== undefined && accuracy! > accuracyLimit
      if (!skipped) {
        players.discriminatorOptimizer.applyGradients(grads)
        players.discriminatorHistory?.update()
      }
      return {
        discriminator: value,
        ...(penaltyValue === undefined ? {} : { gradientPenalty: penaltyValue }),
        ...(accuracy === undefined ? {} : { discriminatorAccuracy: accuracy, discriminatorSkipped: skipped }),
      }
    } finally {
      tf.dispose(Object.values(grads))
    }
  } finally {
    tf.dispose([fake, latents.z, latents.labels, epsilon, accuracyTensor].filter((t): t is tf.Tensor => t !== undefined))
  }
}

/**
 * Phase 2: one generator update through D (D's weights untouched). With feature matching G minimises
 * ‖mean f(real) − mean f(G(z))‖² over D's penultimate features instead of the adversarial loss; `real` is then
 * needed (the last batch D saw). Updates the EMA of G and historical averages. Returns G's loss as a scalar the
 * caller owns (not read back here).
 */
export const generatorPhase = (players: GanPlayers, real: Batch, random: SeededRandom, config: TrainConfig): tf.Scalar => {
  const loss = adversarialLosses[config.loss]
  const batch = real.images.shape[0]!
  const latents = drawLatents(players, random, batch)
  try {
    const { value, grads } = tf.variableGrads(() => {
      const fake = generate(players, latents)
      let total: tf.Scalar
      if (players.discriminatorFeatures) {
        const view = players.discriminatorFeatures
        const inputsOf = (images: tf.Tensor, labels?: tf.Tensor) =>
          players.models.numClasses !== undefined && !players.models.auxiliaryClassifier ? [images, labels!] : images
        // real features do not depend on G: no gradient flows through them
        const realFeatures = tf.mean((view.apply(inputsOf(real.images, real.labels), { training: true }) as tf.Tensor[])[0]!, 0)
        const fakeFeatures = tf.mean((view.apply(inputsOf(fake, latents.labels), { training: true }) as tf.Tensor[])[0]!, 0)
        total = tf.sum(tf.square(tf.sub(realFeatures, fakeFeatures)))
      } else {
        const f = judge(players, fake, latents.labels)
        total = loss.generator(f.logits)
        if (f.classLogits) total = tf.add(total, tf.mul(config.auxiliaryClassWeight, classCrossEntropy(f.classLogits, latents.labels!)))
      }
      if (players.generatorHistory) total = tf.add(total, players.generatorHistory.penalty())
      return total
    }, players.generatorVariables)
    try {
      players.generatorOptimizer.applyGradients(grads)
      players.generatorHistory?.update()
      players.generatorEma?.update()
      return value
    } finally {
      tf.dispose(Object.values(grads))
    }
  } finally {
    tf.dispose([latents.z, latents.labels].filter((t): t is tf.Tensor => t !== undefined))
  }
}
