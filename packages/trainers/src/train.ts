import { join } from "node:path"
import { SeededRandom } from "@ganflow/data"
import { buildGan, type GanModels } from "@ganflow/models"
import * as tf from "@tensorflow/tfjs-core"
import { loadCheckpoint, saveCheckpoint } from "./checkpoint-format.ts"
import { TrainingDataInvalid } from "./errors.ts"
import { PendingLosses } from "./pending-losses.ts"
import { createPlayers, disposePlayers, type GanPlayers } from "./gan-players.ts"
import { sampleLatents } from "./latent-sampler.ts"
import { renderSampleGrid, type SampleGrid, writeSampleGrid } from "./sample-grid.ts"
import { StepLog } from "./step-log.ts"
import { TensorBoardWriter } from "./tensorboard-events.ts"
import { ganSpecOf, type TrainConfig } from "./train-config.ts"
import { type DiscriminatorPhaseResult, discriminatorPhase, generatorPhase, type StepLosses } from "./train-step.ts"
import { StepRate, type TrainingProgress } from "./training-progress.ts"
import { type Batch, ShuffledBatches, type TrainingSet } from "./training-set.ts"

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

/** Seed offset of the fixed latent batch used for sample grids (independent of the training draws). */
const SAMPLE_SEED_OFFSET = 0x5eed

/**
 * Trains a GAN: builds the models from `config.model` with `config.seed`, then runs generator steps up to
 * `config.steps`, each one visibly two phases — `discriminatorSteps` D updates on a real batch and a detached fake
 * batch, then one G update (see `train-step.ts`). Deterministic: the same config, seed and backend give the same
 * weights; resuming from a checkpoint gives exactly the weights of an uninterrupted run.
 *
 * Fails (rejects) with `TrainingDataInvalid`, `CheckpointInvalid`, or `TrainingDiverged`
 * (a NaN/Inf loss, with its step; losses are read once per log interval and always before a checkpoint, so the
 * checkpoints already written stay valid).
 */
export const train = async (options: TrainOptions): Promise<TrainedGan> => {
  const config = options.config
  const models = buildGan(ganSpecOf(config), config.seed)
  let players: GanPlayers | undefined
  let batches: ShuffledBatches | undefined
  const fixed: tf.Tensor[] = []
  let pending: PendingLosses | undefined
  try {
    checkData(options.data, models)
    players = createPlayers(models, config)
    let step = 0
    let random = new SeededRandom(config.seed)
    let cursor = { epoch: 0, position: 0 }
    let losses: StepLosses | undefined
    if (options.resumeFrom) {
      const state = loadCheckpoint(options.resumeFrom, players)
      step = state.step
      random = SeededRandom.fromState(state.random)
      cursor = state.dataCursor
      if (state.losses) losses = state.losses
    }
    batches = new ShuffledBatches(options.data, config.batchSize, config.seed, cursor)

    const sampleRandom = new SeededRandom(config.seed + SAMPLE_SEED_OFFSET)
    const sampleZ = sampleLatents(sampleRandom, config.sampleCount, models.latentDim)
    const sampleY = models.numClasses === undefined ? undefined : labelsInOrder(config.sampleCount, models.numClasses)
    fixed.push(sampleZ, ...(sampleY ? [sampleY] : []))

    const log = options.logDir ? new StepLog(join(options.logDir, "steps.jsonl"), step) : undefined
    const board = options.logDir ? new TensorBoardWriter(join(options.logDir, "tensorboard")) : undefined
    const rate = new StepRate()
    const checkpoints: string[] = []
    const queue = new PendingLosses()
    pending = queue

    const checkpoint = async (done: number, last: StepLosses) => {
      if (!options.checkpointDir) return
      const dir = join(options.checkpointDir, `step-${String(done).padStart(6, "0")}`)
      await saveCheckpoint(dir, players!, {
        step: done,
        dataCursor: batches!.cursor(),
        random: random.state(),
        losses: { discriminator: last.discriminator, generator: last.generator },
      })
      checkpoints.push(dir)
      await options.onCheckpoint?.({ step: done, dir })
    }

    // the adaptive D update's accuracy and skip of each step not yet logged (plain numbers: read at the decision)
    const adaptive = new Map<number, { readonly dAccuracy: number; readonly dSkipped: boolean }>()
    // losses stay on the backend until a log interval, a sample, a checkpoint or the end: then one read for all
    const flush = async () => {
      for (const read of await queue.read(players!.divergence)) {
        const adaptiveStep = adaptive.get(read.step)
        adaptive.delete(read.step)
        const accuracy = adaptiveStep ?? {}
        losses = { discriminator: read.discriminator, generator: read.generator, ...(read.gradientPenalty === undefined ? {} : { gradientPenalty: read.gradientPenalty }) }
        if (read.step % config.logEvery === 0 || read.step === config.steps) {
          const penalty = read.gradientPenalty === undefined ? {} : { gradientPenalty: read.gradientPenalty }
          log?.append({ step: read.step, time: Date.now() / 1000, stepMs: read.stepMs, dLoss: read.discriminator, gLoss: read.generator, ...penalty, ...accuracy })
          board?.scalars(read.step, {
            "loss/discriminator": read.discriminator,
            "loss/generator": read.generator,
            "time/step_ms": read.stepMs,
            ...(read.gradientPenalty === undefined ? {} : { "loss/gradient_penalty": read.gradientPenalty }),
            ...(adaptiveStep ? { "discriminator/accuracy": adaptiveStep.dAccuracy, "discriminator/skipped": adaptiveStep.dSkipped ? 1 : 0 } : {}),
          })
        }
      }
    }

    while (step < config.steps) {
      const started = performance.now()
      // Phase 1: discriminator updates on real and detached fake batches
      let real: Batch | undefined
      let d: DiscriminatorPhaseResult | undefined
      for (let k = 0; k < config.discriminatorSteps; k++) {
        if (real) tf.dispose([real.images, real.labels].filter((t): t is tf.Tensor => t !== undefined))
        if (d) tf.dispose([d.discriminator, d.gradientPenalty].filter((t): t is tf.Scalar => t !== undefined))
        real = batches.next()
        d = await discriminatorPhase(players, real, random, config)
      }
      // Phase 2: one generator update through the (now fixed) discriminator
      let g: tf.Scalar
      try {
        g = generatorPhase(players, real!, random, config)
      } catch (error) {
        tf.dispose([d!.discriminator, d!.gradientPenalty].filter((t): t is tf.Scalar => t !== undefined))
        throw error
      } finally {
        tf.dispose([real!.images, real!.labels].filter((t): t is tf.Tensor => t !== undefined))
      }
      step++
      const now = performance.now()
      if (d!.discriminatorAccuracy !== undefined) adaptive.set(step, { dAccuracy: d!.discriminatorAccuracy, dSkipped: d!.discriminatorSkipped! })
      queue.push(step, now - started, { discriminator: d!.discriminator, generator: g, ...(d!.gradientPenalty ? { gradientPenalty: d!.gradientPenalty } : {}) })

      const sampleDue = config.sampleEvery > 0 && (step % config.sampleEvery === 0 || step === config.steps) && models.imageShape.length === 3
      const checkpointDue = (config.checkpointEvery > 0 && step % config.checkpointEvery === 0) || step === config.steps
      if (step % config.logEvery === 0 || sampleDue || checkpointDue) await flush()
      const stepsPerSecond = rate.tick(now)
      if (losses) {
        options.onProgress?.({
          step,
          totalSteps: config.steps,
          stepsPerSecond,
          etaSeconds: stepsPerSecond > 0 ? (config.steps - step) / stepsPerSecond : Infinity,
          losses: { discriminator: losses.discriminator, generator: losses.generator },
        })
      }
      // one event-loop turn per step: stages running beside this one in the process (reference statistics, say)
      // progress between steps instead of waiting for the whole training, and Ctrl-C is seen at once
      await new Promise<void>((resolve) => setImmediate(resolve))
      if (sampleDue) {
        const grid = await renderSampleGrid(models, sampleZ, sampleY, step)
        if (options.logDir) writeSampleGrid(join(options.logDir, "samples"), grid)
        options.onSample?.(grid)
      }
      if (checkpointDue) await checkpoint(step, losses!)
    }

    const kept = players
    const ema = kept.generatorEma?.averages.map((a) => tf.clone(a))
    tf.dispose(fixed)
    batches.dispose()
    disposePlayers(kept, true)
    return {
      config,
      models,
      step,
      ...(losses ? { losses } : {}),
      ...(ema ? { generatorEma: ema } : {}),
      checkpoints,
      dispose: () => {
        if (ema) tf.dispose(ema)
        models.generator.dispose()
        models.discriminator.dispose()
      },
    }
  } catch (error) {
    pending?.dispose()
    tf.dispose(fixed)
    batches?.dispose()
    if (players) disposePlayers(players)
    else {
      models.generator.dispose()
      models.discriminator.dispose()
    }
    throw error
  }
}

const checkData = (data: TrainingSet, models: GanModels) => {
  const shape = data.images.shape.slice(1)
  if (!tf.util.arraysEqual(shape, [...models.imageShape]))
    throw new TrainingDataInvalid({ reason: `images are [${shape}] but the ${models.generator.name} makes [${models.imageShape}]` })
  if (models.numClasses !== undefined && !data.labels) throw new TrainingDataInvalid({ reason: `the conditional model needs labels` })
}

/** Labels 0, 1, …, K-1, 0, 1, … for the sample grid of a conditional model (one class per column when n = K²). */
const labelsInOrder = (n: number, numClasses: number): tf.Tensor2D =>
  tf.tensor2d(Array.from({ length: n }, (_, i) => i % numClasses), [n, 1])

