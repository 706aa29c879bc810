/**
 * Losses stay on the backend until a log interval: each step leaves its loss scalars here, and {@link PendingLosses.read}
 * fetches all of them with one asynchronous read. On a GPU backend a synchronous read per step would stall the
 * queue (and tfjs-backend-webgpu's `dataSync` needs a DOM canvas, which Node has not).
 */
import * as tf from "@tensorflow/tfjs-core"
import { TrainingDiverged } from "./errors.ts"

/** The loss tensors of one step, owned by {@link PendingLosses} once pushed. */
export interface StepLossTensors {
  readonly discriminator: tf.Scalar
  readonly generator: tf.Scalar
  readonly gradientPenalty?: tf.Scalar
}

/** One step's losses once read back, with the wall time the step took. */
export interface ReadLosses {
  readonly step: number
  readonly stepMs: number
  readonly discriminator: number
  readonly generator: number
  readonly gradientPenalty?: number
}

/** Judges one read-back loss: returns it, or throws {@link TrainingDiverged} (see `divergence-guard.ts`). */
export interface LossGuard {
  check(value: number, step: number, phase: "discriminator" | "generator"): number
}

/** The least guard: NaN and infinities are divergence. */
const finiteOnly: LossGuard = {
  check: (value, step, phase) => {
    if (!Number.isFinite(value)) throw new TrainingDiverged({ step, phase, value })
    return value
  },
}

/** The loss scalars of the steps since the last read, in step order. */
export class PendingLosses {
  private pending: Array<{ readonly step: number; readonly stepMs: number; readonly tensors: StepLossTensors }> = []

  /** Steps waiting to be read. */
  get size(): number {
    return this.pending.length
  }

  /** Takes ownership of one step's loss tensors. */
  push(step: number, stepMs: number, tensors: StepLossTensors): void {
    this.pending.push({ step, stepMs, tensors })
  }

  /**
   * Reads every pending step's losses in one transfer and frees their tensors. Each loss, in step order
   * (discriminator before generator), goes through `guard` (the run's divergence guard; default: finite only),
   * which rejects with {@link TrainingDiverged} naming the first bad step.
   */
  async read(guard: LossGuard = finiteOnly): Promise<ReadonlyArray<ReadLosses>> {
    const taken = this.pending
    this.pending = []
    if (taken.length === 0) return []
    const scalars = taken.flatMap(({ tensors: t }) => [t.discriminator, t.generator, t.gradientPenalty ?? t.discriminator])
    const stacked = tf.stack(scalars)
    let values: Float32Array
    try {
      values = (await stacked.data()) as Float32Array
    } finally {
      stacked.dispose()
      tf.dispose(taken.flatMap(({ tensors: t }) => [t.discriminator, t.generator, ...(t.gradientPenalty ? [t.gradientPenalty] : [])]))
    }
    return taken.map(({ step, stepMs, tensors }, i) => {
      const discriminator = guard.check(values[3 * i]!, step, "discriminator")
      const generator = guard.check(values[3 * i + 1]!, step, "generator")
      return { step, stepMs, discriminator, generator, ...(tensors.gradientPenalty ? { gradientPenalty: values[3 * i + 2]! } : {}) }
    })
  }

  /** Frees whatever was not read (after a failure). */
  dispose(): void {
    tf.dispose(this.pending.flatMap(({ tensors: t }) => [t.discriminator, t.generator, ...(t.gradientPenalty ? [t.gradientPenalty] : [])]))
    this.pending = []
  }
}
