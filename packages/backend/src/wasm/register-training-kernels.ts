/**
 * Registers the training kernels the wasm backend lacks or runs naively. Idempotent; call before the wasm backend
 * is initialised (kernel setup runs when the backend is set).
 */
import { BatchMatMul, Conv2D, FusedConv2D, Mean, Sum, getKernel, registerKernel, unregisterKernel, type KernelConfig } from "@tensorflow/tfjs-core"
import { batchMatMulConfig } from "./kernels/batch-mat-mul.ts"
import { conv2DConfig } from "./kernels/conv2d.ts"
import { fusedConv2DConfig } from "./kernels/fused-conv2d.ts"
import { conv2DBackpropFilterConfig } from "./kernels/conv2d-backprop-filter.ts"
import { conv2DBackpropInputConfig } from "./kernels/conv2d-backprop-input.ts"
import { conv3DConfig } from "./kernels/conv3d.ts"
import { conv3DBackpropFilterV2Config } from "./kernels/conv3d-backprop-filter-v2.ts"
import { conv3DBackpropInputV2Config } from "./kernels/conv3d-backprop-input-v2.ts"
import { meanConfig, sumConfig } from "./kernels/leading-axes-reduction.ts"
import { tileConfig } from "./kernels/tile.ts"
import { unsortedSegmentSumConfig } from "./kernels/unsorted-segment-sum.ts"
import { shippedWasmKernel } from "./shipped-kernels.ts"

/** Each kernel this package puts on wasm, and why (missing, or the shipped one is a naive loop). */
export const wasmTrainingKernels: ReadonlyArray<{ readonly config: KernelConfig; readonly why: string }> = [
  { config: conv2DConfig, why: "crash: numeric pad with a non-square filter or unequal strides wrote out of bounds" },
  { config: fusedConv2DConfig, why: "crash: as Conv2D; the misfit case is refused with a typed error" },
  { config: conv2DBackpropFilterConfig, why: "missing: conv2d filter gradient" },
  { config: conv2DBackpropInputConfig, why: "naive loop: conv2d input gradient and conv2dTranspose forward" },
  { config: conv3DConfig, why: "naive loop: conv3d forward" },
  { config: conv3DBackpropFilterV2Config, why: "naive loop: conv3d filter gradient" },
  { config: conv3DBackpropInputV2Config, why: "naive loop: conv3d input gradient and conv3dTranspose forward" },
  { config: batchMatMulConfig, why: "naive loop when transposed or batched: dense-layer gradients" },
  { config: unsortedSegmentSumConfig, why: "missing: gather (embedding) gradient" },
  { config: sumConfig, why: "full transpose before reducing leading axes: batch-norm statistics, bias gradients" },
  { config: meanConfig, why: "as Sum" },
  { config: tileConfig, why: "slow generic loop: batch-norm gradients tile per-channel vectors to full activations" },
]

let registered = false

/** Puts {@link wasmTrainingKernels} in tfjs' kernel registry for backend `wasm`, replacing shipped ones. */
export const registerWasmTrainingKernels = (): void => {
  if (registered) return
  // keep the shipped kernels reachable before they are replaced
  for (const name of [BatchMatMul, Conv2D, FusedConv2D, Sum, Mean]) shippedWasmKernel(name)
  for (const { config } of wasmTrainingKernels) {
    if (getKernel(config.kernelName, "wasm") !== undefined) unregisterKernel(config.kernelName, "wasm")
    registerKernel(config)
  }
  registered = true
}
