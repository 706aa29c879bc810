import * as tf from "@tensorflow/tfjs-core"

/**
 * Feature matching (Salimans et al. 2016, sec. 3.1) on an intermediate layer f of D: G minimises
 *
 *   L_FM = ‖mean_B f(x) − mean_B f(G(z))‖²₂
 *
 * the squared distance between the batch means of D's features on real and generated images (summed over
 * features, as the trainer's feature-matching trick). `realFeatures`, `fakeFeatures`: `[B, ...]` (batch sizes may
 * differ). Real features carry no gradient to G; pass them detached or not, the value is the same. Returns a
 * scalar the caller owns.
 */
export const featureMatchingLoss = (realFeatures: tf.Tensor, fakeFeatures: tf.Tensor): tf.Scalar =>
  tf.tidy(() => tf.sum(tf.square(tf.sub(tf.mean(realFeatures, 0), tf.mean(fakeFeatures, 0)))) as tf.Scalar)
