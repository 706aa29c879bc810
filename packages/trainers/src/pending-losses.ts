/**
 * Losses stay on the backend until a log interval: each step leaves its loss scalars here, and {@link PendingLosses.read}
 * fetches all of them with one asynchronous read. On a GPU backend a synchronous read per step would stall the
 * queue (and tfjs-backend-webgpu's `dataSync` needs a DOM canvas, which Node has not).
 */
import * as tf from "@tensorflow/tfjs-core"
import { TrainingDiverged } from "./errors.ts"

/**
 * The loss scalars of one step, owned by {@link PendingLosses} once pushed: each phase's total under the phase's
 * name (`discriminator`, `generator`), and weighted terms under `<phase>/<term>` names.
 */
export type StepLossTensors = Readonly<Record<string, tf.Scalar>>

/** One step's losses once read back, with the wall time the step took. */
export interface ReadLosses {
  readonly step: number
  readonly stepMs: number
  /** Same names as pushed, in the same order. */
  readonly losses: Readonly<Record<string, number>>
}

/** Judges one read-back phase total: returns it, or throws {@link TrainingDiverged} (see `divergence-guard.ts`). */
export interface LossGuard {
  check(value: number, step: number, phase: string): number
}

/** The least guard: NaN and infinities are divergence. */
const finiteOnly: LossGuard = {
  check: (value, step, phase) => {
    if (!Number.isFinite(value)) throw new TrainingDiverged({ step, phase, value })
    return value
  },
}

/** A name with a slash is a term of a phase; the others are phase totals, which the guard checks. */
const isPhaseTotal = (name: string) => !name.includes("/")

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
   * Reads every pending step's losses in one transfer and frees their tensors. Each phase total, in step order and
   * in the order pushed, goes through `guard` (the run's divergence guard; default: finite only), which rejects
   * with {@link TrainingDiverged} naming the first bad step and phase.
   */
  async read(guard: LossGuard = finiteOnly): Promise<ReadonlyArray<ReadLosses>> {
    const taken = this.pending
    this.pending = []
    if (taken.length === 0) return []
    const scalars = taken.flatMap(({ tensors }) => Object.values(tensors))
    let values: Float32Array
    try {
      const stacked = tf.stack(scalars)
      try {
        values = (await stacked.data()) as Float32Array
      } finally {
        stacked.dispose()
      }
    } finally {
      tf.dispose(scalars)
    }
    let at = 0
    return taken.map(({ step, stepMs, tensors }) => {
      const losses: Record<string, number> = {}
      for (const name of Object.keys(tensors)) {
        const value = values[at++]!
        losses[name] = isPhaseTotal(name) ? guard.check(value, step, name) : value
      }
      return { step, stepMs, losses }
    })
  }

  /** Frees whatever was not read (after a failure). */
  dispose(): void {
    tf.dispose(this.pending.flatMap(({ tensors }) => Object.values(tensors)))
    this.pending = []
  }
}
