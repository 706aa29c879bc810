import * as tfc from "@tensorflow/tfjs-core"
import * as tf from "@tensorflow/tfjs-layers"

/** Constructor options of {@link SpatialReplication}. */
export interface SpatialReplicationArgs {
  /** Side S of the square map the vector is copied over. */
  readonly size: number
  readonly name?: string
}

/**
 * Replicates a vector spatially (Reed et al. 2016: "replicate the description embedding spatially"):
 * `[B, C]` -> `[B, S, S, C]`, every position a copy. Written as a broadcasting product with ones, whose gradient is
 * one sum over the S·S positions (~8 ms for 64x4x4x512 on the native backend; tfjs' `repeatVector`/`tile` and
 * `broadcastTo` gradients take ~280 ms).
 * No weights. Serializable: registered as `ganflow>SpatialReplication`.
 */
export class SpatialReplication extends tf.layers.Layer {
  static readonly className = "SpatialReplication"
  readonly size: number

  constructor(args: SpatialReplicationArgs) {
    super(args)
    this.size = args.size
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [batch, channels] = inputShape as tf.Shape
    return [batch ?? null, this.size, this.size, channels ?? null]
  }

  override call(inputs: tfc.Tensor | tfc.Tensor[]): tfc.Tensor {
    return tfc.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs
      const [batch, channels] = x.shape as [number, number]
      return tfc.mul(tfc.reshape(x, [batch, 1, 1, channels]), tfc.ones([1, this.size, this.size, 1]))
    })
  }

  override getConfig(): tfc.serialization.ConfigDict {
    return { ...super.getConfig(), size: this.size }
  }
}
tfc.serialization.registerClass(SpatialReplication, "ganflow")
