/**
 * Early stopping: a training run watches one value — a live metric (FID every N steps) or a loss — and stops, keeping
 * the checkpoints it wrote, when the value has not improved by `minDelta` for `patience` evaluations in a row (a
 * plateau) or, after `warmupSteps`, is worse than `threshold` (divergence: FID above 200, a generator loss above 20).
 * The reason is recorded in the training stage's value, its log and TensorBoard. The watcher's state is plain JSON,
 * saved with every checkpoint, so a resumed run stops exactly where an uninterrupted one would.
 */
import { type } from "arktype"

/** The early-stopping config (`train.earlyStopping`). */
export const EarlyStoppingConfig = type({
  "+": "reject",
  /** What to watch: a live metric by name (`fid`, `kid`, `is`) or a loss (`loss_generator`, `loss_discriminator`). */
  watch: "string = 'fid'",
  /** Whether lower (FID, KID, losses) or higher (IS) is better. */
  mode: "'min' | 'max' = 'min'",
  /** Evaluations without an improvement of at least `minDelta` before stopping; 0 = never stop on a plateau. */
  patience: "number.integer >= 0 = 0",
  minDelta: "number >= 0 = 0",
  /** Divergence: stop when the value is worse than this (above it for `min`, below for `max`) after `warmupSteps`. */
  "threshold?": "number",
  /** Steps before the threshold applies (early FID is high on every run). */
  warmupSteps: "number.integer >= 0 = 0",
})

/** A validated early-stopping config. */
export type EarlyStoppingConfig = typeof EarlyStoppingConfig.infer

/** Why a run stopped early. */
export interface EarlyStop {
  readonly step: number
  readonly reason: "plateau" | "diverged"
  /** One sentence for logs and records: `fid 231.4 above the threshold 200 at step 1200 (after the 500-step warm-up)`. */
  readonly message: string
}

/** The watcher's state, as saved with a checkpoint. */
export interface EarlyStoppingState {
  readonly best: number | null
  readonly bestStep: number | null
  /** Evaluations since the last improvement. */
  readonly stale: number
  readonly stopped: EarlyStop | null
}

const fresh: EarlyStoppingState = { best: null, bestStep: null, stale: 0, stopped: null }

/** Watches one value over training (see the module doc). */
export class EarlyStopping {
  private current: EarlyStoppingState

  constructor(readonly config: EarlyStoppingConfig, state: EarlyStoppingState = fresh) {
    this.current = state
  }

  /** Whether `name` (a metric key such as `fid@random-cnn-seed0`, or `loss_generator`) is the watched value. */
  watches(name: string): boolean {
    return name === this.config.watch || name.split("@")[0] === this.config.watch
  }

  /** Observe the value at `step`; returns the stop when this observation ends the run (and every later call too). */
  observe(step: number, value: number): EarlyStop | undefined {
    if (this.current.stopped !== null) return this.current.stopped
    const { mode, patience, minDelta, threshold, warmupSteps, watch } = this.config
    const worse = (a: number, b: number) => (mode === "min" ? a > b : a < b)
    let stopped: EarlyStop | null = null
    if (!Number.isFinite(value)) stopped = { step, reason: "diverged", message: `${watch} is ${value} at step ${step}` }
    else if (threshold !== undefined && step >= warmupSteps && worse(value, threshold)) {
      stopped = { step, reason: "diverged", message: `${watch} ${Number(value.toPrecision(5))} ${mode === "min" ? "above" : "below"} the threshold ${threshold} at step ${step}${warmupSteps > 0 ? ` (after the ${warmupSteps}-step warm-up)` : ""}` }
    }
    const improved = Number.isFinite(value) && (this.current.best === null || (mode === "min" ? value < this.current.best - minDelta : value > this.current.best + minDelta))
    const stale = improved ? 0 : this.current.stale + 1
    if (stopped === null && patience > 0 && stale >= patience) {
      stopped = { step, reason: "plateau", message: `${watch} did not improve on ${Number(this.current.best!.toPrecision(5))} (step ${this.current.bestStep}) by more than ${minDelta} in ${patience} evaluations (step ${step})` }
    }
    this.current = {
      best: improved ? value : this.current.best,
      bestStep: improved ? step : this.current.bestStep,
      stale,
      stopped,
    }
    return stopped ?? undefined
  }

  /** The state to save with a checkpoint (plain JSON). */
  state(): EarlyStoppingState {
    return this.current
  }
}
