import type * as tf from "@tensorflow/tfjs-core"
import { AdamOptimizer, type AdamSettings } from "./adam-optimizer.ts"
import type { OptimizerChoice } from "./recipe.ts"

/**
 * What the trainer needs of an optimiser over one network's variables: apply gradients, count updates, and expose
 * its state for checkpoints (groups named `<kind>-<network>-<group>`, e.g. `adam-generator-m`). Owns its state.
 */
export interface TrainingOptimizer {
  /** Names the optimiser in checkpoint groups (`adam`). */
  readonly kind: string
  /** Updates applied so far. */
  readonly step: number
  /** Applies one update from `grads`, keyed by variable name as `tf.variableGrads` returns them. */
  applyGradients(grads: tf.NamedTensorMap): void
  /** State variables by group name, in a fixed order (restored by assigning them in place). */
  stateGroups(): Readonly<Record<string, readonly tf.Variable[]>>
  /** Sets the update count after the state variables were restored. */
  restoreStep(step: number): void
  /** The rate of the next update, where the optimiser has one: a learning-rate schedule sets it before each step. */
  learningRate?: number
  dispose(): void
}

/** Adam with `settings` (PyTorch's update rule, see `adam-optimizer.ts`) as a recipe's optimiser choice. */
export const adam = (settings: AdamSettings): OptimizerChoice => ({ create: (variables) => new AdamOptimizer(variables, settings) })
