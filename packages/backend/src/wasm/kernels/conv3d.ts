/**
 * `Conv3D` on wasm, replacing the shipped direct loop: im2col on the heap (in groups of samples) and one XNNPACK
 * matMul `C @ W`, whose rows are already the NDHWC output.
 */
import { backend_util, Conv3D, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs-core"
import { convolveByColumns } from "../convolution-by-columns.ts"
import { geometryOf3d } from "../convolution-geometry.ts"
import type { WasmBackend } from "../wasm-heap.ts"
import { requireFloat32 } from "./kernel-input-checks.ts"

/** Kernel config for registration under backend `wasm`. */
export const conv3DConfig: KernelConfig = {
  kernelName: Conv3D,
  backendName: "wasm",
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x, filter } = inputs as { x: TensorInfo; filter: TensorInfo }
    const { strides, pad, dilations } = attrs as unknown as {
      strides: [number, number, number] | number
      pad: "valid" | "same"
      dilations: [number, number, number] | number
    }
    requireFloat32(Conv3D, { x, filter })
    const info = backend_util.computeConv3DInfo(
      x.shape as [number, number, number, number, number],
      filter.shape as [number, number, number, number, number],
      strides,
      dilations,
      pad,
    )
    return convolveByColumns(backend as WasmBackend, x, filter, geometryOf3d(info), [...info.outShape])
  },
}
