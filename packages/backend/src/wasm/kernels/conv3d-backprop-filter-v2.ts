/**
 * `Conv3DBackpropFilterV2` on wasm, replacing the shipped direct loop: transposed im2col on the heap and one
 * XNNPACK matMul `Cᵀ @ dy` per group of samples, summed.
 */
import { backend_util, Conv3DBackpropFilterV2, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs-core"
import { filterGradientByColumns } from "../convolution-by-columns.ts"
import { geometryOf3d } from "../convolution-geometry.ts"
import type { WasmBackend } from "../wasm-heap.ts"
import { requireFloat32 } from "./kernel-input-checks.ts"

/** Kernel config for registration under backend `wasm`. */
export const conv3DBackpropFilterV2Config: KernelConfig = {
  kernelName: Conv3DBackpropFilterV2,
  backendName: "wasm",
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo }
    const { strides, pad, filterShape } = attrs as unknown as {
      strides: [number, number, number] | number
      pad: "valid" | "same"
      filterShape: [number, number, number, number, number]
    }
    requireFloat32(Conv3DBackpropFilterV2, { x, dy })
    const info = backend_util.computeConv3DInfo(
      x.shape as [number, number, number, number, number],
      filterShape,
      strides,
      1,
      pad,
    )
    return filterGradientByColumns(backend as WasmBackend, x, dy, geometryOf3d(info), [...filterShape])
  },
}
