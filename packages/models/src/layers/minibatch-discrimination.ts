import * as tfc from "@tensorflow/tfjs-core"
import * as tf from "@tensorflow/tfjs-layers"
import { type } from "arktype"

/** The size of a minibatch-discrimination layer, as model options and training tricks give it. */
export const MinibatchDiscriminationSize = type({
  "+": "reject",
  /** Number of discrimination kernels B (output features added). */
  numKernels: "number.integer > 0",
  /** Dimension C of each kernel's projection. */
  kernelDim: "number.integer > 0",
})
/** See {@link MinibatchDiscriminationSize}. */
export type MinibatchDiscriminationSize = typeof MinibatchDiscriminationSize.infer

/** Constructor options of {@link MinibatchDiscrimination}. */
export interface MinibatchDiscriminationArgs {
  /** Number of discrimination kernels B (output features added). */
  readonly numKernels: number
  /** Dimension C of each kernel's projection. */
  readonly kernelDim: number
  /** Seed of the projection tensor's N(0, 0.05) init. */
  readonly seed?: number
  readonly name?: string
  readonly inputShape?: number[]
}

/**
 * Minibatch discrimination (Salimans et al. 2016, "Improved Techniques for Training GANs", section 3.2).
 * Features `f` `[N, A]` are projected by `T` `[A, B*C]` to `M` `[N, B, C]`; for each sample i and kernel b,
 * `o(i)_b = sum_{j != i} exp(-||M_i,b - M_j,b||_L1)`. Output `concat(f, o)`: `[N, A + B]`.
 * Serializable: registered as `ganflow>MinibatchDiscrimination`.
 */
export class MinibatchDiscrimination extends tf.layers.Layer {
  static readonly className = "MinibatchDiscrimination"
  readonly numKernels: number
  readonly kernelDim: number
  readonly seed: number | undefined
  private projection: tf.LayerVariable | null = null

  constructor(args: MinibatchDiscriminationArgs) {
    super(args)
    this.numKernels = args.numKernels
    this.kernelDim = args.kernelDim
    this.seed = args.seed
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = inputShape as tf.Shape
    const features = shape[shape.length - 1]
    if (features == null || shape.length !== 2) throw new Error(`MinibatchDiscrimination needs [N, A] input, got ${JSON.stringify(shape)}`)
    const init = tf.initializers.randomNormal({ mean: 0, stddev: 0.05, ...(this.seed === undefined ? {} : { seed: this.seed }) })
    this.projection = this.addWeight("projection", [features, this.numKernels * this.kernelDim], "float32", init)
    this.built = true
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = inputShape as tf.Shape
    const features = shape[1]
    return [shape[0] ?? null, features == null ? null : features + this.numKernels]
  }

  override call(inputs: tfc.Tensor | tfc.Tensor[]): tfc.Tensor {
    return tfc.tidy(() => {
      const f = (Array.isArray(inputs) ? inputs[0]! : inputs) as tfc.Tensor2D
      const m = tfc.reshape(tfc.matMul(f, this.projection!.read() as tfc.Tensor2D), [-1, this.numKernels, this.kernelDim]) // N x B x C
      const l1 = tfc.sum(tfc.abs(tfc.sub(tfc.expandDims(m, 1), tfc.expandDims(m, 0))), 3) // N x N x B
      const closeness = tfc.sub(tfc.sum(tfc.exp(tfc.neg(l1)), 1), 1) // N x B, minus the sample's own exp(0) = 1
      return tfc.concat([f, closeness], 1)
    })
  }

  override getConfig(): tfc.serialization.ConfigDict {
    return { ...super.getConfig(), numKernels: this.numKernels, kernelDim: this.kernelDim, ...(this.seed === undefined ? {} : { seed: this.seed }) }
  }
}
tfc.serialization.registerClass(MinibatchDiscrimination, "ganflow")
