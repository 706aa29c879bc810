import { buildGan, type GanModels } from "@ganflow/models"
import type * as tf from "@tensorflow/tfjs-core"
import { adversarialInstance } from "./recipes/adversarial.ts"
import type { SampleGrid } from "./sample-grid.ts"
import { ganSpecOf, type TrainConfig } from "./train-config.ts"
import { trainRecipe } from "./train-recipe.ts"
import type { TrainingProgress } from "./training-progress.ts"
import type { TrainingSet } from "./training-set.ts"

/** What {@link train} needs. Only `config` and `data` are required. */
export interface TrainOptions {
  /** The training config, validated with defaults filled (a stage's params, or `parseTrainConfig(input)`). */
  readonly config: TrainConfig
  /** The images (and labels) to train on; owned by the caller. */
  readonly data: TrainingSet
  /** Folder that receives checkpoint folders `step-<000123>/` (see `checkpoint-format.ts`). None: no checkpoints. */
  readonly checkpointDir?: string
  /** A checkpoint folder to continue from (same config apart from `steps`). */
  readonly resumeFrom?: string
  /** Called after each checkpoint is complete on disk (the stage wrapper moves it into the store here). */
  readonly onCheckpoint?: (checkpoint: { readonly step: number; readonly dir: string }) => void | Promise<void>
  /** Called after every step. */
  readonly onProgress?: (progress: TrainingProgress) => void
  /** Called with each sample grid (every `sampleEvery` steps and at the end). */
  readonly onSample?: (grid: SampleGrid) => void
  /** Folder for `steps.jsonl`, `tensorboard/` event files and `samples/` grids. None: no files. */
  readonly logDir?: string
}

/** Losses of one step as plain numbers. */
export interface StepLosses {
  /** D's loss of the last discriminator update (penalties included). */
  readonly discriminator: number
  /** G's loss (penalties included). */
  readonly generator: number
  /** WGAN-GP's penalty term of the last D update, when used. */
  readonly gradientPenalty?: number
}

/** The result of {@link train}. The caller owns it: call {@link TrainedGan.dispose}. */
export interface TrainedGan {
  readonly config: TrainConfig
  readonly models: GanModels
  /** Generator steps done. */
  readonly step: number
  /** Losses of the last step run in this call (from the checkpoint when nothing was left to run). */
  readonly losses?: StepLosses
  /** EMA of G's weights in `generator.weights` order, when `tricks.generatorEma` is on. */
  readonly generatorEma?: readonly tf.Tensor[]
  /** Checkpoint folders written by this call, oldest first. */
  readonly checkpoints: readonly string[]
  /** Frees the models and all training state. */
  readonly dispose: () => void
}

const stepLossesOf = (losses: Readonly<Record<string, number>>): StepLosses => {
  const penalty = losses["discriminator/gradient-penalty"]
  return { discriminator: losses.discriminator ?? NaN, generator: losses.generator ?? NaN, ...(penalty === undefined ? {} : { gradientPenalty: penalty }) }
}

/**
 * Trains a classic GAN (recipe `adversarial`, see `recipes/adversarial.ts`): builds the models from `config.model`
 * with `config.seed`, then runs generator steps up to `config.steps`, each the recipe's two visible phases —
 * `discriminatorSteps` D updates on a real batch and a detached fake batch, then one G update (`train-step.ts`).
 * Deterministic, resumable (see `train-recipe.ts`). Fails (rejects) with `TrainingDataInvalid`,
 * `CheckpointInvalid`, or `TrainingDiverged`.
 */
export const train = async (options: TrainOptions): Promise<TrainedGan> => {
  const config = options.config
  const models = buildGan(ganSpecOf(config), config.seed)
  const trained = await trainRecipe({
    recipe: adversarialInstance(config, models),
    settings: config,
    data: options.data.labels ? { images: options.data.images, labels: options.data.labels } : { images: options.data.images },
    ...(options.checkpointDir === undefined ? {} : { checkpointDir: options.checkpointDir }),
    ...(options.resumeFrom === undefined ? {} : { resumeFrom: options.resumeFrom }),
    ...(options.onCheckpoint ? { onCheckpoint: options.onCheckpoint } : {}),
    ...(options.onProgress ? { onProgress: (p) => options.onProgress!({ ...p, losses: stepLossesOf(p.losses) }) } : {}),
    ...(options.onSample ? { onSample: options.onSample } : {}),
    ...(options.logDir === undefined ? {} : { logDir: options.logDir }),
  })
  const ema = trained.ema.generator
  return {
    config,
    models,
    step: trained.step,
    ...(trained.losses ? { losses: stepLossesOf(trained.losses) } : {}),
    ...(ema ? { generatorEma: ema } : {}),
    checkpoints: trained.checkpoints,
    dispose: trained.dispose,
  }
}
