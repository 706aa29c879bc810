/**
 * `Conv2DBackpropFilter` on wasm (the backend ships none): im2col transposed on the heap, then one XNNPACK matMul
 * `Cᵀ @ dy` giving the filter gradient `[fH, fW, inC, outC]` directly.
 */
import { backend_util, Conv2DBackpropFilter, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs-core"
import { filterGradientByColumns } from "../convolution-by-columns.ts"
import { geometryOf2d } from "../convolution-geometry.ts"
import type { WasmBackend } from "../wasm-heap.ts"
import { requireChannelsLast, requireFloat32 } from "./kernel-input-checks.ts"

/** Kernel config for registration under backend `wasm`. */
export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: "wasm",
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo }
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as {
      strides: [number, number] | number
      pad: "valid" | "same" | number | backend_util.ExplicitPadding
      dataFormat: "NHWC" | "NCHW"
      dimRoundingMode?: "floor" | "round" | "ceil"
      filterShape: [number, number, number, number]
    }
    requireChannelsLast(Conv2DBackpropFilter, dataFormat)
    requireFloat32(Conv2DBackpropFilter, { x, dy })
    const info = backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filterShape,
      strides,
      1,
      pad,
      dimRoundingMode,
      false,
      "channelsLast",
    )
    return filterGradientByColumns(backend as WasmBackend, x, dy, geometryOf2d(info), [...filterShape])
  },
}
