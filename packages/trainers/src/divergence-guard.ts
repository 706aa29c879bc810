/**
 * The divergence guard: a loss that is NaN or infinite, above an absolute bound, or grown by orders of magnitude
 * over its warm-up values ends training as {@link TrainingDiverged} when the losses are read back (once per log
 * interval and before every checkpoint, so no checkpoint holds diverged weights; see `pending-losses.ts`). A finite
 * loss of 1e33 is as diverged as NaN; without the guard such a run trained on and reported success.
 */
import { TrainingDiverged } from "./errors.ts"
import type { TrainConfig } from "./train-config.ts"

/** The guard's bounds; absent fields take the defaults below. */
export interface DivergenceLimits {
  /** |loss| above this fails training (default 1e6). */
  readonly maxLoss?: number
  /** |loss| above this many times the warm-up's largest fails training (default {@link defaultLossGrowthLimit}; 0 = off). */
  readonly lossGrowthLimit?: number
}

/** Steps whose losses set each phase's baseline for the growth check. */
export const divergenceWarmupSteps = 20

/** The absolute bound on |loss| by loss family: BCE-like losses live near 1, Wasserstein critics can range wider. */
export const defaultMaxLoss = (loss: TrainConfig["loss"]): number => (loss === "wgan" || loss === "wgan-gp" ? 1e9 : 1e6)

/** Default growth limit: |loss| above this many times the largest |loss| of the warm-up is divergence. */
export const defaultLossGrowthLimit = 1e4

/** Checks each phase's loss against the bound and the warm-up baseline. One guard per training run. */
export class DivergenceGuard {
  private readonly maxLoss: number
  private readonly growthLimit: number
  private readonly warmup = new Map<string, { seen: number; largest: number }>()

  constructor(limits: DivergenceLimits) {
    this.maxLoss = limits.maxLoss ?? 1e6
    this.growthLimit = limits.lossGrowthLimit ?? defaultLossGrowthLimit
  }

  /** Returns `value` when it is acceptable; throws {@link TrainingDiverged} naming the step, phase and rule otherwise. */
  check(value: number, step: number, phase: string): number {
    if (!Number.isFinite(value)) throw new TrainingDiverged({ step, phase, value })
    const size = Math.abs(value)
    if (size > this.maxLoss) throw new TrainingDiverged({ step, phase, value, reason: `above the bound ${this.maxLoss} (train.maxLoss)` })
    const w = this.warmup.get(phase) ?? { seen: 0, largest: 0 }
    if (w.seen < divergenceWarmupSteps) {
      this.warmup.set(phase, { seen: w.seen + 1, largest: Math.max(w.largest, size) })
    } else if (this.growthLimit > 0) {
      const baseline = Math.max(1, w.largest)
      if (size > this.growthLimit * baseline) {
        throw new TrainingDiverged({ step, phase, value, reason: `${(size / baseline).toExponential(1)} times its first ${divergenceWarmupSteps} steps' largest (train.lossGrowthLimit ${this.growthLimit})` })
      }
    }
    return value
  }
}
