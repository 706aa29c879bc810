/**
 * Cache-blocked float64 matrix product `out += Aᵀ·B` for row-major matrices whose
 * shared dimension runs down the rows (the layout of a sample matrix: one sample per row).
 *
 * This one kernel covers every dense product the metrics need: the scatter matrix XᵀX of a
 * centred feature matrix (covariance), S·L and Lᵀ·G in the Fréchet trace, and X·Yᵀ for KID
 * (after transposing X and Y). Columns are packed in groups of four over blocks of
 * {@link CROSS_PRODUCT_DEPTH_BLOCK} rows so that the 4x4 register-blocked inner loop reads
 * two contiguous streams; V8 keeps the sixteen accumulators unboxed.
 */

import { accumulateCrossProductNative } from "./cross-product-native.ts"
import { accumulateCrossProductWasm } from "./cross-product-wasm.ts"

/** Rows of A and B packed per pass (the "kc" of GotoBLAS); 256 x 4 doubles = 8 KiB per micro-panel. */
export const CROSS_PRODUCT_DEPTH_BLOCK = 256

/** Which part of the output a cross product fills. */
export type CrossProductPart = "full" | "upper"

/**
 * Known zero structure of the operands, letting the product skip work (the result is the same
 * as for dense operands with those zeros): "a-lower" — A[s][i] = 0 for s < i; "b-lower" —
 * B[s][j] = 0 for s < j (lower-trapezoidal factors such as a pivoted Cholesky factor in pivot order).
 */
export type CrossProductOperandShape = "dense" | "a-lower" | "b-lower"

/**
 * `out[i*n + j] += Σ_s a[s*m + i] · b[s*n + j]` for s < k, i < m, j < n.
 *
 * @param a row-major k x m
 * @param b row-major k x n (may be the same array as `a`, with n = m, for a Gram matrix)
 * @param out row-major m x n, accumulated into (zero it first for a plain product)
 * @param part "upper": only blocks on or above the diagonal are computed (for a symmetric
 *   result, a = b); entries strictly below the diagonal inside diagonal 4x4 blocks are also
 *   written, everything further below is left untouched. Use {@link mirrorUpperToLower} after.
 */
export const accumulateCrossProduct = (
  a: Float64Array,
  b: Float64Array,
  k: number,
  m: number,
  n: number,
  out: Float64Array,
  part: CrossProductPart = "full",
  shape: CrossProductOperandShape = "dense",
): void => {
  if (a.length < k * m || b.length < k * n || out.length < m * n) {
    throw new RangeError(`accumulateCrossProduct: arrays too short for k=${k}, m=${m}, n=${n}`)
  }
  const depth = Math.min(CROSS_PRODUCT_DEPTH_BLOCK, Math.max(k, 1))
  if (k === 0 || m === 0 || n === 0) return
  if (kernelChoice === "native" && accumulateCrossProductNative(a, b, k, m, n, out, part === "upper", shape)) return
  if (kernelChoice !== "plain" && accumulateCrossProductWasm(a, b, k, m, n, out, part === "upper", depth, shape)) return
  accumulateCrossProductPlain(a, b, k, m, n, out, part, depth, shape)
}

/**
 * Which kernel runs a cross product: "native" (default: @ganflow/native's threaded AVX-512/AVX2
 * float64 kernel, falling back to wasm when the addon is not built), "wasm" (WebAssembly SIMD,
 * falling back to plain) or "plain" (the TypeScript loops, the reference tests compare with).
 */
export type CrossProductKernel = "native" | "wasm" | "plain"

let kernelChoice: CrossProductKernel = "native"

/** Chooses the cross-product kernel for this process; returns the previous choice. */
export const setCrossProductKernel = (choice: CrossProductKernel): CrossProductKernel => {
  const previous = kernelChoice
  kernelChoice = choice
  return previous
}

const accumulateCrossProductPlain = (
  a: Float64Array,
  b: Float64Array,
  k: number,
  m: number,
  n: number,
  out: Float64Array,
  part: CrossProductPart,
  depth: number,
  shape: CrossProductOperandShape,
): void => {
  const groupsM = (m + 3) >> 2
  const groupsN = (n + 3) >> 2
  const packedA = new Float64Array(groupsM * depth * 4)
  const sameOperand = a === b && m === n
  const packedB = sameOperand ? packedA : new Float64Array(groupsN * depth * 4)
  for (let k0 = 0; k0 < k; k0 += depth) {
    const kc = Math.min(depth, k - k0)
    packColumnGroups(a, m, k0, kc, packedA)
    if (!sameOperand) packColumnGroups(b, n, k0, kc, packedB)
    // Groups whose columns are all zero in rows k0..k0+kc-1 of a lower-trapezoidal operand are skipped.
    const liveGroups = (k0 + kc + 3) >> 2
    const lastI = shape === "a-lower" ? Math.min(groupsM, liveGroups) : groupsM
    const lastJ = shape === "b-lower" ? Math.min(groupsN, liveGroups) : groupsN
    for (let gi = 0; gi < lastI; gi++) {
      const firstJ = part === "upper" ? gi : 0
      for (let gj = firstJ; gj < lastJ; gj++) {
        multiplyMicroPanels(packedA, gi * kc * 4, packedB, gj * kc * 4, kc, out, gi * 4, gj * 4, m, n)
      }
    }
  }
}

/** Copies the upper triangle of a square row-major matrix onto its lower triangle. */
export const mirrorUpperToLower = (c: Float64Array, n: number): void => {
  for (let i = 1; i < n; i++) {
    const row = i * n
    for (let j = 0; j < i; j++) c[row + j] = c[j * n + i]!
  }
}

/** Packs rows k0..k0+kc of a row-major (.. x width) matrix as [group][row][4], zero-padding the last group. */
const packColumnGroups = (
  src: Float64Array,
  width: number,
  k0: number,
  kc: number,
  dst: Float64Array,
): void => {
  const fullGroups = width >> 2
  const stride = kc * 4
  for (let s = 0; s < kc; s++) {
    const row = (k0 + s) * width
    let o = s * 4
    for (let g = 0; g < fullGroups; g++) {
      const c = row + g * 4
      dst[o] = src[c]!
      dst[o + 1] = src[c + 1]!
      dst[o + 2] = src[c + 2]!
      dst[o + 3] = src[c + 3]!
      o += stride
    }
    if (fullGroups * 4 < width) {
      for (let t = 0; t < 4; t++) {
        const col = fullGroups * 4 + t
        dst[o + t] = col < width ? src[row + col]! : 0
      }
    }
  }
}

/** 4x4 register-blocked kernel: out[i0.., j0..] += Σ_s pa[s][0..3] ⊗ pb[s][0..3]. */
const multiplyMicroPanels = (
  pa: Float64Array,
  ao: number,
  pb: Float64Array,
  bo: number,
  kc: number,
  out: Float64Array,
  i0: number,
  j0: number,
  m: number,
  n: number,
): void => {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0
  const end = ao + kc * 4
  for (let p = ao, q = bo; p < end; p += 4, q += 4) {
    const a0 = pa[p]!, a1 = pa[p + 1]!, a2 = pa[p + 2]!, a3 = pa[p + 3]!
    const b0 = pb[q]!, b1 = pb[q + 1]!, b2 = pb[q + 2]!, b3 = pb[q + 3]!
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3
  }
  if (i0 + 4 <= m && j0 + 4 <= n) {
    let o = i0 * n + j0
    out[o] = out[o]! + c00; out[o + 1] = out[o + 1]! + c01; out[o + 2] = out[o + 2]! + c02; out[o + 3] = out[o + 3]! + c03; o += n
    out[o] = out[o]! + c10; out[o + 1] = out[o + 1]! + c11; out[o + 2] = out[o + 2]! + c12; out[o + 3] = out[o + 3]! + c13; o += n
    out[o] = out[o]! + c20; out[o + 1] = out[o + 1]! + c21; out[o + 2] = out[o + 2]! + c22; out[o + 3] = out[o + 3]! + c23; o += n
    out[o] = out[o]! + c30; out[o + 1] = out[o + 1]! + c31; out[o + 2] = out[o + 2]! + c32; out[o + 3] = out[o + 3]! + c33
    return
  }
  const block = [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33]
  for (let r = 0; r < 4 && i0 + r < m; r++) {
    for (let c = 0; c < 4 && j0 + c < n; c++) out[(i0 + r) * n + j0 + c] = out[(i0 + r) * n + j0 + c]! + block[r * 4 + c]!
  }
}
