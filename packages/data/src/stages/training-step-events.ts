/**
 * Reporting the steps of a training loop inside a stage: the loss as a run metric with its step and the stage's
 * progress, every `every` steps and at the last one.
 */
import type { StageEventsApi } from "@ganflow/core"

/** An `onStep(step, loss)` callback reporting to `events` (`metric("loss", loss, step)` and progress of `total`). */
export const reportTrainingSteps = (events: Pick<StageEventsApi, "metric" | "progress">, total: number, every = 10) =>
  (step: number, loss: number): void => {
    if (step % every === 0 || step === total - 1) {
      events.metric("loss", loss, step)
      events.progress({ step: step + 1, total })
    }
  }
