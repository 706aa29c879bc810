import { stopGradient } from "@ganflow/models"
import * as tf from "@tensorflow/tfjs-core"

/**
 * Age-cGAN's encoder loss (Antipov et al. 2017, eq. 3): the squared Euclidean distance between a latent vector and its
 * reconstruction through the generator and the encoder, averaged over the batch,
 *
 *   L_E = 1/B · Σ_b ‖z_b − E(G(z_b, y_b))‖²₂
 *
 * `z` and `reconstructed` are `[B, latentDim]`.
 */
export const latentReconstructionLoss = (z: tf.Tensor2D, reconstructed: tf.Tensor2D): tf.Scalar =>
  tf.tidy(() => tf.mean(tf.sum(tf.squaredDifference(z, reconstructed), 1)) as tf.Scalar)

/**
 * The identity-preserving objective of Age-cGAN's latent optimisation (eq. 5): the squared Euclidean distance between
 * face-embedding features of the input faces and of their reconstructions, averaged over the batch,
 *
 *   L_IP = 1/B · Σ_b ‖FR(x_b) − FR(G(z_b, y_b))‖²₂
 *
 * `embedded` and `reference` are `[B, d]` embeddings (the reference's carries no gradient).
 */
export const identityPreservingLoss = (embedded: tf.Tensor2D, reference: tf.Tensor2D): tf.Scalar =>
  tf.tidy(() => tf.mean(tf.sum(tf.squaredDifference(embedded, stopGradient(reference)), 1)) as tf.Scalar)
