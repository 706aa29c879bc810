/**
 * Householder tridiagonalisation on @ganflow/native's blocked, threaded float64 kernel
 * (csrc/symmetric_tridiagonal_f64.cc: panels of 32 columns, rank-2k updates on the float64 cross-product
 * kernel) when the addon is built and has it. Same contract as reduceToTridiagonal in
 * symmetric-eigenvalues.ts, whose WebAssembly and TypeScript versions remain the fallback.
 */
import { nativeAddonFunction } from "./native-addon-function.ts"

const nativeKernel = nativeAddonFunction("symmetricTridiagonalF64")

/** Whether the native tridiagonal reduction is available in this process. */
export const nativeTridiagonalAvailable = (): boolean => nativeKernel() !== null

/**
 * Reduces the symmetric matrix whose lower triangle is `a` (row-major n x n, not modified) natively into
 * `diagonal` and `offDiagonal` ([i] couples rows i-1 and i, [0] = 0); returns false (doing nothing) when
 * the addon or the kernel is missing.
 */
export const reduceToTridiagonalNative = (
  a: Float64Array,
  n: number,
  diagonal: Float64Array,
  offDiagonal: Float64Array,
): boolean => {
  const run = nativeKernel()
  if (run === null) return false
  run(a, n, diagonal, offDiagonal)
  return true
}
