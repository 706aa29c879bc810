/**
 * Eigenvalues (no eigenvectors) of a dense real symmetric matrix in float64:
 * Householder reduction to tridiagonal form, then the implicit QL algorithm with
 * Wilkinson-style shifts on the tridiagonal matrix (EISPACK tred1 + tql1, the same
 * two-phase scheme as LAPACK dsyev without vectors).
 *
 * The reduction runs on @ganflow/native's blocked, threaded kernel when the addon is built, else in
 * WebAssembly SIMD (or plain TypeScript without WebAssembly).
 *
 * Cost: (4/3)·n³ flops for the reduction, O(n²) for QL. The fallback reduction works on the lower
 * triangle of a row-major copy with row-contiguous loops only (the symmetric matrix-vector
 * product reads each row once, using both A[j][k] and its mirror).
 */

import { reduceToTridiagonalNative } from "./symmetric-tridiagonal-native.ts"
import { float64Kernels, reserveFloat64Kernels, type Float64Kernels } from "./wasm/float64-kernels.ts"

/** Raised (as a RangeError) when QL does not converge in 60 sweeps per eigenvalue; not seen on finite input. */
export const QL_MAX_SWEEPS = 60

/**
 * All eigenvalues of the symmetric matrix `a` (row-major n x n; only the lower triangle is read),
 * in no particular order. `a` is not modified.
 */
export const symmetricEigenvalues = (a: Float64Array, n: number): Float64Array => {
  if (a.length < n * n) throw new RangeError(`symmetricEigenvalues: matrix has ${a.length} entries, need ${n * n}`)
  const diagonal = new Float64Array(n)
  const offDiagonal = new Float64Array(n)
  if (!reduceToTridiagonalNative(a, n, diagonal, offDiagonal)) {
    const kernels = float64Kernels()
    if (kernels !== null) {
      reduceToTridiagonalWasm(kernels, a, n, diagonal, offDiagonal)
    } else {
      reduceToTridiagonal(a.slice(0, n * n), n, diagonal, offDiagonal)
    }
  }
  tridiagonalEigenvaluesQL(diagonal, offDiagonal, n)
  return diagonal
}

/**
 * Householder tridiagonalisation in place on the lower triangle of row-major `a`.
 * Afterwards `diagonal[i]` and `offDiagonal[i]` (coupling i-1 and i; offDiagonal[0] = 0)
 * describe a tridiagonal matrix with the eigenvalues of `a`.
 */
export const reduceToTridiagonal = (
  a: Float64Array,
  n: number,
  diagonal: Float64Array,
  offDiagonal: Float64Array,
): void => {
  const p = new Float64Array(n)
  for (let i = n - 1; i > 0; i--) {
    const rowI = i * n
    const l = i - 1
    let h = 0
    if (l > 0) {
      let scale = 0
      for (let k = 0; k < i; k++) scale += Math.abs(a[rowI + k]!)
      if (scale === 0) {
        offDiagonal[i] = a[rowI + l]!
      } else {
        for (let k = 0; k < i; k++) {
          const v = a[rowI + k]! / scale
          a[rowI + k] = v
          h += v * v
        }
        const f = a[rowI + l]!
        const g = f >= 0 ? -Math.sqrt(h) : Math.sqrt(h)
        offDiagonal[i] = scale * g
        h -= f * g
        a[rowI + l] = f - g
        // p = A[0..i-1, 0..i-1] · u / h, with u = row i (first i entries); one pass over the lower triangle.
        p.fill(0, 0, i)
        for (let j = 0; j < i; j++) {
          const rowJ = j * n
          const uj = a[rowI + j]!
          let acc = 0
          for (let k = 0; k < j; k++) {
            const ajk = a[rowJ + k]!
            acc += ajk * a[rowI + k]!
            p[k] = p[k]! + ajk * uj
          }
          p[j] = p[j]! + acc + a[rowJ + j]! * uj
        }
        let fSum = 0
        for (let j = 0; j < i; j++) {
          p[j] = p[j]! / h
          fSum += p[j]! * a[rowI + j]!
        }
        const hh = fSum / (h + h)
        for (let j = 0; j < i; j++) p[j] = p[j]! - hh * a[rowI + j]!
        // A -= u·pᵀ + p·uᵀ on the lower triangle.
        for (let j = 0; j < i; j++) {
          const rowJ = j * n
          const uj = a[rowI + j]!
          const pj = p[j]!
          for (let k = 0; k <= j; k++) a[rowJ + k] = a[rowJ + k]! - (uj * p[k]! + pj * a[rowI + k]!)
        }
      }
    } else {
      offDiagonal[i] = a[rowI + l]!
    }
    diagonal[i] = h
  }
  offDiagonal[0] = 0
  for (let i = 0; i < n; i++) diagonal[i] = a[i * n + i]!
}

/**
 * {@link reduceToTridiagonal} of a copy of `a` (placed at offset 0 of the kernels' memory, with two
 * scratch vectors after it) in WebAssembly SIMD; `a` is not modified. The rank-2 update of step i is fused
 * with the matrix-vector product of step i−1 (row i−1 is updated first, so the next Householder
 * vector is known), so each step reads and writes the trailing triangle once instead of twice.
 */
export const reduceToTridiagonalWasm = (
  kernels: Float64Kernels,
  matrix: Float64Array,
  n: number,
  diagonal: Float64Array,
  offDiagonal: Float64Array,
): void => {
  reserveFloat64Kernels(kernels, n * n + 2 * n).set(matrix.subarray(0, n * n), 0)
  const { symmetricRowProduct, rankTwoRowUpdate, rankTwoUpdateThenSymmetricRowProduct } = kernels.exports
  const a = kernels.view()
  let pCurrent = n * n
  let pNext = n * n + n
  /** Turns row i into the Householder vector u (first i entries); returns h (0: nothing to do). */
  const householder = (i: number): number => {
    const rowI = i * n
    const l = i - 1
    if (l <= 0) {
      offDiagonal[i] = a[rowI + l]!
      return 0
    }
    let scale = 0
    for (let k = 0; k < i; k++) scale += Math.abs(a[rowI + k]!)
    if (scale === 0) {
      offDiagonal[i] = a[rowI + l]!
      return 0
    }
    let h = 0
    for (let k = 0; k < i; k++) {
      const v = a[rowI + k]! / scale
      a[rowI + k] = v
      h += v * v
    }
    const f = a[rowI + l]!
    const g = f >= 0 ? -Math.sqrt(h) : Math.sqrt(h)
    offDiagonal[i] = scale * g
    h -= f * g
    a[rowI + l] = f - g
    return h
  }
  /** p = A[0..i-1, 0..i-1]·u (u = row i) into pCurrent, unfused. */
  const plainProduct = (i: number): void => {
    const rowI = i * n
    a.fill(0, pCurrent, pCurrent + i)
    for (let j = 0; j < i; j++) {
      const rowJ = j * n
      const uj = a[rowI + j]!
      const acc = symmetricRowProduct(rowJ * 8, rowI * 8, pCurrent * 8, j, uj)
      a[pCurrent + j] = a[pCurrent + j]! + acc + a[rowJ + j]! * uj
    }
  }
  if (n < 2) {
    if (n === 1) diagonal[0] = a[0]!
    offDiagonal[0] = 0
    return
  }
  let h = householder(n - 1)
  if (h !== 0) plainProduct(n - 1)
  for (let i = n - 1; i > 0; i--) {
    const rowI = i * n
    if (h === 0) {
      if (i - 1 >= 1) {
        h = householder(i - 1)
        if (h !== 0) plainProduct(i - 1)
      }
      continue
    }
    // w = p/h − (uᵀp / 2h²)·u, in place of p
    let fSum = 0
    for (let j = 0; j < i; j++) {
      const pj = a[pCurrent + j]! / h
      a[pCurrent + j] = pj
      fSum += pj * a[rowI + j]!
    }
    const hh = fSum / (h + h)
    for (let j = 0; j < i; j++) a[pCurrent + j] = a[pCurrent + j]! - hh * a[rowI + j]!
    const uBytes = rowI * 8
    const wBytes = pCurrent * 8
    // Row i−1 first (it holds the next Householder vector), then the rest fused with the next product.
    rankTwoRowUpdate((i - 1) * n * 8, uBytes, wBytes, i, a[rowI + i - 1]!, a[pCurrent + i - 1]!)
    const hNext = i - 1 >= 1 ? householder(i - 1) : 0
    if (hNext !== 0) {
      const rowNext = (i - 1) * n
      a.fill(0, pNext, pNext + i - 1)
      for (let j = 0; j < i - 1; j++) {
        const rowJ = j * n
        const uj = a[rowI + j]!
        const wj = a[pCurrent + j]!
        const u2j = a[rowNext + j]!
        const acc = rankTwoUpdateThenSymmetricRowProduct(rowJ * 8, uBytes, wBytes, j, uj, wj, rowNext * 8, pNext * 8, u2j)
        const diag = a[rowJ + j]! - 2 * uj * wj
        a[rowJ + j] = diag
        a[pNext + j] = a[pNext + j]! + acc + diag * u2j
      }
      const swap = pCurrent
      pCurrent = pNext
      pNext = swap
    } else {
      for (let j = 0; j < i - 1; j++) rankTwoRowUpdate(j * n * 8, uBytes, wBytes, j + 1, a[rowI + j]!, a[pCurrent + j]!)
    }
    h = hNext
  }
  offDiagonal[0] = 0
  for (let i = 0; i < n; i++) diagonal[i] = a[i * n + i]!
}

/**
 * Implicit QL on a symmetric tridiagonal matrix; on return `diagonal` holds the eigenvalues.
 * `offDiagonal[i]` couples rows i-1 and i (offDiagonal[0] ignored) and is destroyed.
 */
export const tridiagonalEigenvaluesQL = (diagonal: Float64Array, offDiagonal: Float64Array, n: number): void => {
  const d = diagonal
  const e = offDiagonal
  for (let i = 1; i < n; i++) e[i - 1] = e[i]!
  if (n > 0) e[n - 1] = 0
  for (let l = 0; l < n; l++) {
    let iterations = 0
    for (;;) {
      let m = l
      for (; m < n - 1; m++) {
        const dd = Math.abs(d[m]!) + Math.abs(d[m + 1]!)
        if (Math.abs(e[m]!) <= Number.EPSILON * dd) break
      }
      if (m === l) break
      if (++iterations > QL_MAX_SWEEPS) {
        throw new RangeError(`tridiagonalEigenvaluesQL: no convergence for eigenvalue ${l} of ${n}`)
      }
      let g = (d[l + 1]! - d[l]!) / (2 * e[l]!)
      let r = Math.hypot(g, 1)
      g = d[m]! - d[l]! + e[l]! / (g + (g >= 0 ? Math.abs(r) : -Math.abs(r)))
      let s = 1
      let c = 1
      let p = 0
      let i = m - 1
      let underflow = false
      for (; i >= l; i--) {
        let f = s * e[i]!
        const b = c * e[i]!
        r = Math.hypot(f, g)
        e[i + 1] = r
        if (r === 0) {
          d[i + 1] = d[i + 1]! - p
          e[m] = 0
          underflow = true
          break
        }
        s = f / r
        c = g / r
        g = d[i + 1]! - p
        r = (d[i]! - g) * s + 2 * c * b
        p = s * r
        d[i + 1] = g + p
        g = c * r - b
        f = 0
      }
      if (underflow && i >= l) continue
      d[l] = d[l]! - p
      e[l] = g
      e[m] = 0
    }
  }
}
