/**
 * Recipe `pix2pix` (Isola et al. 2017, as pytorch-CycleGAN-and-pix2pix trains it): a U-Net generator G(x) → y
 * against a 70x70 PatchGAN D(x, y) that judges (input, output) pairs, on paired data.
 *
 * Each step draws one real pair batch, random-jitters it (crop `size` from the stored load size, mirror ½; the same
 * crop and flip for input and target) and starts a new dropout draw (G's dropout is its noise):
 * Phase `discriminator`: fake = G(x) detached; minimises
 *   adversarial: ½·(GAN(D(x, y), real) + GAN(D(x, G(x)), fake))           (the reference halves D's objective)
 * Phase `generator` (same pair, same crop, same dropout masks, so G(x) is the fake D just saw); minimises
 *   adversarial: GAN(D(x, G(x)), real)
 *   l1: λ·mean|G(x) − y|, λ = 100
 * GAN is BCE on logits (`gan: vanilla`, the paper's cGAN loss) or least squares (`gan: lsgan`). Adam 2e-4, β1 0.5.
 * Data fields: `inputs` and `targets`, `[N, L, L, C]` in [-1, 1] with L >= size (see `paired-source`).
 */
import { randomJitter, SeededRandom } from "@ganflow/data"
import { concatChannels, patchGanDiscriminator, setDropoutDraw, unetGenerator } from "@ganflow/models"
import * as tf from "@tensorflow/tfjs-core"
import type * as tfl from "@tensorflow/tfjs-layers"
import { type } from "arktype"
import { TrainingDataInvalid } from "../errors.ts"
import { l1DistanceLoss, PIX2PIX_L1_WEIGHT } from "../loss-terms/l1-distance-loss.ts"
import { patchGanDiscriminatorLoss, patchGanGeneratorLoss } from "../loss-terms/patch-gan-losses.ts"
import { defineRecipe, definePhase, type RecipeInstance } from "../recipe.ts"
import { TrainingRunSettings } from "../train-recipe.ts"
import { adam } from "../training-optimizer.ts"

/** The config of {@link pix2pixRecipe}: the run settings and the paper's setup as defaults; unknown keys are errors. */
export const Pix2pixConfig = TrainingRunSettings.merge({
  /** Square size G and D see (random crops of the stored load size). */
  size: "number.integer >= 32 = 256",
  /** U-Net: filters of the first conv (64: C64-C128-C256-C512…), norm, test-time dropout. */
  generator: type({ "+": "reject", ngf: "number.integer > 0 = 64", norm: "'batch' | 'instance' = 'batch'", dropout: "boolean = true" }).default(() => ({})),
  /** PatchGAN: filters of the first conv, stride-2 layers (3: 70x70 patches), norm. */
  discriminator: type({ "+": "reject", ndf: "number.integer > 0 = 64", layers: "number.integer >= 1 = 3", norm: "'batch' | 'instance' = 'batch'" }).default(() => ({})),
  /** The adversarial criterion: BCE (the paper's cGAN) or least squares. */
  gan: "'vanilla' | 'lsgan' = 'vanilla'",
  /** λ of the L1 term. */
  l1Weight: `number >= 0 = ${PIX2PIX_L1_WEIGHT}`,
  /** Mirror half of the crops left-right (random jitter). */
  mirror: "boolean = true",
  /** Adam for G and D. */
  adam: type({ "+": "reject", learningRate: "number > 0 = 0.0002", beta1: "0 <= number < 1 = 0.5", beta2: "0 <= number < 1 = 0.999", epsilon: "number > 0 = 0.00000001" }).default(() => ({})),
})
/** {@link Pix2pixConfig} with defaults filled. */
export type Pix2pixConfig = typeof Pix2pixConfig.infer

/** The networks of pix2pix. */
export type Pix2pixNetworks = { readonly generator: tfl.LayersModel; readonly discriminator: tfl.LayersModel }

/** pix2pix's phases around its networks for `config` (weights from `seed`). */
export const pix2pixInstance = (config: Pix2pixConfig, seed: number): RecipeInstance<Pix2pixNetworks> => {
  const generator = unetGenerator({ size: config.size, ...config.generator, seed })
  const discriminator = patchGanDiscriminator({ size: config.size, inputChannels: 6, ...config.discriminator, seed: seed + 1 })
  const networks: Pix2pixNetworks = { generator, discriminator }
  // one dropout draw per step (checkpointed), and the jitter's random state, so the generator phase sees the
  // discriminator phase's crop and G's masks again
  let draws = 0
  let jitterState = new SeededRandom(0).state()
  const jitter = (batch: Readonly<Record<string, tf.Tensor>>, random: SeededRandom) =>
    randomJitter([batch.inputs as tf.Tensor4D, batch.targets as tf.Tensor4D], random, config.size, config.mirror)
  const generate = (x: tf.Tensor) => generator.apply(x, { training: true }) as tf.Tensor
  const judge = (x: tf.Tensor, y: tf.Tensor) => discriminator.apply(concatChannels(x, y), { training: true }) as tf.Tensor

  const phase = definePhase<Pix2pixNetworks>()
  const discriminatorPhase = phase({
    name: "discriminator",
    learns: ["discriminator"],
    draw: ({ batch, random }) => {
      jitterState = random.state()
      const [x, y] = jitter(batch, random)
      setDropoutDraw(generator, ++draws)
      return { x, y, fake: generate(x) } // G(x) detached: drawn outside the tape
    },
    forward: (d) => ({ real: judge(d.x, d.y), faked: judge(d.x, d.fake) }),
    terms: [{ name: "adversarial", weight: 1, loss: (s) => patchGanDiscriminatorLoss(config.gan, s.real, s.faked) }],
  })
  const generatorPhase = phase({
    name: "generator",
    learns: ["generator"],
    draw: ({ batch }) => {
      const [x, y] = jitter(batch, SeededRandom.fromState(jitterState))
      setDropoutDraw(generator, draws)
      return { x, y }
    },
    forward: (d) => {
      const fake = generate(d.x)
      return { fake, faked: judge(d.x, fake) }
    },
    terms: [
      { name: "adversarial", weight: 1, loss: (s) => patchGanGeneratorLoss(config.gan, s.faked) },
      { name: "l1", weight: config.l1Weight, loss: (s) => l1DistanceLoss(s.fake, s.y) },
    ],
  })
  const settings = adam(config.adam)
  return {
    networks,
    optimizers: { generator: settings, discriminator: settings },
    phases: [discriminatorPhase, generatorPhase],
    state: {
      groups: () => ({}),
      counters: () => ({ "dropout-draws": draws }),
      restoreCounters: (c) => void (draws = c["dropout-draws"] ?? 0),
      dispose: () => {},
    },
    descriptions: {
      generator: () => ({ kind: "image-to-image", architecture: "unet", inputShape: [config.size, config.size, 3], outputShape: [config.size, config.size, 3], outputRange: "tanh", dropoutAtInference: config.generator.dropout }),
    },
    checkData: (data) => {
      for (const field of ["inputs", "targets"] as const) {
        const t = data[field]
        if (t === undefined) throw new TrainingDataInvalid({ reason: `pix2pix trains on paired fields inputs and targets; ${field} is missing` })
        const [, h, w, c] = t.shape
        if (t.rank !== 4 || h !== w || c !== 3 || h! < config.size) throw new TrainingDataInvalid({ reason: `${field} are [${t.shape.slice(1)}]; pix2pix at ${config.size} px needs square RGB images of at least ${config.size} px` })
      }
      if (data.inputs!.shape[1] !== data.targets!.shape[1]) throw new TrainingDataInvalid({ reason: `inputs are ${data.inputs!.shape[1]} px, targets ${data.targets!.shape[1]} px` })
    },
  }
}

/** pix2pix as a recipe. */
export const pix2pixRecipe = defineRecipe({ name: "pix2pix", create: pix2pixInstance })
