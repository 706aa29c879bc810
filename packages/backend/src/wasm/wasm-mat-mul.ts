/**
 * The one matMul kernels here build on: `[m, k] @ [k, n]`, never transposed, batch 1 — the only case the wasm
 * backend sends to XNNPACK (multithreaded, SIMD). Transposed or batched calls take a naive loop there.
 */
import type { TensorInfo } from "@tensorflow/tfjs-core"
import { shippedWasmKernel } from "./shipped-kernels.ts"
import type { WasmBackend } from "./wasm-heap.ts"

/** `a @ b` for row-major `a: [m, k]`, `b: [k, n]` on the wasm heap; returns a new `[m, n]` tensor the caller owns. */
export const matMulOnWasm = (backend: WasmBackend, a: TensorInfo, b: TensorInfo): TensorInfo => {
  const kernel = shippedWasmKernel("BatchMatMul")
  const out = kernel.kernelFunc({
    inputs: { a, b },
    backend,
    attrs: { transposeA: false, transposeB: false },
  }) as TensorInfo
  return { dataId: out.dataId, shape: [a.shape[0]!, b.shape[1]!], dtype: out.dtype }
}
