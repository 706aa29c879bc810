import * as tf from "@tensorflow/tfjs-core"
import { registerComparisonGradients } from "./comparison-gradients.ts"

registerComparisonGradients()

/**
 * WGAN-GP's gradient penalty (Gulrajani et al. 2017, eq. 3): `weight · mean_i (‖∇ₓ D(x̂_i)‖₂ − 1)²` on interpolates
 * `x̂ = ε·real + (1 − ε)·fake`, one `ε ∈ [0, 1)` per sample (`epsilon` has shape `[B]`).
 * `critic` maps images to scores `[B, ...]`; it is differentiated twice (once here, once by the caller's
 * optimizer), so it must be built from differentiable ops. Returns a scalar.
 */
export const gradientPenalty = (
  critic: (images: tf.Tensor) => tf.Tensor,
  real: tf.Tensor,
  fake: tf.Tensor,
  epsilon: tf.Tensor1D,
  weight = 10,
): tf.Scalar =>
  tf.tidy(() => {
    const eps = tf.reshape(epsilon, [-1, ...real.shape.slice(1).map(() => 1)])
    const interpolates = tf.add(tf.mul(eps, real), tf.mul(tf.sub(1, eps), fake))
    const gradient = tf.grad((x: tf.Tensor) => tf.sum(critic(x)))(interpolates)
    const axes = gradient.shape.slice(1).map((_, i) => i + 1)
    const norms = tf.sqrt(tf.add(tf.sum(tf.square(gradient), axes), 1e-12))
    return tf.mul(weight, tf.mean(tf.square(tf.sub(norms, 1)))) as tf.Scalar
  })
