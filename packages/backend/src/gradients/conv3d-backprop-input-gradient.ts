/**
 * The gradient of `Conv3DBackpropInputV2` — the forward pass of `conv3dTranspose` — which tfjs-core 4.22 lacks
 * (so the 3D-GAN generator could not train on any backend). Mirrors tfjs' own `Conv2DBackpropInput` gradient:
 * with `x = conv3dTranspose(dy, filter)` and upstream gradient `g`,
 * `d/d dy = conv3d(g, filter)` and `d/d filter = Conv3DBackpropFilterV2(g, dy)`.
 */
import {
  Conv3DBackpropFilterV2,
  Conv3DBackpropInputV2,
  conv3d,
  engine,
  getGradient,
  registerGradient,
  type GradConfig,
  type Tensor,
  type Tensor5D,
} from "@tensorflow/tfjs-core"

/** Gradient config for `Conv3DBackpropInputV2` (inputs `dy`, `filter`). */
export const conv3DBackpropInputGradientConfig: GradConfig = {
  kernelName: Conv3DBackpropInputV2,
  inputsToSave: ["dy", "filter"],
  gradFunc: (upstream, saved, attrs) => {
    const [dy, filter] = saved as [Tensor5D, Tensor5D]
    const g = upstream as Tensor5D
    const { strides, pad } = attrs as unknown as { strides: [number, number, number] | number; pad: "valid" | "same" }
    return {
      dy: () => conv3d(g, filter, strides, pad),
      filter: () =>
        engine().runKernel(Conv3DBackpropFilterV2, { x: g, dy }, { strides, pad, filterShape: filter.shape }) as Tensor,
    }
  },
}

/** Registers the gradient unless tfjs already has one (a later tfjs may ship it). */
export const registerConv3DTransposeGradient = (): void => {
  if (getGradient(Conv3DBackpropInputV2) === undefined) registerGradient(conv3DBackpropInputGradientConfig)
}
