/**
 * Matrix transpose on the wasm heap in cache-sized tiles. The wasm backend's own `Transpose` walks generic
 * N-d index maths element by element; for the 2-D case kernels need, tiles are several times faster.
 */

const TILE = 32

/**
 * Writes the transpose of the `rows` x `cols` row-major matrix at `heap[source..]` to `heap[target..]`
 * (`cols` x `rows`). The two ranges must not overlap.
 */
export const transposeMatrixOnHeap = (
  heap: Float32Array,
  source: number,
  rows: number,
  cols: number,
  target: number,
): void => {
  for (let r0 = 0; r0 < rows; r0 += TILE) {
    const r1 = Math.min(r0 + TILE, rows)
    for (let c0 = 0; c0 < cols; c0 += TILE) {
      const c1 = Math.min(c0 + TILE, cols)
      for (let r = r0; r < r1; r++) {
        const from = source + r * cols
        for (let c = c0; c < c1; c++) heap[target + c * rows + r] = heap[from + c]!
      }
    }
  }
}
