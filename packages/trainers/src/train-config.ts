import type { GanSpec } from "@ganflow/models"
import { type } from "arktype"
import { TrainConfigInvalid } from "./errors.ts"

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
  "minibatchDiscrimination?": { numKernels: "number.integer > 0", kernelDim: "number.integer > 0" },
  /** Use instance norm instead of batch norm in D (DCGAN architecture). */
  instanceNorm: "boolean = false",
})

/** Adam hyper-parameters shared by both players (learning rates are separate, see the config). */
export const AdamConfig = type({
  "+": "reject",
  beta1: "0 <= number < 1 = 0.5",
  beta2: "0 <= number < 1 = 0.999",
  epsilon: ["number > 0", "=", 1e-8],
})

/**
 * The trainer's config: one schema with defaults; unknown keys are errors. `steps` counts generator steps.
 * `steps` is the budget: it is not part of what a checkpoint must match, so raising it continues a run.
 */
export const TrainConfig = type({
  "+": "reject",
  /** The GAN to build (see `@ganflow/models` `buildGan`): architecture name, its options, optional WGAN critic. */
  model: {
    architecture: "'vanilla' | 'keras-mnist' | 'dcgan' | 'gan3d' | 'conditional' | 'conditional-dcgan'",
    "options?": "Record<string, unknown>",
    "critic?": "'wgan' | 'wgan-layer-norm'",
  },
  /** Number of generator steps to reach. */
  steps: "number.integer > 0",
  /** Images per batch, for D and for G. */
  batchSize: "number.integer > 0 = 64",
  /** Seed of initial weights, data order, latents and every other random draw. */
  seed: "number.integer >= 0 = 0",
  /** Adversarial loss, by name (see `adversarialLosses`). */
  loss: "'bce' | 'minimax' | 'least-squares' | 'hinge' | 'wgan' | 'wgan-gp' = 'bce'",
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
})

/** A validated config with every default filled in. */
export type TrainConfig = typeof TrainConfig.infer
/** What a caller may pass: the config with defaulted fields optional. */
export type TrainConfigInput = typeof TrainConfig.inferIn

/** Validates a config and fills the defaults; throws {@link TrainConfigInvalid} naming the offending fields. */
export const parseTrainConfig = (input: unknown): TrainConfig => {
  const out = TrainConfig(input)
  if (out instanceof type.errors) throw new TrainConfigInvalid({ reason: out.summary })
  return out
}

/** The model spec with the architecture-level tricks (minibatch discrimination, instance norm) folded in. */
export const ganSpecOf = (config: TrainConfig): GanSpec => {
  const options: Record<string, unknown> = { ...config.model.options }
  const { minibatchDiscrimination, instanceNorm } = config.tricks
  const arch = config.model.architecture
  if (minibatchDiscrimination) {
    if (arch !== "vanilla" && arch !== "keras-mnist") throw new TrainConfigInvalid({ reason: `tricks.minibatchDiscrimination needs an MLP architecture, not ${arch}` })
    options["minibatchDiscrimination"] = minibatchDiscrimination
  }
  if (instanceNorm) {
    if (arch !== "dcgan") throw new TrainConfigInvalid({ reason: `tricks.instanceNorm needs the dcgan architecture, not ${arch}` })
    options["discriminatorNorm"] = "instance"
  }
  return { ...config.model, options } as GanSpec
}
