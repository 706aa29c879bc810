import { adamUpdateKernelName, type AdamUpdateAttrs } from "@ganflow/native"
import * as tf from "@tensorflow/tfjs-core"
import type { TrainingOptimizer } from "./training-optimizer.ts"

/** Adam hyper-parameters (Kingma & Ba 2015); DCGAN uses lr 2e-4, beta1 0.5. */
export interface AdamSettings {
  readonly learningRate: number
  readonly beta1: number
  readonly beta2: number
  readonly epsilon: number
}

/** An Adam optimizer's saved state: the step count and the first/second moments, one per variable in order. */
export interface AdamState {
  readonly step: number
  readonly firstMoments: readonly tf.Tensor[]
  readonly secondMoments: readonly tf.Tensor[]
}

/**
 * Adam over a fixed list of variables, with PyTorch's update rule
 * (`p -= lr/(1-β1^t) · m / (sqrt(v)/sqrt(1-β2^t) + ε)`). Unlike tfjs' `AdamOptimizer`, the bias corrections are
 * computed from the step count in double precision, so a state restored from a checkpoint continues bit for bit
 * (tfjs' accumulates β^t by repeated multiplication but restores it with `pow`). Owns its moment variables:
 * call {@link dispose}. Where the active backend registers the fused Adam kernel (`@ganflow/native`'s
 * `adamUpdateKernelName`: one pass per variable instead of ~10), it is used; it computes the same float32 operations
 * in the same order, so results are bit-identical to the composed ops every other backend runs.
 */
export class AdamOptimizer implements TrainingOptimizer {
  readonly kind = "adam"
  private stepCount = 0
  private readonly m: tf.Variable[]
  private readonly v: tf.Variable[]

  /** The rate of the next update (`settings.learningRate` until a schedule sets it). */
  learningRate: number

  constructor(readonly variables: readonly tf.Variable[], readonly settings: AdamSettings) {
    this.learningRate = settings.learningRate
    this.m = variables.map((x) => tf.tidy(() => tf.variable(tf.zerosLike(x), false)))
    this.v = variables.map((x) => tf.tidy(() => tf.variable(tf.zerosLike(x), false)))
  }

  /** Number of updates applied so far. */
  get step(): number {
    return this.stepCount
  }

  /** Applies one update from `grads`, keyed by variable name as `tf.variableGrads` returns them. Frees nothing it did not make. */
  applyGradients(grads: tf.NamedTensorMap): void {
    const t = ++this.stepCount
    const { beta1, beta2, epsilon } = this.settings
    const learningRate = this.learningRate
    const stepSize = learningRate / (1 - beta1 ** t)
    const sqrtCorrection2 = Math.sqrt(1 - beta2 ** t)
    const fused = tf.getKernel(adamUpdateKernelName, tf.getBackend()) !== undefined
    const attrs: AdamUpdateAttrs = { beta1, beta2, stepSize, sqrtCorrection2, epsilon }
    tf.tidy(() => {
      this.variables.forEach((variable, i) => {
        const g = grads[variable.name]
        if (g === undefined) return
        const m = this.m[i]!
        const v = this.v[i]!
        if (fused) {
          const inputs = { x: variable, gradient: g, firstMoment: m, secondMoment: v }
          const [x1, m1, v1] = tf.engine().runKernel(adamUpdateKernelName, inputs, { ...attrs }) as tf.Tensor[]
          m.assign(m1!)
          v.assign(v1!)
          variable.assign(x1!)
          return
        }
        m.assign(tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1)))
        v.assign(tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2)))
        const denominator = tf.add(tf.div(tf.sqrt(v), sqrtCorrection2), epsilon)
        variable.assign(tf.sub(variable, tf.mul(stepSize, tf.div(m, denominator))))
      })
    })
  }

  /** The current state; the tensors are the optimizer's own variables (read them, do not dispose them). */
  state(): AdamState {
    return { step: this.stepCount, firstMoments: this.m, secondMoments: this.v }
  }

  /** The moments as checkpoint groups `m` and `v`. */
  stateGroups(): Readonly<Record<string, readonly tf.Variable[]>> {
    return { m: this.m, v: this.v }
  }

  /** Sets the step count (the moments are restored by assigning {@link state}'s variables directly). */
  restoreStep(step: number): void {
    this.stepCount = step
  }

  /** Frees the moment variables (not the optimised variables, which belong to their model). */
  dispose(): void {
    tf.dispose([...this.m, ...this.v])
  }
}
