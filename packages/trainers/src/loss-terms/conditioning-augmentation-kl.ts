import * as tf from "@tensorflow/tfjs-core"

/**
 * StackGAN's conditioning-augmentation regulariser (Zhang et al. 2017, eq. 3-4): KL(N(μ, diag σ²) ‖ N(0, I)),
 * per element −log σ + (σ² + μ² − 1)/2, averaged over batch and condition dimensions as both reference
 * implementations do (StackGAN's TensorFlow code and hanzhanggit/StackGAN-Pytorch's `KL_loss`, which writes it
 * with log σ² as −½·mean(1 + log σ² − μ² − σ²)). The paper weights it by λ = 2 (`TRAIN.COEFF.KL`) in G's loss.
 * `mu`, `logSigma`: `[B, C]`. Returns a scalar the caller owns.
 */
export const conditioningAugmentationKl = (mu: tf.Tensor, logSigma: tf.Tensor): tf.Scalar =>
  tf.tidy(() => tf.mean(tf.add(tf.neg(logSigma), tf.mul(0.5, tf.sub(tf.add(tf.exp(tf.mul(2, logSigma)), tf.square(mu)), 1)))) as tf.Scalar)
