/**
 * RMSProp (Tieleman & Hinton 2012) with PyTorch's update rule (`torch.optim.RMSprop`, no momentum, not centred):
 * `v ← α v + (1 − α) g²;  p ← p − η · g / (√v + ε)` — the original WGAN's optimiser (Arjovsky et al. 2017: η 5e-5,
 * with the critic's weights clipped after each update, see `weight-clipping.ts`). Owns its square-average variables:
 * call {@link RmsPropOptimizer.dispose}. The learning rate may change between updates (a schedule sets it); the
 * state (step count and square averages) is all a checkpoint needs to continue bit for bit.
 */
import * as tf from "@tensorflow/tfjs-core"
import { type } from "arktype"
import type { OptimizerChoice } from "./recipe.ts"
import type { TrainingOptimizer } from "./training-optimizer.ts"

/** RMSProp's config besides the learning rate (`train.rmsprop`): PyTorch's defaults. */
export const RmsPropConfig = type({
  "+": "reject",
  /** Decay of the square average (PyTorch's `alpha`). */
  alpha: "0 <= number < 1 = 0.99",
  epsilon: ["number > 0", "=", 1e-8],
})

/** RMSProp hyper-parameters (PyTorch's names: `alpha` is the square average's decay). */
export interface RmsPropSettings {
  readonly learningRate: number
  readonly alpha: number
  readonly epsilon: number
}

/** An RMSProp optimizer's saved state: the step count and one square average per variable, in order. */
export interface RmsPropState {
  readonly step: number
  readonly squareAverages: readonly tf.Tensor[]
}

/** RMSProp over a fixed list of variables (see the module doc). */
export class RmsPropOptimizer implements TrainingOptimizer {
  readonly kind = "rmsprop"
  private stepCount = 0
  private readonly squares: tf.Variable[]
  /** The rate of the next update (a schedule may set it before each one). */
  learningRate: number

  constructor(readonly variables: readonly tf.Variable[], readonly settings: RmsPropSettings) {
    this.learningRate = settings.learningRate
    this.squares = variables.map((x) => tf.tidy(() => tf.variable(tf.zerosLike(x), false)))
  }

  /** Number of updates applied so far. */
  get step(): number {
    return this.stepCount
  }

  /** Applies one update from `grads`, keyed by variable name as `tf.variableGrads` returns them. Frees nothing it did not make. */
  applyGradients(grads: tf.NamedTensorMap): void {
    this.stepCount++
    const { alpha, epsilon } = this.settings
    const lr = this.learningRate
    tf.tidy(() => {
      this.variables.forEach((variable, i) => {
        const g = grads[variable.name]
        if (g === undefined) return
        const v = this.squares[i]!
        v.assign(tf.add(tf.mul(v, alpha), tf.mul(tf.square(g), 1 - alpha)))
        variable.assign(tf.sub(variable, tf.mul(lr, tf.div(g, tf.add(tf.sqrt(v), epsilon)))))
      })
    })
  }

  /** The current state; the tensors are the optimizer's own variables (read them, do not dispose them). */
  state(): RmsPropState {
    return { step: this.stepCount, squareAverages: this.squares }
  }

  /** The square averages, for checkpoints (group `rmsprop-<network>-square-average`; restored in place). */
  stateGroups(): Readonly<Record<string, readonly tf.Variable[]>> {
    return { "square-average": this.squares }
  }

  /** Sets the update count after the square averages were restored. */
  restoreStep(step: number): void {
    this.stepCount = step
  }

  /** Frees the square averages (not the optimised variables, which belong to their model). */
  dispose(): void {
    tf.dispose(this.squares)
  }
}

/** RMSProp with `settings` as a recipe's optimiser choice. */
export const rmsprop = (settings: RmsPropSettings): OptimizerChoice => ({ create: (variables) => new RmsPropOptimizer(variables, settings) })
