/**
 * `Conv2D` on wasm: the shipped XNNPACK kernel, except where it writes out of bounds.
 *
 * With a numeric `pad`, tfjs-core computes the output width from the filter *height* and the *height* stride
 * (`computeConv2DInfo`, case number). When the filter is not square or the strides differ (e.g. a 3x2 filter with
 * strides [2, 1]) that width is wrong; tfjs allocates the output at that size while XNNPACK derives its own, larger
 * size from the padding and writes past the end of the output: heap corruption, then a crash or a hang. Those cases
 * go through im2col + matMul here, which follows tfjs' geometry exactly as the cpu backend does. (For the width
 * you meant, pass explicit padding `[[0, 0], [t, b], [l, r], [0, 0]]` — computed correctly everywhere.)
 */
import { backend_util, Conv2D, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs-core"
import { convolveByColumns } from "../convolution-by-columns.ts"
import { geometryOf2d } from "../convolution-geometry.ts"
import { shippedWasmKernel } from "../shipped-kernels.ts"
import type { WasmBackend } from "../wasm-heap.ts"
import { requireChannelsLast } from "./kernel-input-checks.ts"

/** True when tfjs' numeric-pad geometry disagrees with what XNNPACK would compute (see the module comment). */
export const numericPadMisfits = (
  pad: unknown,
  filterShape: ReadonlyArray<number>,
  strides: number | ReadonlyArray<number>,
): boolean => {
  if (typeof pad !== "number") return false
  const [strideH, strideW] = typeof strides === "number" ? [strides, strides] : [strides[0], strides[1]]
  return filterShape[0] !== filterShape[1] || strideH !== strideW
}

/** Kernel config for registration under backend `wasm`. */
export const conv2DConfig: KernelConfig = {
  kernelName: Conv2D,
  backendName: "wasm",
  setupFunc: (backend) => shippedWasmKernel(Conv2D).setupFunc?.(backend),
  kernelFunc: (args) => {
    const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo }
    const { strides, pad, dataFormat, dilations, dimRoundingMode } = args.attrs as unknown as {
      strides: [number, number] | number
      pad: "valid" | "same" | number | backend_util.ExplicitPadding
      dataFormat: "NHWC" | "NCHW"
      dilations: [number, number] | number
      dimRoundingMode?: "floor" | "round" | "ceil"
    }
    if (!numericPadMisfits(pad, filter.shape, strides) || x.dtype !== "float32") {
      return shippedWasmKernel(Conv2D).kernelFunc(args)
    }
    requireChannelsLast(Conv2D, dataFormat)
    const info = backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filter.shape as [number, number, number, number],
      strides,
      dilations,
      pad,
      dimRoundingMode,
      false,
      "channelsLast",
    )
    return convolveByColumns(args.backend as WasmBackend, x, filter, geometryOf2d(info), [...info.outShape])
  },
}
