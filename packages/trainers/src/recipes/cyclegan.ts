/**
 * Recipe `cyclegan` (Zhu et al. 2017, as pytorch-CycleGAN-and-pix2pix trains it): generators G: A → B and
 * F: B → A (ResNet, 6 or 9 blocks), PatchGAN discriminators D_B (real B vs G(a)) and D_A (real A vs F(b)), on
 * unpaired data (A and B drawn by independent shuffles). Each step jitters a batch of each domain separately.
 * Phase `generator` (both generators); minimises
 *   adversarial-ab: mean((D_B(G(a)) − 1)²)      adversarial-ba: mean((D_A(F(b)) − 1)²)       (least squares)
 *   cycle-a: λ·|F(G(a)) − a|₁                    cycle-b: λ·|G(F(b)) − b|₁                     (λ = 10)
 *   identity-a: 0.5·λ·|G(b) − b|₁                identity-b: 0.5·λ·|F(a) − a|₁
 * and, before G is updated, takes G(a) and F(b) detached through a history buffer of 50 images per discriminator
 * (Shrivastava et al. 2017): D trains on the same fakes the reference's backward_D sees.
 * Phase `discriminator` (both discriminators, same real batch); minimises
 *   discriminator-b: ½·(mean((D_B(b) − 1)²) + mean(D_B(pool_B)²))    discriminator-a: the same for D_A
 * Adam 2e-4, β1 0.5 for all four; the paper's learning rate, constant for the first half of the steps and decayed
 * linearly towards 0 over the second, is the run setting `learningRateSchedule: { kind: "linear-decay", startStep:
 * steps / 2 }` (the trainer's schedules, `learning-rate-schedule.ts`; the cyclegan-faces pipeline sets it).
 * Data fields: `a` and `b`, `[N, L, L, C]` in [-1, 1] with L >= size (see `unpaired-source`).
 */
import { randomJitter } from "@ganflow/data"
import { patchGanDiscriminator, resnetGenerator } from "@ganflow/models"
import * as tf from "@tensorflow/tfjs-core"
import type * as tfl from "@tensorflow/tfjs-layers"
import { type } from "arktype"
import { TrainingDataInvalid } from "../errors.ts"
import { ImageHistoryBuffer } from "../image-history-buffer.ts"
import { CYCLE_LAMBDA, cycleConsistencyLoss, IDENTITY_FRACTION, identityLoss } from "../loss-terms/cycle-consistency-loss.ts"
import { patchGanDiscriminatorLoss, patchGanGeneratorLoss } from "../loss-terms/patch-gan-losses.ts"
import { defineRecipe, definePhase, type RecipeInstance } from "../recipe.ts"
import { TrainingRunSettings } from "../train-recipe.ts"
import { adam } from "../training-optimizer.ts"

/** The config of {@link cycleganRecipe}: the run settings and the paper's setup as defaults; unknown keys are errors. */
export const CycleganConfig = TrainingRunSettings.merge({
  /** Square size the networks see (random crops of the stored load size). */
  size: "number.integer >= 16 = 256",
  /** ResNet generators: filters of the first conv, residual blocks (9 at 256 px, 6 at 128), norm. */
  generator: type({ "+": "reject", ngf: "number.integer > 0 = 64", blocks: "number.integer >= 1 = 9", norm: "'batch' | 'instance' = 'instance'" }).default(() => ({})),
  /** PatchGAN discriminators: filters of the first conv, stride-2 layers (3: 70x70 patches), norm. */
  discriminator: type({ "+": "reject", ndf: "number.integer > 0 = 64", layers: "number.integer >= 1 = 3", norm: "'batch' | 'instance' = 'instance'" }).default(() => ({})),
  /** λ of the cycle-consistency terms. */
  cycleWeight: `number >= 0 = ${CYCLE_LAMBDA}`,
  /** Identity terms' weight as a fraction of λ (0 turns them off). */
  identityFraction: `number >= 0 = ${IDENTITY_FRACTION}`,
  /** Generated images kept per discriminator (0: D sees only the newest fakes). */
  historySize: "number.integer >= 0 = 50",
  /** Mirror half of the crops left-right (random jitter). */
  mirror: "boolean = true",
  adam: type({ "+": "reject", learningRate: "number > 0 = 0.0002", beta1: "0 <= number < 1 = 0.5", beta2: "0 <= number < 1 = 0.999", epsilon: "number > 0 = 0.00000001" }).default(() => ({})),
})
/** {@link CycleganConfig} with defaults filled. */
export type CycleganConfig = typeof CycleganConfig.infer

/** The networks of CycleGAN: G = generatorAB, F = generatorBA, D_B = discriminatorB, D_A = discriminatorA. */
export type CycleganNetworks = {
  readonly generatorAB: tfl.LayersModel
  readonly generatorBA: tfl.LayersModel
  readonly discriminatorB: tfl.LayersModel
  readonly discriminatorA: tfl.LayersModel
}

/** CycleGAN's phases around its networks for `config` (weights from `seed`). */
export const cycleganInstance = (config: CycleganConfig, seed: number): RecipeInstance<CycleganNetworks> => {
  const g = { size: config.size, ...config.generator }
  const d = { size: config.size, inputChannels: 3, ...config.discriminator }
  const networks: CycleganNetworks = {
    generatorAB: resnetGenerator({ ...g, seed }),
    generatorBA: resnetGenerator({ ...g, seed: seed + 1 }),
    discriminatorB: patchGanDiscriminator({ ...d, seed: seed + 2 }),
    discriminatorA: patchGanDiscriminator({ ...d, seed: seed + 3 }),
  }
  const shape = [config.size, config.size, 3] as const
  const pools = { b: new ImageHistoryBuffer(shape, config.historySize), a: new ImageHistoryBuffer(shape, config.historySize) }
  /** What the generator phase leaves for the discriminator phase (kept; handed over and freed there). */
  let handover: { a: tf.Tensor4D; b: tf.Tensor4D; poolB: tf.Tensor4D; poolA: tf.Tensor4D } | undefined
  const run = (net: tfl.LayersModel, x: tf.Tensor) => net.apply(x, { training: true }) as tf.Tensor
  const identity = config.identityFraction > 0

  const phase = definePhase<CycleganNetworks>()
  const generatorPhase = phase({
    name: "generator",
    learns: ["generatorAB", "generatorBA"],
    draw: ({ batch, random }) => {
      const [a] = randomJitter([batch.a as tf.Tensor4D], random, config.size, config.mirror)
      const [b] = randomJitter([batch.b as tf.Tensor4D], random, config.size, config.mirror)
      if (handover) tf.dispose(Object.values(handover))
      // the fakes D will see, from the generators before this update, through the history buffers
      const poolB = tf.tidy(() => pools.b.query(run(networks.generatorAB, a) as tf.Tensor4D, random))
      const poolA = tf.tidy(() => pools.a.query(run(networks.generatorBA, b) as tf.Tensor4D, random))
      handover = { a: tf.keep(tf.clone(a)), b: tf.keep(tf.clone(b)), poolB: tf.keep(poolB), poolA: tf.keep(poolA) }
      return { a, b }
    },
    forward: ({ a, b }, n) => {
      const fakeB = run(n.generatorAB, a)
      const fakeA = run(n.generatorBA, b)
      return {
        fakeB, fakeA,
        recA: run(n.generatorBA, fakeB), recB: run(n.generatorAB, fakeA),
        sameB: identity ? run(n.generatorAB, b) : undefined, sameA: identity ? run(n.generatorBA, a) : undefined,
        judgedB: run(n.discriminatorB, fakeB), judgedA: run(n.discriminatorA, fakeA),
      }
    },
    terms: [
      { name: "adversarial-ab", weight: 1, loss: (s) => patchGanGeneratorLoss("lsgan", s.judgedB) },
      { name: "adversarial-ba", weight: 1, loss: (s) => patchGanGeneratorLoss("lsgan", s.judgedA) },
      { name: "cycle-a", weight: 1, loss: (s) => cycleConsistencyLoss(s.recA, s.a, config.cycleWeight) },
      { name: "cycle-b", weight: 1, loss: (s) => cycleConsistencyLoss(s.recB, s.b, config.cycleWeight) },
      ...(identity
        ? [
            { name: "identity-a", weight: 1, loss: (s: { sameB?: tf.Tensor; b: tf.Tensor }) => identityLoss(s.sameB!, s.b, config.cycleWeight, config.identityFraction) },
            { name: "identity-b", weight: 1, loss: (s: { sameA?: tf.Tensor; a: tf.Tensor }) => identityLoss(s.sameA!, s.a, config.cycleWeight, config.identityFraction) },
          ]
        : []),
    ],
  })
  const discriminatorPhase = phase({
    name: "discriminator",
    learns: ["discriminatorB", "discriminatorA"],
    draw: () => {
      if (handover === undefined) throw new Error("cyclegan: the discriminator phase ran before the generator phase")
      const drawn = handover
      handover = undefined
      return drawn // ours until now; the trainer frees them after this phase
    },
    forward: (s, n) => ({
      realB: run(n.discriminatorB, s.b), fakeB: run(n.discriminatorB, s.poolB),
      realA: run(n.discriminatorA, s.a), fakeA: run(n.discriminatorA, s.poolA),
    }),
    terms: [
      { name: "discriminator-b", weight: 1, loss: (s) => patchGanDiscriminatorLoss("lsgan", s.realB, s.fakeB) },
      { name: "discriminator-a", weight: 1, loss: (s) => patchGanDiscriminatorLoss("lsgan", s.realA, s.fakeA) },
    ],
  })
  const optimizer = adam(config.adam)
  const description = (from: string, to: string) => () => ({ kind: "image-to-image", architecture: `resnet-${config.generator.blocks}`, from, to, inputShape: [...shape], outputShape: [...shape], outputRange: "tanh" })
  return {
    networks,
    optimizers: { generatorAB: optimizer, generatorBA: optimizer, discriminatorB: optimizer, discriminatorA: optimizer },
    phases: [generatorPhase, discriminatorPhase],
    unpairedFields: [["b"]],
    state: {
      groups: () => ({ "history-b": pools.b.slots, "history-a": pools.a.slots }),
      counters: () => ({ "history-b": pools.b.filled, "history-a": pools.a.filled }),
      restoreCounters: (c) => {
        pools.b.restoreFilled(c["history-b"] ?? 0)
        pools.a.restoreFilled(c["history-a"] ?? 0)
      },
      dispose: () => {
        if (handover) tf.dispose(Object.values(handover))
        pools.a.dispose()
        pools.b.dispose()
      },
    },
    descriptions: { generatorAB: description("A", "B"), generatorBA: description("B", "A") },
    checkData: (data) => {
      for (const field of ["a", "b"] as const) {
        const t = data[field]
        if (t === undefined) throw new TrainingDataInvalid({ reason: `cyclegan trains on unpaired fields a and b; ${field} is missing` })
        const [, h, w, c] = t.shape
        if (t.rank !== 4 || h !== w || c !== 3 || h! < config.size) throw new TrainingDataInvalid({ reason: `${field} images are [${t.shape.slice(1)}]; cyclegan at ${config.size} px needs square RGB images of at least ${config.size} px` })
      }
    },
  }
}

/** CycleGAN as a recipe. */
export const cycleganRecipe = defineRecipe({ name: "cyclegan", create: cycleganInstance })
