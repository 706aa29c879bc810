import * as tf from "@tensorflow/tfjs-core"

/**
 * Mean absolute difference ‖a − b‖₁ / n over every element (PyTorch's `nn.L1Loss()`, reduction "mean"): pix2pix's
 * reconstruction term (weighted λ = 100 against the cGAN loss) and the distance inside the cycle and identity
 * losses. `a` and `b` have the same shape.
 */
export const l1DistanceLoss = (a: tf.Tensor, b: tf.Tensor): tf.Scalar => tf.tidy(() => tf.mean(tf.abs(tf.sub(a, b))) as tf.Scalar)

/** pix2pix's λ of the L1 term (Isola et al. 2017, §4: λ = 100). */
export const PIX2PIX_L1_WEIGHT = 100
