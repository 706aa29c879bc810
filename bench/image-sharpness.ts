/**
 * A clarity number for the image benches: the variance of the 4-neighbour Laplacian of grey images in [0, 1],
 * averaged over images (the usual focus measure: blur lowers it, so a generator's value over the real images' says
 * how much of the real detail its samples keep). Used to compare two GANs' samples, not as a quality metric.
 */
import * as tf from "@tensorflow/tfjs-core"

/** Mean over images of the Laplacian variance of `images` ([N, H, W, C] in [0, 1], made grey by a channel mean). */
export const laplacianVariance = (images: tf.Tensor4D): number =>
  tf.tidy(() => {
    const grey = tf.mean(images, 3, true) as tf.Tensor4D
    const kernel = tf.tensor4d([0, 1, 0, 1, -4, 1, 0, 1, 0], [3, 3, 1, 1])
    const lap = tf.conv2d(grey, kernel, 1, "valid")
    const { variance } = tf.moments(lap, [1, 2, 3])
    return tf.mean(variance).dataSync()[0]!
  })
