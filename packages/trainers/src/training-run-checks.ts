/**
 * Checks across the run settings' fields that a schema of one field cannot make (the config's `narrow`): a linear
 * decay must start before the last step, and early stopping must watch a value the run produces — the live metric
 * (`liveMetrics.metric`) or a phase's loss (`loss_generator`, `loss_discriminator`, `loss_<phase>`).
 */
import type { EarlyStoppingConfig } from "./early-stopping.ts"
import { type LearningRateSchedule, scheduleProblem } from "./learning-rate-schedule.ts"
import type { LiveMetricsConfig } from "./live-metrics.ts"

/** What is wrong, as arktype's `ctx.reject` takes it, or undefined. */
export const trainingRunProblem = (settings: {
  readonly steps: number
  readonly learningRateSchedule?: LearningRateSchedule | undefined
  readonly liveMetrics?: LiveMetricsConfig | undefined
  readonly earlyStopping?: EarlyStoppingConfig | undefined
}): { readonly path: string[]; readonly expected: string; readonly actual: string } | undefined => {
  if (settings.learningRateSchedule !== undefined) {
    const problem = scheduleProblem(settings.learningRateSchedule, settings.steps, Number.POSITIVE_INFINITY)
    if (problem !== undefined) return { path: ["learningRateSchedule"], expected: "a schedule that fits the run's steps", actual: problem }
  }
  const watch = settings.earlyStopping?.watch
  if (watch !== undefined && !watch.startsWith("loss_") && settings.liveMetrics?.metric !== watch.split("@")[0]) {
    return {
      path: ["earlyStopping", "watch"],
      expected: `a loss (loss_generator, loss_discriminator) or the live metric${settings.liveMetrics === undefined ? " (set liveMetrics)" : ` (${settings.liveMetrics.metric})`}`,
      actual: watch,
    }
  }
  return undefined
}
