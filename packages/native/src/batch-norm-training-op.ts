/**
 * Batch norm in training mode (batch statistics, biased variance) with an optional ReLU / LeakyReLU, as one op:
 * `batchNormTraining(x, scale, offset, { epsilon, activation, alpha, bias })` -> `{ y, mean, variance }` over the last
 * axis (channels), statistics over every other axis. `bias` (a convolution's, added before normalising: x + bias) is
 * folded in so that its add and its gradient's sum are not separate passes either.
 *
 * Where the active backend registers the fused kernels (the native backend does), this is one forward pass kernel
 * and one backward kernel (`batchNormTrainingGradKernelName`), instead of the ~25 single-op passes of
 * tf.moments + tf.batchNorm + the activation and their gradients; elsewhere (cpu, wasm, webgpu) it composes exactly
 * those ops. Both compute the same maths (mean and variance as tf.moments does; y = offset + (x - mean) · scale /
 * sqrt(variance + eps)), equal within float32 rounding (tested in packages/native/test/batch-norm-training.test.ts).
 */
import * as tf from "@tensorflow/tfjs-core";

/** Kernel name of the fused forward pass: inputs `{ x, scale, offset, bias }`, outputs `[y, mean, variance]`. */
export const batchNormTrainingKernelName = "GanflowBatchNormTraining";
/**
 * Kernel name of its gradient: inputs `{ dy, x, y, scale, bias, mean, variance, dmean, dvariance }` (dmean / dvariance:
 * gradients reaching the mean / variance outputs), outputs `[dx, dscale, doffset, dbias]`.
 */
export const batchNormTrainingGradKernelName = "GanflowBatchNormTrainingGrad";

/** Activation applied after normalising. */
export type BatchNormActivation = "linear" | "relu" | "leakyrelu";

/** Attributes of both kernels. */
export interface BatchNormTrainingAttrs {
  readonly varianceEpsilon: number;
  readonly activation: BatchNormActivation;
  /** LeakyReLU's negative slope (> 0; ignored otherwise). */
  readonly alpha: number;
}

/** Options of batchNormTraining; defaults: epsilon 1e-3 (tf.batchNorm's), activation "linear", alpha 0.2, no bias. */
export interface BatchNormTrainingOptions {
  readonly epsilon?: number;
  readonly activation?: BatchNormActivation;
  readonly alpha?: number;
  /** Per-channel bias added to x before normalising (a convolution's bias), with its gradient. */
  readonly bias?: tf.Tensor1D;
}

/** Output and batch statistics (the statistics feed running averages; their gradients are honoured too). */
export interface BatchNormTrainingResult {
  readonly y: tf.Tensor;
  readonly mean: tf.Tensor1D;
  readonly variance: tf.Tensor1D;
}

/**
 * Registers the gradient of the fused kernel (global in tfjs, like every gradient); done by the native backend's
 * registration. The gradient is only ever reached through the fused kernel, so it always runs on a backend that has it.
 */
export function registerBatchNormTrainingGradient(): void {
  if (tf.getGradient(batchNormTrainingKernelName) !== undefined) return;
  tf.registerGradient({
    kernelName: batchNormTrainingKernelName,
    inputsToSave: ["x", "scale", "bias"],
    outputsToSave: [true, true, true],
    gradFunc: (dys, saved, attrs) => {
      const [dy, dmean, dvariance] = dys as tf.Tensor[];
      const [x, scale, bias, y, mean, variance] = saved;
      const [dx, dscale, doffset, dbias] = tf.engine().runKernel(
        batchNormTrainingGradKernelName,
        { dy: dy!, x: x!, y: y!, scale: scale!, bias: bias!, mean: mean!, variance: variance!, dmean: dmean!, dvariance: dvariance! },
        attrs as unknown as tf.NamedAttrMap,
      ) as tf.Tensor[];
      return { x: () => dx!, scale: () => dscale!, offset: () => doffset!, bias: () => dbias! };
    },
  });
}

/** Batch norm with batch statistics over all axes but the last, then the activation (see the module comment). */
export function batchNormTraining(
  x: tf.Tensor, scale: tf.Tensor1D, offset: tf.Tensor1D, options: BatchNormTrainingOptions = {},
): BatchNormTrainingResult {
  const channels = x.shape.at(-1) ?? 0;
  const parameters: Array<[string, tf.Tensor]> = [["scale", scale], ["offset", offset]];
  if (options.bias) parameters.push(["bias", options.bias]);
  for (const [name, t] of parameters) {
    if (t.rank !== 1 || t.size !== channels) throw new Error(`batchNormTraining: ${name} has shape [${t.shape}], x has ${channels} channels`);
  }
  if (x.rank < 2 || x.size === 0) throw new Error(`batchNormTraining: x of shape [${x.shape}] has no batch axis`);
  const attrs: BatchNormTrainingAttrs = {
    varianceEpsilon: options.epsilon ?? 1e-3,
    activation: options.activation ?? "linear",
    alpha: options.alpha ?? 0.2,
  };
  if (attrs.activation === "leakyrelu" && !(attrs.alpha > 0)) throw new Error(`batchNormTraining: alpha must be > 0, got ${attrs.alpha}`);
  if (x.dtype === "float32" && tf.getKernel(batchNormTrainingKernelName, tf.getBackend()) !== undefined) {
    // without a bias, zeros: x + 0 is x, and the kernel saves every input it names for the gradient
    const bias = options.bias ?? tf.zeros([channels]);
    const [y, mean, variance] = tf.engine().runKernel(
      batchNormTrainingKernelName, { x, scale, offset, bias }, { ...attrs },
    ) as tf.Tensor[];
    if (options.bias === undefined) bias.dispose();
    return { y: y!, mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
  }
  return tf.tidy(() => {
    const x2 = tf.reshape(options.bias ? tf.add(x, options.bias) : x, [-1, channels]);
    const { mean, variance } = tf.moments(x2, [0]);
    const z = tf.batchNorm(x2, mean, variance, offset, scale, attrs.varianceEpsilon);
    const a = attrs.activation === "relu" ? tf.relu(z) : attrs.activation === "leakyrelu" ? tf.leakyRelu(z, attrs.alpha) : z;
    return { y: tf.reshape(a, x.shape), mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
  });
}
