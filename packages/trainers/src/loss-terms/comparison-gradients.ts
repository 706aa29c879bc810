import * as tf from "@tensorflow/tfjs-core"

/**
 * tfjs-core registers no gradient for comparison kernels. First-order backprop never needs one, but WGAN-GP
 * differentiates a gradient, and the gradients of ReLU / LeakyReLU contain `greater(x, 0)` masks whose inputs depend
 * on the weights. Comparisons are piecewise constant, so their gradient is zero almost everywhere; this registers
 * exactly that for Greater, GreaterEqual, Less, LessEqual, Equal and NotEqual. Idempotent.
 */
export const registerComparisonGradients = (): void => {
  for (const kernelName of ["Greater", "GreaterEqual", "Less", "LessEqual", "Equal", "NotEqual"]) {
    if (tf.getGradient(kernelName) != null) continue
    tf.registerGradient({
      kernelName,
      inputsToSave: ["a", "b"],
      gradFunc: (_dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => ({ a: () => tf.zerosLike(saved[0]!), b: () => tf.zerosLike(saved[1]!) }),
    })
  }
}
