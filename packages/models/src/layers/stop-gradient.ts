import * as tfc from "@tensorflow/tfjs-core"

/**
 * Identity in the forward pass, zero gradient in the backward pass (PyTorch's `x.detach()` inside a tape; tfjs-core
 * has no `stopGradient` op). Returns a new tensor the caller owns.
 */
export const stopGradient = tfc.customGrad(((x: tfc.Tensor) => ({ value: tfc.clone(x), gradFunc: (dy: tfc.Tensor) => tfc.zerosLike(dy) })) as unknown as Parameters<typeof tfc.customGrad>[0]) as <T extends tfc.Tensor>(x: T) => T
