import * as tfc from "@tensorflow/tfjs-core"
import * as tf from "@tensorflow/tfjs-layers"
import type { TextGanLayers } from "./text-conditional-gan.ts"

/** Constructor options of {@link ConditioningAugmentation}. */
export interface ConditioningAugmentationArgs {
  readonly name?: string
}

/**
 * StackGAN's conditioning augmentation sampler (Zhang et al. 2017, sec. 3.1): inputs `[μ, log σ, ε]`, each
 * `[B, C]`, output ĉ = μ + σ·ε with σ = exp(log σ). ε ~ N(0, I) is an input, drawn by the caller's seeded stream,
 * so a model using this layer stays deterministic (ε = 0 gives the mean condition). No weights.
 * Serializable: registered as `ganflow>ConditioningAugmentation`.
 */
export class ConditioningAugmentation extends tf.layers.Layer {
  static readonly className = "ConditioningAugmentation"

  constructor(args: ConditioningAugmentationArgs = {}) {
    super(args)
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return [...(inputShape as tf.Shape[])[0]!]
  }

  override call(inputs: tfc.Tensor | tfc.Tensor[]): tfc.Tensor {
    return tfc.tidy(() => {
      const [mu, logSigma, epsilon] = inputs as tfc.Tensor[]
      return tfc.add(mu!, tfc.mul(tfc.exp(logSigma!), epsilon!))
    })
  }
}
tfc.serialization.registerClass(ConditioningAugmentation, "ganflow")

/** The symbolic outputs of a conditioning-augmentation block: the sampled condition ĉ and its μ, log σ. */
export interface ConditioningAugmentationOutputs {
  readonly condition: tf.SymbolicTensor
  readonly mu: tf.SymbolicTensor
  readonly logSigma: tf.SymbolicTensor
}

/**
 * The CA block of a StackGAN generator: φ(t) -> FC (with bias) -> LeakyReLU(0.2) -> split into μ and log σ (as the
 * authors' TensorFlow code; their PyTorch port uses ReLU and log σ²), then ĉ = μ + σ·ε. The FC is written as two
 * `conditionDim`-wide dense layers, the same parameters as one `2·conditionDim` FC split in half:
 * embeddingDim·2·conditionDim + 2·conditionDim (262,400 for 1024 -> 128). `embeddingScale` (no weights) multiplies
 * φ(t) first: an L2-normalised φ (the text encoder's) has entries of ~1/√D, so μ starts ~√D times smaller than
 * for a raw embedding of unit-sized entries and ĉ is almost pure ε until the FC has grown.
 */
export const conditioningAugmentation = (
  layers: TextGanLayers,
  text: tf.SymbolicTensor,
  epsilon: tf.SymbolicTensor,
  conditionDim: number,
  embeddingScale = 1,
): ConditioningAugmentationOutputs => {
  const scaled = embeddingScale === 1 ? text : layers.apply(tf.layers.rescaling({ scale: embeddingScale }), text) // 1024
  const mu = layers.apply(tf.layers.leakyReLU({ alpha: 0.2 }), layers.dense(scaled, conditionDim, true)) // 128
  const logSigma = layers.apply(tf.layers.leakyReLU({ alpha: 0.2 }), layers.dense(scaled, conditionDim, true)) // 128
  const condition = layers.apply(new ConditioningAugmentation(), [mu, logSigma, epsilon]) // 128
  return { condition, mu, logSigma }
}
