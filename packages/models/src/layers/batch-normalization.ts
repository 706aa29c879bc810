import { batchNormTraining, batchNormTrainingKernelName } from "@ganflow/native/batch-norm-training"
import * as tfc from "@tensorflow/tfjs-core"
import * as tf from "@tensorflow/tfjs-layers"
import type {
  BatchNormalization as TfjsBatchNormalization,
  BatchNormalizationLayerArgs,
} from "@tensorflow/tfjs-layers/dist/layers/normalization.js"
import type { Kwargs } from "@tensorflow/tfjs-layers/dist/types.js"

/** tfjs-layers' own BatchNormalization class (its index exports only the factory), from the class registry. */
const TfjsBatchNormalizationClass = (() => {
  const entry = tfc.serialization.SerializationMap.getMap().classNameMap["BatchNormalization"]
  if (entry === undefined) throw new Error("tfjs-layers did not register BatchNormalization")
  return entry[0] as unknown as typeof TfjsBatchNormalization
})()

/** The fields of tfjs-layers' BatchNormalization that the fused path reads (private in its typings). */
interface BatchNormalizationState {
  readonly axis: number
  readonly momentum: number
  readonly epsilon: number
  readonly center: boolean
  readonly scale: boolean
  readonly gamma: tf.LayerVariable
  readonly beta: tf.LayerVariable
  readonly movingMean: tf.LayerVariable
  readonly movingVariance: tf.LayerVariable
}

/**
 * tfjs-layers' BatchNormalization (same arguments, weights, names, moving statistics and serialised form:
 * its class name stays `BatchNormalization`, so saved models, checkpoints and exported generators are unchanged),
 * whose training-mode call goes through `@ganflow/native`'s fused batch-norm kernel, forward and backward, when the
 * active backend registers it (the native one does): one pass for the statistics and one for the output instead
 * of tf.moments + tf.batchNorm and their ~20-op gradient. Same maths: batch mean and biased variance over every axis
 * but the channels (the last), y = beta + gamma · (x - mean) / sqrt(variance + epsilon), moving averages updated as
 * tfjs-layers does (m -= (m - batch) · (1 - momentum)). Everything else — inference mode, other backends (cpu, wasm,
 * webgpu), a channel axis that is not last, `center` / `scale` off, non-float32 input — is tfjs-layers' own call.
 */
export class BatchNormalization extends TfjsBatchNormalizationClass {
  static override className = "BatchNormalization"

  override call(inputs: tfc.Tensor | tfc.Tensor[], kwargs: Kwargs): tfc.Tensor | tfc.Tensor[] {
    const input = Array.isArray(inputs) ? inputs[0] : inputs
    const state = this as unknown as BatchNormalizationState
    const fused =
      kwargs["training"] === true &&
      inputs !== undefined &&
      (!Array.isArray(inputs) || inputs.length === 1) &&
      input !== undefined &&
      input.dtype === "float32" &&
      state.center &&
      state.scale &&
      (state.axis === -1 || state.axis === input.rank - 1) &&
      tfc.getKernel(batchNormTrainingKernelName, tfc.getBackend()) !== undefined
    if (!fused) return super.call(inputs, kwargs)
    return tfc.tidy(() => {
      const gamma = state.gamma.read() as tfc.Tensor1D
      const beta = state.beta.read() as tfc.Tensor1D
      const { y, mean, variance } = batchNormTraining(input, gamma, beta, { epsilon: state.epsilon })
      const decay = 1 - state.momentum
      for (const [moving, batch] of [[state.movingMean, mean], [state.movingVariance, variance]] as const) {
        tfc.tidy(() => {
          const current = moving.read()
          moving.write(tfc.sub(current, tfc.mul(tfc.sub(current, batch), decay)))
        })
      }
      return y
    })
  }
}

/** `tf.layers.batchNormalization(args)` with the fused training path of {@link BatchNormalization}. */
export const batchNormalization = (args?: BatchNormalizationLayerArgs): BatchNormalization => new BatchNormalization(args)
