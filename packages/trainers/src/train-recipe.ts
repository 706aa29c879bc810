import { join } from "node:path"
import { SeededRandom } from "@ganflow/data"
import * as tf from "@tensorflow/tfjs-core"
import { type } from "arktype"
import { loadCheckpoint, saveCheckpoint } from "./checkpoint-format.ts"
import { createPlayers, disposePlayers, type GanPlayers } from "./gan-players.ts"
import { PendingLosses } from "./pending-losses.ts"
import type { Networks, RecipeInstance } from "./recipe.ts"
import { renderSampleGrid, type SampleGrid, writeSampleGrid } from "./sample-grid.ts"
import { StepLog, type StepRecord } from "./step-log.ts"
import { TensorBoardWriter } from "./tensorboard-events.ts"
import { trainingStep } from "./train-step.ts"
import { StepRate, type RunProgress } from "./training-progress.ts"
import { BatchStreams, type TrainingData } from "./training-set.ts"
import { type EarlyStop, type EarlyStopping, EarlyStoppingConfig } from "./early-stopping.ts"
import { TrainConfigInvalid } from "./errors.ts"
import { LearningRateSchedule, learningRateAt } from "./learning-rate-schedule.ts"
import { LiveMetricsConfig } from "./live-metrics.ts"

/**
 * The fields of a training run that every recipe's config shares (merge them into a recipe's schema:
 * `TrainingRunSettings.merge({ ... })`): the step budget, batch size, seed, and how often to log, sample and
 * checkpoint. `steps` is the budget: it is not part of what a checkpoint must match, so raising it continues a run.
 */
export const TrainingRunSettings = type({
  "+": "reject",
  /** Number of training steps to reach. */
  steps: "number.integer > 0",
  /** Examples per batch. */
  batchSize: "number.integer > 0 = 64",
  /** Seed of initial weights, data order, latents and every other random draw. */
  seed: "number.integer >= 0 = 0",
  /** Save a checkpoint every N steps (and at the end); 0 = only at the end. */
  checkpointEvery: "number.integer >= 0 = 0",
  /** Render the fixed-input sample grid every N steps (and at the end); 0 = never. */
  sampleEvery: "number.integer >= 0 = 0",
  /** Images in the sample grid (a square number fills the grid). */
  sampleCount: "number.integer > 0 = 64",
  /** Write a line to the JSONL log and TensorBoard every N steps. */
  logEvery: "number.integer > 0 = 1",
  /** Divergence guard: |phase loss| above this fails training (default: the recipe's, else 1e6). */
  "maxLoss?": "number > 0",
  /** Divergence guard: |loss| above this many times the largest of the first 20 steps fails training (default 1e4; 0 = off). */
  "lossGrowthLimit?": "number >= 0",
  /** The learning rate over the run, for every optimiser (constant, CycleGAN's linear decay, cosine, step; `learning-rate-schedule.ts`). */
  "learningRateSchedule?": LearningRateSchedule,
  /** Score the generator every N steps against the stage's `reference` input (`live-metrics.ts`). */
  "liveMetrics?": LiveMetricsConfig,
  /** Stop on a plateau or divergence of a live metric or a loss (`early-stopping.ts`). */
  "earlyStopping?": EarlyStoppingConfig,
})
/** {@link TrainingRunSettings} with defaults filled. */
export type TrainingRunSettings = typeof TrainingRunSettings.infer

/** What {@link trainRecipe} needs. */
export interface TrainRecipeOptions<N extends Networks> {
  /** The recipe built for this run's config and seed; its networks become the caller's (see the result). */
  readonly recipe: RecipeInstance<N>
  readonly settings: TrainingRunSettings
  /** The fields to train on; owned by the caller. */
  readonly data: TrainingData
  /** Folder that receives checkpoint folders `step-<000123>/` (see `checkpoint-format.ts`). None: no checkpoints. */
  readonly checkpointDir?: string
  /** A checkpoint folder to continue from (same config apart from `steps`). */
  readonly resumeFrom?: string
  /** Called after each checkpoint is complete on disk (the stage wrapper moves it into the store here). */
  readonly onCheckpoint?: (checkpoint: { readonly step: number; readonly dir: string }) => void | Promise<void>
  /** Called after every step (once losses have been read at least once). */
  readonly onProgress?: (progress: RunProgress) => void
  /** Called with each sample grid (every `sampleEvery` steps and at the end). */
  readonly onSample?: (grid: SampleGrid) => void
  /** Folder for `steps.jsonl`, `tensorboard/` event files and `samples/` grids. None: no files. */
  readonly logDir?: string
  /**
   * Live metrics: scores the networks every `every` steps (after that step's sample grid, before its checkpoint); the
   * values go to `steps.jsonl`, TensorBoard (`metrics/<name>`), the progress line and early stopping.
   */
  readonly evaluate?: {
    readonly every: number
    readonly run: (view: { readonly networks: N; readonly ema: ReadonlyMap<string, readonly tf.Tensor[]> }, step: number) => Promise<Readonly<Record<string, number>>>
  }
  /** Stops the run (after a checkpoint of the stopping step) on a plateau or divergence of a live metric or a `loss_<phase>`. */
  readonly earlyStopping?: EarlyStopping
}

/** The result of {@link trainRecipe}. The caller owns it: call {@link TrainedRecipe.dispose}. */
export interface TrainedRecipe<N extends Networks> {
  readonly networks: N
  /** Training steps done. */
  readonly step: number
  /** Losses of the last step run in this call (phase totals and `<phase>/<term>`; from the checkpoint when nothing was left to run). */
  readonly losses?: Readonly<Record<string, number>>
  /** EMA weights of the networks that have one, in `model.weights` order. */
  readonly ema: Readonly<Record<string, readonly tf.Tensor[]>>
  /** Checkpoint folders written by this call, oldest first. */
  readonly checkpoints: readonly string[]
  /** Why the run stopped before `steps`, when early stopping stopped it. */
  readonly stoppedEarly?: EarlyStop
  /** Frees the networks and the EMA copies. */
  readonly dispose: () => void
}

/** Seed offset of the fixed inputs of sample grids (independent of the training draws). */
const SAMPLE_SEED_OFFSET = 0x5eed

/** The log's name for a phase's total: `dLoss`/`gLoss` for the GAN players, `<phase>Loss` otherwise. */
const logNameOf = (name: string): string =>
  name === "discriminator" ? "dLoss" : name === "generator" ? "gLoss" : name.includes("/") ? name : `${name}Loss`

/**
 * Trains any recipe (`recipe.ts`): runs training steps up to `settings.steps`, each the recipe's phases in order
 * (see `train-step.ts`). Deterministic: the same recipe, config, seed and backend give the same weights; resuming
 * from a checkpoint gives exactly the weights of an uninterrupted run. Losses stay on the backend until a log
 * interval, a sample or a checkpoint, then are read in one transfer and checked by the divergence guard, so the
 * checkpoints already written stay valid.
 *
 * Fails (rejects) with `TrainingDataInvalid`, `CheckpointInvalid`, or `TrainingDiverged` (its step and phase).
 * The recipe's networks are freed on failure.
 */
export const trainRecipe = async <N extends Networks>(options: TrainRecipeOptions<N>): Promise<TrainedRecipe<N>> => {
  const { recipe, settings } = options
  let players: GanPlayers<N> | undefined
  const fixed: tf.Tensor[] = []
  const queue = new PendingLosses()
  try {
    recipe.checkData?.(options.data)
    players = createPlayers(recipe, { maxLoss: settings.maxLoss ?? recipe.maxLoss, ...(settings.lossGrowthLimit === undefined ? {} : { lossGrowthLimit: settings.lossGrowthLimit }) })
    let step = 0
    let random = new SeededRandom(settings.seed)
    let cursors: readonly { epoch: number; position: number }[] = []
    let losses: Readonly<Record<string, number>> | undefined
    if (options.resumeFrom) {
      const state = loadCheckpoint(options.resumeFrom, players)
      step = state.step
      random = SeededRandom.fromState(state.random)
      cursors = state.dataCursors
      if (state.losses) losses = state.losses
    }
    const batches = new BatchStreams(options.data, recipe.unpairedFields ?? [], settings.batchSize, settings.seed, cursors)
    // a schedule sets every optimiser's rate from the step alone, so a resumed run continues it exactly
    const schedule = settings.learningRateSchedule
    const baseRates = new Map<string, number>()
    if (schedule !== undefined) {
      for (const [name, l] of players.learning) {
        if (l.optimizer.learningRate === undefined) throw new TrainConfigInvalid({ reason: `learningRateSchedule: the ${l.optimizer.kind} optimiser of ${name} has no learning rate to schedule` })
        baseRates.set(name, l.optimizer.learningRate)
      }
    }
    const earlyStopping = options.earlyStopping
    let stop: EarlyStop | undefined = earlyStopping?.state().stopped ?? undefined
    let live: Readonly<Record<string, number>> = {}

    const sampler = recipe.sampler
    const sampleInputs = sampler ? sampler.draw(new SeededRandom(settings.seed + SAMPLE_SEED_OFFSET), settings.sampleCount) : {}
    fixed.push(...Object.values(sampleInputs))

    const log = options.logDir ? new StepLog(join(options.logDir, "steps.jsonl"), step) : undefined
    const board = options.logDir ? new TensorBoardWriter(join(options.logDir, "tensorboard")) : undefined
    const rate = new StepRate()
    const checkpoints: string[] = []
    // monitors (read at the decision) of each step not yet logged
    const monitored = new Map<number, Record<string, number>>()

    const flush = async () => {
      const reads = await queue.read(players!.divergence)
      for (const read of reads) {
        const monitors = monitored.get(read.step) ?? {}
        monitored.delete(read.step)
        losses = read.losses
        if (read.step % settings.logEvery !== 0 && read.step !== settings.steps) continue
        const record: Record<string, number | boolean> = { step: read.step, time: Date.now() / 1000, stepMs: read.stepMs }
        for (const [name, value] of Object.entries(read.losses)) record[logNameOf(name)] = value
        // the names the GAN trainer has always logged
        if (read.losses["discriminator/gradient-penalty"] !== undefined) record.gradientPenalty = read.losses["discriminator/gradient-penalty"]
        if (monitors["discriminator/accuracy"] !== undefined) {
          record.dAccuracy = monitors["discriminator/accuracy"]
          record.dSkipped = monitors["discriminator/skipped"] === 1
        } else for (const [name, value] of Object.entries(monitors)) record[name] = value
        const rates = schedule === undefined ? {} : Object.fromEntries([...players!.learning].map(([name, l]) => [`learningRate/${name}`, l.optimizer.learningRate!]))
        Object.assign(record, rates)
        log?.append(record as unknown as StepRecord)
        board?.scalars(read.step, {
          ...Object.fromEntries(Object.entries(read.losses).map(([name, value]) => [`loss/${name}`, value])),
          "time/step_ms": read.stepMs,
          ...monitors,
          ...rates,
        })
      }
      // early stopping on a loss sees every step's phase totals
      for (const read of reads) {
        for (const [phase, value] of Object.entries(read.losses)) {
          if (!phase.includes("/") && earlyStopping?.watches(`loss_${phase}`)) stop ??= earlyStopping.observe(read.step, value)
        }
      }
    }

    const checkpoint = async (done: number) => {
      if (!options.checkpointDir) return
      const dir = join(options.checkpointDir, `step-${String(done).padStart(6, "0")}`)
      await saveCheckpoint(dir, players!, { step: done, dataCursors: batches.cursors(), random: random.state(), ...(losses ? { losses } : {}) })
      checkpoints.push(dir)
      await options.onCheckpoint?.({ step: done, dir })
    }

    while (step < settings.steps && stop === undefined) {
      if (schedule !== undefined) for (const [name, l] of players.learning) l.optimizer.learningRate = learningRateAt(schedule, baseRates.get(name)!, step, settings.steps)
      const started = performance.now()
      const outcome = await trainingStep(players, batches, random)
      step++
      const now = performance.now()
      const tensors: Record<string, tf.Scalar> = {}
      const monitors: Record<string, number> = {}
      for (const [phase, o] of outcome) {
        tensors[phase] = o.total
        for (const [term, t] of Object.entries(o.terms)) tensors[`${phase}/${term}`] = t
        for (const [name, value] of Object.entries(o.monitors)) monitors[`${phase}/${name}`] = value
        if (players.recipe.phases.find((p) => p.name === phase)?.skipUpdate) monitors[`${phase}/skipped`] = o.skipped ? 1 : 0
      }
      queue.push(step, now - started, tensors)
      if (Object.keys(monitors).length > 0) monitored.set(step, monitors)

      const sampleDue = sampler !== undefined && settings.sampleEvery > 0 && (step % settings.sampleEvery === 0 || step === settings.steps)
      const checkpointDue = (settings.checkpointEvery > 0 && step % settings.checkpointEvery === 0) || step === settings.steps
      if (step % settings.logEvery === 0 || sampleDue || checkpointDue) await flush()
      const stepsPerSecond = rate.tick(now)
      if (losses) {
        options.onProgress?.({ step, totalSteps: settings.steps, stepsPerSecond, etaSeconds: stepsPerSecond > 0 ? (settings.steps - step) / stepsPerSecond : Infinity, losses, metrics: live })
      }
      // one event-loop turn per step: stages running beside this one in the process (reference statistics, say)
      // progress between steps instead of waiting for the whole training, and Ctrl-C is seen at once
      await new Promise<void>((resolve) => setImmediate(resolve))
      if (sampleDue) {
        const images = tf.tidy(() => sampler.generate(players!.networks, sampleInputs))
        const grid = await renderSampleGrid(images, sampler.outputRange, step)
        if (options.logDir) writeSampleGrid(join(options.logDir, "samples"), grid)
        options.onSample?.(grid)
      }
      const evaluate = options.evaluate
      if (evaluate !== undefined && step % evaluate.every === 0) {
        const ema = new Map([...players.ema].map(([name, average]) => [name, average.averages]))
        live = await evaluate.run({ networks: players.networks, ema }, step)
        log?.append({ step, time: Date.now() / 1000, ...live } as unknown as StepRecord)
        board?.scalars(step, Object.fromEntries(Object.entries(live).map(([name, value]) => [`metrics/${name}`, value])))
        for (const [name, value] of Object.entries(live)) if (earlyStopping?.watches(name)) stop ??= earlyStopping.observe(step, value)
      }
      // a stopped run keeps a checkpoint of where it stopped (and every one before)
      if (checkpointDue || stop !== undefined) await checkpoint(step)
    }

    const kept = players
    const ema = Object.fromEntries([...kept.ema].map(([name, average]) => [name, average.averages.map((a) => tf.clone(a))]))
    tf.dispose(fixed)
    disposePlayers(kept, true)
    return {
      networks: kept.networks,
      step,
      ...(losses ? { losses } : {}),
      ema,
      checkpoints,
      ...(stop === undefined ? {} : { stoppedEarly: stop }),
      dispose: () => {
        tf.dispose(Object.values(ema).flat())
        for (const network of Object.values(kept.networks)) network.dispose()
      },
    }
  } catch (error) {
    queue.dispose()
    tf.dispose(fixed)
    if (players) disposePlayers(players)
    else {
      recipe.state?.dispose()
      for (const network of Object.values(recipe.networks)) network.dispose()
    }
    throw error
  }
}
