/**
 * `Conv3DBackpropInputV2` on wasm, replacing the shipped direct loop: one XNNPACK matMul `dy @ Wᵀ` per group of
 * samples, then col2im on the heap. It is also the forward pass of `conv3dTranspose` (the 3D-GAN generator).
 */
import { backend_util, Conv3DBackpropInputV2, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs-core"
import { inputGradientByColumns } from "../convolution-by-columns.ts"
import { geometryOf3d } from "../convolution-geometry.ts"
import type { WasmBackend } from "../wasm-heap.ts"
import { requireFloat32 } from "./kernel-input-checks.ts"

/** Kernel config for registration under backend `wasm`. */
export const conv3DBackpropInputV2Config: KernelConfig = {
  kernelName: Conv3DBackpropInputV2,
  backendName: "wasm",
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo }
    const { strides, pad, inputShape } = attrs as unknown as {
      strides: [number, number, number] | number
      pad: "valid" | "same"
      inputShape: [number, number, number, number, number]
    }
    requireFloat32(Conv3DBackpropInputV2, { dy, filter })
    const info = backend_util.computeConv3DInfo(
      inputShape,
      filter.shape as [number, number, number, number, number],
      strides,
      1,
      pad,
    )
    return inputGradientByColumns(backend as WasmBackend, dy, filter, geometryOf3d(info), [...inputShape])
  },
}
