/**
 * The float64 cross product `out += Aᵀ·B` on @ganflow/native's threaded, cache-blocked AVX-512/AVX2 kernel
 * (csrc/gemm_f64.cc), when the addon is built and has it. Same contract as accumulateCrossProduct; the
 * WebAssembly and TypeScript kernels remain the fallback.
 */
import type { CrossProductOperandShape } from "./cross-product.ts"
import { nativeAddonFunction } from "./native-addon-function.ts"

const SHAPE_CODES = { dense: 0, "a-lower": 1, "b-lower": 2 } as const

const nativeKernel = nativeAddonFunction("crossProductF64")

/** Whether the native float64 kernel is available in this process. */
export const nativeCrossProductAvailable = (): boolean => nativeKernel() !== null

/** Runs the product natively; returns false (doing nothing) when the addon or its float64 kernel is missing. */
export const accumulateCrossProductNative = (
  a: Float64Array,
  b: Float64Array,
  k: number,
  m: number,
  n: number,
  out: Float64Array,
  upper: boolean,
  shape: CrossProductOperandShape,
): boolean => {
  const run = nativeKernel()
  if (run === null) return false
  run(a, b, out, k, m, n, upper, SHAPE_CODES[shape])
  return true
}
