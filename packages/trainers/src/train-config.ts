import { GanSpec, MinibatchDiscriminationSize } from "@ganflow/models"
import { type } from "arktype"
import { adversarialLossNames } from "./loss-terms/adversarial-losses.ts"
import { TrainConfigInvalid } from "./errors.ts"
import { EarlyStoppingConfig } from "./early-stopping.ts"
import { LearningRateSchedule } from "./learning-rate-schedule.ts"
import { LiveMetricsConfig } from "./live-metrics.ts"
import { RmsPropConfig } from "./rmsprop-optimizer.ts"
import { trainingRunProblem } from "./training-run-checks.ts"

/** Training tricks, each off by default. */
export const TrainingTricks = type({
  "+": "reject",
  /** Target for real images in D's loss; 0.9 is one-sided label smoothing (Salimans et al. 2016). */
  realLabel: "0 < number <= 1 = 1",
  /** G matches the mean of D's penultimate features on real and fake batches instead of fooling D (Salimans §3.1). */
  featureMatching: "boolean = false",
  /** Weight of the historical-averaging penalty on both players (Salimans §3.3); 0 = off. */
  historicalAveraging: "number >= 0 = 0",
  /** Decay of the EMA of G's weights (e.g. 0.999); 0 = off. */
  generatorEma: "0 <= number < 1 = 0",
  /** Add a minibatch-discrimination layer to D (MLP architectures; Salimans §3.2). */
  "minibatchDiscrimination?": MinibatchDiscriminationSize,
  /** Use instance norm instead of batch norm in D (DCGAN architecture). */
  instanceNorm: "boolean = false",
  /**
   * Adaptive D update (Wu et al. 2016, 3D-GAN §3.2): skip D's step on a batch where its accuracy (real logit > 0,
   * fake logit < 0, over both halves) is above this, e.g. 0.8, so D does not outrun G. Absent: D always steps.
   */
  "discriminatorAccuracyLimit?": "0 < number < 1",
})

/** Adam hyper-parameters shared by both players (learning rates are separate, see the config). */
export const AdamConfig = type({
  "+": "reject",
  beta1: "0 <= number < 1 = 0.5",
  beta2: "0 <= number < 1 = 0.999",
  epsilon: ["number > 0", "=", 1e-8],
})

/**
 * The trainer's config: one schema with defaults; unknown keys and invalid combinations are errors. `steps`
 * counts generator steps. `steps` is the budget: it is not part of what a checkpoint must match, so raising it
 * continues a run.
 */
export const TrainConfig = type({
  "+": "reject",
  /** The GAN to build (`@ganflow/models` `GanSpec`): architecture name, its options, optional WGAN critic. */
  model: GanSpec,
  /** Number of generator steps to reach. */
  steps: "number.integer > 0",
  /** Images per batch, for D and for G. */
  batchSize: "number.integer > 0 = 64",
  /** Seed of initial weights, data order, latents and every other random draw. */
  seed: "number.integer >= 0 = 0",
  /** Adversarial loss, by name (see `adversarialLosses`). */
  loss: type.enumerated(...adversarialLossNames).default("bce"),
  /** λ of the WGAN-GP gradient penalty. */
  gradientPenaltyWeight: "number >= 0 = 10",
  /** Discriminator (critic) updates per generator update (WGAN: 5). */
  discriminatorSteps: "number.integer > 0 = 1",
  /** Generator learning rate. */
  generatorLearningRate: "number > 0 = 0.0002",
  /** Discriminator learning rate (TTUR, Heusel et al. 2017: e.g. 4e-4 with G at 1e-4). */
  discriminatorLearningRate: "number > 0 = 0.0002",
  adam: AdamConfig.default(() => ({})),
  tricks: TrainingTricks.default(() => ({})),
  /** Weight of ACGAN's auxiliary class loss. */
  auxiliaryClassWeight: "number >= 0 = 1",
  /** Save a checkpoint every N steps (and at the end); 0 = only at the end. */
  checkpointEvery: "number.integer >= 0 = 0",
  /** Render the fixed-latent sample grid every N steps (and at the end); 0 = never. */
  sampleEvery: "number.integer >= 0 = 0",
  /** Images in the sample grid (a square number fills the grid). */
  sampleCount: "number.integer > 0 = 64",
  /** Write a line to the JSONL log and TensorBoard every N steps. */
  logEvery: "number.integer > 0 = 1",
  /** Divergence guard: |loss| above this fails training (default 1e6 for BCE-like losses, 1e9 for wgan/wgan-gp). */
  "maxLoss?": "number > 0",
  /** Divergence guard: |loss| above this many times the largest of the first 20 steps fails training (default 1e4; 0 = off). */
  "lossGrowthLimit?": "number >= 0",
  /** Both players' optimiser: Adam (`adam`, the default) or RMSProp (`rmsprop`; the original WGAN, with `weightClipping`). */
  "optimizer?": "'adam' | 'rmsprop'",
  /** RMSProp's settings when `optimizer` is `rmsprop` (PyTorch's defaults: alpha 0.99, epsilon 1e-8). */
  "rmsprop?": RmsPropConfig,
  /** Clamp the critic's weights to [−c, c] after each of its updates (the original WGAN: 0.01). */
  "weightClipping?": "number > 0",
  /** The learning rate over the run (see `learning-rate-schedule.ts`); absent: constant. */
  "learningRateSchedule?": LearningRateSchedule,
  /** Score the generator every N steps against the stage's `reference` input (see `live-metrics.ts`). */
  "liveMetrics?": LiveMetricsConfig,
  /** Stop on a plateau or divergence of a live metric or a loss (see `early-stopping.ts`). */
  "earlyStopping?": EarlyStoppingConfig,
}).narrow((config, ctx) => {
  const runProblem = trainingRunProblem(config)
  if (runProblem !== undefined) return ctx.reject(runProblem)
  // the architecture-level tricks change the model, so they need an architecture that has the layer
  const arch = config.model.architecture
  if (config.tricks.minibatchDiscrimination !== undefined && arch !== "vanilla" && arch !== "keras-mnist") {
    return ctx.reject({ path: ["tricks", "minibatchDiscrimination"], expected: "absent unless model.architecture is vanilla or keras-mnist (MLP D)", actual: `set with ${arch}` })
  }
  if (config.tricks.instanceNorm && arch !== "dcgan") {
    return ctx.reject({ path: ["tricks", "instanceNorm"], expected: "false unless model.architecture is dcgan", actual: `true with ${arch}` })
  }
  return true
})

/** A validated config with every default filled in. */
export type TrainConfig = typeof TrainConfig.infer
/** What a caller may pass: the config with defaulted fields optional. */
export type TrainConfigInput = typeof TrainConfig.inferIn

/**
 * Validates a config and fills the defaults: the boundary for callers holding unchecked input (a pipeline stage's
 * params are validated by the plan instead). Throws {@link TrainConfigInvalid} naming the offending fields.
 */
export const parseTrainConfig = (input: unknown): TrainConfig => {
  const out = TrainConfig(input)
  if (out instanceof type.errors) throw new TrainConfigInvalid({ reason: out.summary })
  return out
}

/** The model spec with the architecture-level tricks (minibatch discrimination, instance norm) folded in. */
export const ganSpecOf = (config: TrainConfig): GanSpec => {
  const { minibatchDiscrimination, instanceNorm } = config.tricks
  const model = config.model
  if (minibatchDiscrimination !== undefined && (model.architecture === "vanilla" || model.architecture === "keras-mnist")) {
    return { ...model, options: { ...model.options, minibatchDiscrimination } }
  }
  if (instanceNorm && model.architecture === "dcgan") return { ...model, options: { ...model.options, discriminatorNorm: "instance" } }
  return model
}
