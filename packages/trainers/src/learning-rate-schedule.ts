/**
 * Learning-rate schedules, as the papers and PyTorch define them, evaluated from the step count alone (so a run
 * resumed from a checkpoint at step t continues with exactly the rate an uninterrupted run has at t; nothing but the
 * step needs saving). `t` is the number of updates done; the rate returned is the one the next update uses, as PyTorch
 * gives it after `t` calls of `scheduler.step()` (one per training step):
 *
 * - `constant`: η₀.
 * - `linear-decay` (CycleGAN, Zhu et al. 2017; `networks.get_scheduler('linear')`): η₀ for `startStep` steps, then
 *   linearly towards 0 over the rest of the run: η₀ · (1 − max(0, t + 1 − start) / (steps − start + 1)).
 * - `cosine` (`CosineAnnealingLR`, Loshchilov & Hutter 2017): η_min + (η₀ − η_min) · (1 + cos(π t / steps)) / 2.
 * - `step` (`StepLR`): η₀ · γ^⌊t / every⌋.
 */
import { type } from "arktype"

/** A schedule, by `kind`, with its own options. */
export const LearningRateSchedule = type({ "+": "reject", kind: "'constant'" })
  .or({
    "+": "reject",
    kind: "'linear-decay'",
    /** Steps at the full rate before the decay starts (CycleGAN: `n_epochs`, half the run). */
    startStep: "number.integer >= 0",
  })
  .or({
    "+": "reject",
    kind: "'cosine'",
    /** The rate reached at the end (`eta_min`). */
    minLearningRate: "number >= 0 = 0",
  })
  .or({
    "+": "reject",
    kind: "'step'",
    /** Steps between decays (`step_size`). */
    every: "number.integer > 0",
    /** Multiplier at each decay (`gamma`). */
    factor: "0 < number <= 1 = 0.1",
  })

/** A validated schedule. */
export type LearningRateSchedule = typeof LearningRateSchedule.infer

/** The constant schedule (the default). */
export const constantSchedule: LearningRateSchedule = { kind: "constant" }

/**
 * The rate for the update after `step` updates, of a run of `totalSteps` with base rate `base` (see the module doc).
 * Never negative; past `totalSteps` the decaying schedules hold their last value's rule (linear decay stops at 0).
 */
export const learningRateAt = (schedule: LearningRateSchedule, base: number, step: number, totalSteps: number): number => {
  switch (schedule.kind) {
    case "constant":
      return base
    case "linear-decay": {
      const decaySteps = Math.max(0, totalSteps - schedule.startStep)
      return base * Math.max(0, 1 - Math.max(0, step + 1 - schedule.startStep) / (decaySteps + 1))
    }
    case "cosine": {
      const t = Math.min(step, totalSteps)
      return schedule.minLearningRate + ((base - schedule.minLearningRate) * (1 + Math.cos((Math.PI * t) / totalSteps))) / 2
    }
    case "step":
      return base * schedule.factor ** Math.floor(step / schedule.every)
  }
}

/** What is wrong with a schedule for a run of `totalSteps`, if anything (the config's cross-field check). */
export const scheduleProblem = (schedule: LearningRateSchedule, totalSteps: number, base: number): string | undefined => {
  if (schedule.kind === "linear-decay" && schedule.startStep >= totalSteps) return `startStep ${schedule.startStep} is not before the last step (${totalSteps}): the rate would never decay`
  if (schedule.kind === "cosine" && schedule.minLearningRate > base) return `minLearningRate ${schedule.minLearningRate} is above the base rate ${base}`
  return undefined
}
