/**
 * `Conv2DBackpropInput` on wasm, replacing the shipped naive loop: one XNNPACK matMul `dy @ Wᵀ` then col2im on the
 * heap. It is also the forward pass of `conv2dTranspose` (the DCGAN generator's layer).
 */
import { backend_util, Conv2DBackpropInput, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs-core"
import { inputGradientByColumns } from "../convolution-by-columns.ts"
import { geometryOf2d } from "../convolution-geometry.ts"
import type { WasmBackend } from "../wasm-heap.ts"
import { requireChannelsLast, requireFloat32 } from "./kernel-input-checks.ts"

/** Kernel config for registration under backend `wasm`. */
export const conv2DBackpropInputConfig: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: "wasm",
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo }
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as {
      strides: [number, number] | number
      pad: "valid" | "same" | number | backend_util.ExplicitPadding
      dataFormat: "NHWC" | "NCHW"
      dimRoundingMode?: "floor" | "round" | "ceil"
      inputShape: [number, number, number, number]
    }
    requireChannelsLast(Conv2DBackpropInput, dataFormat)
    requireFloat32(Conv2DBackpropInput, { dy, filter })
    const info = backend_util.computeConv2DInfo(
      inputShape,
      filter.shape as [number, number, number, number],
      strides,
      1,
      pad,
      dimRoundingMode,
      false,
      "channelsLast",
    )
    return inputGradientByColumns(backend as WasmBackend, dy, filter, geometryOf2d(info), [...inputShape])
  },
}
