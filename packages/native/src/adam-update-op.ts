/**
 * The contract of the fused Adam update kernel, which a backend may register (the native backend does) and
 * optimizers call through `tf.engine().runKernel` when the active backend has it, composing the same maths from
 * single ops otherwise (see @ganflow/trainers' AdamOptimizer).
 *
 * Inputs `{ x, gradient, firstMoment, secondMoment }` (float32, one shape); outputs `[x', m', v']` with PyTorch's rule:
 *   m' = m·β1 + g·(1-β1),  v' = v·β2 + g²·(1-β2),  x' = x - stepSize · m' / (sqrt(v')/sqrtCorrection2 + ε)
 * where stepSize = lr/(1-β1^t) and sqrtCorrection2 = sqrt(1-β2^t), each operation in float32 in this order.
 */

/** Kernel name of the fused Adam update. */
export const adamUpdateKernelName = "GanflowAdamUpdate";

/** Attributes of the fused Adam update (numbers in double; the kernel rounds each to float32 like a tfjs scalar). */
export interface AdamUpdateAttrs {
  readonly beta1: number;
  readonly beta2: number;
  readonly stepSize: number;
  readonly sqrtCorrection2: number;
  readonly epsilon: number;
}
