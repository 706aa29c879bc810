/**
 * Weight clipping (Arjovsky et al. 2017, WGAN Algorithm 1): after each critic update every critic weight is clamped to
 * [−c, c] (c = 0.01 in the paper), the crude Lipschitz constraint WGAN-GP later replaced with a gradient penalty.
 */
import * as tf from "@tensorflow/tfjs-core"

/** Clamp every variable to [−limit, limit] in place. */
export const clipWeights = (variables: readonly tf.Variable[], limit: number): void => {
  tf.tidy(() => {
    for (const v of variables) v.assign(tf.clipByValue(v, -limit, limit))
  })
}
