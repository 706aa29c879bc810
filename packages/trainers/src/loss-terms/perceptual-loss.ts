import * as tf from "@tensorflow/tfjs-core"
import { type FeatureMapNetwork, stopGradient } from "@ganflow/models"

/**
 * SRGAN's content loss (Ledig et al. 2017, eq. 5): the mean squared difference between the feature maps of the
 * reconstruction and of the reference under a fixed, named network φ,
 *
 *   l_content = scale · 1/(B·h·w·c) · Σ (φ(G(x_LR)) − φ(x_HR))²
 *
 * `scale` rescales feature maps of large magnitude: the paper divides VGG feature maps by 12.75, i.e. scale
 * 1/12.75² ≈ 0.00615 on the squared difference. The reference's maps carry no gradient (only the generator learns);
 * images `[B, H, W, 3]` in [-1, 1]. The loss key of a recipe names `network.name` (e.g. `content@vgg19/block5_conv4`).
 */
export const contentLoss = (network: FeatureMapNetwork, generated: tf.Tensor4D, target: tf.Tensor4D, scale = 1): tf.Scalar =>
  tf.tidy(() => {
    const reference = stopGradient(network.maps(target))
    return tf.mul(tf.mean(tf.squaredDifference(network.maps(generated), reference)), scale) as tf.Scalar
  })

/** The paper's VGG feature-map rescaling, 1/12.75², for {@link contentLoss}'s `scale` with `vgg19/*` networks. */
export const VGG_CONTENT_SCALE = 1 / (12.75 * 12.75)
