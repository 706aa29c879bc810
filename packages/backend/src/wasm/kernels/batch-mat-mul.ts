/**
 * `BatchMatMul` on wasm that always reaches XNNPACK. The shipped kernel sends transposed or batched products
 * (every dense-layer gradient: `dy @ Wᵀ`, `xᵀ @ dy`) to a naive triple loop ~40x slower; here operands are
 * transposed on the heap in tiles and batches are run one product at a time (or folded into rows).
 */
import { BatchMatMul, broadcast_util, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs-core"
import { transposeMatrixOnHeap } from "../heap-transpose.ts"
import { shippedWasmKernel } from "../shipped-kernels.ts"
import { matMulOnWasm } from "../wasm-mat-mul.ts"
import { allocate, heapFloat32, heapIndexOf, release, viewAs, type WasmBackend } from "../wasm-heap.ts"

const size = (shape: ReadonlyArray<number>): number => shape.reduce((a, b) => a * b, 1)

/**
 * Matrix `index` of a batch of `rows` x `cols` matrices, as a fresh `[cols, rows]` tensor when `transpose`,
 * else a fresh `[rows, cols]` copy (or a view when the batch holds only that matrix).
 */
const matrixOf = (
  backend: WasmBackend,
  tensor: TensorInfo,
  index: number,
  rows: number,
  cols: number,
  transpose: boolean,
): { matrix: TensorInfo; owned: boolean } => {
  if (!transpose && size(tensor.shape) === rows * cols) return { matrix: viewAs(tensor, [rows, cols]), owned: false }
  const matrix = allocate(backend, transpose ? [cols, rows] : [rows, cols])
  const heap = heapFloat32(backend)
  const from = heapIndexOf(backend, tensor) + index * rows * cols
  const to = heapIndexOf(backend, matrix)
  if (transpose) transposeMatrixOnHeap(heap, from, rows, cols, to)
  else heap.copyWithin(to, from, from + rows * cols)
  return { matrix, owned: true }
}

/** Kernel config for registration under backend `wasm` (calls the shipped kernel for the case it does fast). */
export const batchMatMulConfig: KernelConfig = {
  kernelName: BatchMatMul,
  backendName: "wasm",
  setupFunc: (backend) => shippedWasmKernel(BatchMatMul).setupFunc?.(backend),
  kernelFunc: (args) => {
    const shipped = shippedWasmKernel(BatchMatMul).kernelFunc
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo }
    const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean }
    const backend = args.backend as WasmBackend
    const rankA = a.shape.length
    const rankB = b.shape.length
    const batchA = size(a.shape.slice(0, -2))
    const batchB = size(b.shape.slice(0, -2))
    const plain = !transposeA && !transposeB && batchA === 1 && batchB === 1
    const broadcastable = batchA === batchB || batchA === 1 || batchB === 1
    if (plain || !broadcastable || a.dtype !== "float32" || b.dtype !== "float32") return shipped(args)
    const aRows = a.shape[rankA - 2]!
    const aCols = a.shape[rankA - 1]!
    const bRows = b.shape[rankB - 2]!
    const bCols = b.shape[rankB - 1]!
    const m = transposeA ? aCols : aRows
    const n = transposeB ? bRows : bCols
    const outShape = [
      ...broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2)),
      m,
      n,
    ]
    if (batchB === 1 && !transposeA) {
      // Every matrix of `a` meets the same `b`: one product with the batch folded into the rows.
      const left = viewAs(a, [batchA * aRows, aCols])
      const right = matrixOf(backend, b, 0, bRows, bCols, transposeB)
      const out = matMulOnWasm(backend, left, right.matrix)
      if (right.owned) release(backend, right.matrix)
      return viewAs(out, outShape)
    }
    const batch = Math.max(batchA, batchB)
    const out = allocate(backend, outShape)
    for (let i = 0; i < batch; i++) {
      const left = matrixOf(backend, a, batchA === 1 ? 0 : i, aRows, aCols, transposeA)
      const right = matrixOf(backend, b, batchB === 1 ? 0 : i, bRows, bCols, transposeB)
      const part = matMulOnWasm(backend, left.matrix, right.matrix)
      if (left.owned) release(backend, left.matrix)
      if (right.owned) release(backend, right.matrix)
      const heap = heapFloat32(backend)
      const from = heapIndexOf(backend, part)
      heap.copyWithin(heapIndexOf(backend, out) + i * m * n, from, from + m * n)
      release(backend, part)
    }
    return out
  },
}
