/**
 * Convolution and its two gradients as im2col/col2im on the wasm heap plus one non-transposed XNNPACK matMul each,
 * for 2-D and 3-D alike. Work is split into groups of samples so a column matrix stays under
 * {@link MAX_COLUMN_ELEMENTS} (wasm32 memory tops out at 4 GiB and never shrinks).
 */
import type { TensorInfo } from "@tensorflow/tfjs-core"
import { writeColumns, writeColumnsTransposed, scatterAddColumns } from "./convolution-columns.ts"
import type { ConvolutionGeometry } from "./convolution-geometry.ts"
import { positionsPerSample, tapsPerPosition } from "./convolution-geometry.ts"
import { transposeMatrixOnHeap } from "./heap-transpose.ts"
import { matMulOnWasm } from "./wasm-mat-mul.ts"
import { allocate, heapFloat32, heapIndexOf, release, viewAs, type WasmBackend } from "./wasm-heap.ts"

/** Largest column matrix built at once, in float32 elements (64 MiB). */
export const MAX_COLUMN_ELEMENTS = 1 << 24

const samplesPerGroup = (g: ConvolutionGeometry): number =>
  Math.max(1, Math.floor(MAX_COLUMN_ELEMENTS / (positionsPerSample(g) * tapsPerPosition(g))))

const size = (shape: ReadonlyArray<number>): number => shape.reduce((a, b) => a * b, 1)

/** Rows `[b0, b1)` of `dy` viewed as `[batch * positions, outC]`: a view when that is all of it, else a copy. */
const dyRows = (backend: WasmBackend, dy: TensorInfo, g: ConvolutionGeometry, b0: number, b1: number) => {
  const rowsPerSample = positionsPerSample(g)
  const shape = [(b1 - b0) * rowsPerSample, g.outC]
  if (b0 === 0 && b1 === g.batch) return { rows: viewAs(dy, shape), owned: false }
  const rows = allocate(backend, shape)
  const heap = heapFloat32(backend)
  const from = heapIndexOf(backend, dy) + b0 * rowsPerSample * g.outC
  heap.copyWithin(heapIndexOf(backend, rows), from, from + size(shape))
  return { rows, owned: true }
}

/** Forward convolution `y = conv(x, filter)`; `outShape` is tfjs' output shape (NHWC or NDHWC). */
export const convolveByColumns = (
  backend: WasmBackend,
  x: TensorInfo,
  filter: TensorInfo,
  g: ConvolutionGeometry,
  outShape: Array<number>,
): TensorInfo => {
  const taps = tapsPerPosition(g)
  const positions = positionsPerSample(g)
  const weights = viewAs(filter, [taps, g.outC])
  const group = samplesPerGroup(g)
  const single = group >= g.batch
  const y = single ? undefined : allocate(backend, outShape)
  for (let b0 = 0; b0 < g.batch; b0 += group) {
    const b1 = Math.min(g.batch, b0 + group)
    const col = allocate(backend, [(b1 - b0) * positions, taps])
    writeColumns(heapFloat32(backend), heapIndexOf(backend, x), heapIndexOf(backend, col), g, b0, b1)
    const part = matMulOnWasm(backend, col, weights)
    release(backend, col)
    if (y === undefined) return viewAs(part, outShape)
    const heap = heapFloat32(backend)
    const from = heapIndexOf(backend, part)
    heap.copyWithin(heapIndexOf(backend, y) + b0 * positions * g.outC, from, from + size(part.shape))
    release(backend, part)
  }
  return y!
}

/** Filter gradient `dL/dfilter` from the layer input `x` and `dy = dL/dy`; returns `filterShape`. */
export const filterGradientByColumns = (
  backend: WasmBackend,
  x: TensorInfo,
  dy: TensorInfo,
  g: ConvolutionGeometry,
  filterShape: Array<number>,
): TensorInfo => {
  const taps = tapsPerPosition(g)
  const group = samplesPerGroup(g)
  let sum: TensorInfo | undefined
  for (let b0 = 0; b0 < g.batch; b0 += group) {
    const b1 = Math.min(g.batch, b0 + group)
    const n = (b1 - b0) * positionsPerSample(g)
    const colT = allocate(backend, [taps, n])
    writeColumnsTransposed(heapFloat32(backend), heapIndexOf(backend, x), heapIndexOf(backend, colT), g, b0, b1)
    const { rows, owned } = dyRows(backend, dy, g, b0, b1)
    const part = matMulOnWasm(backend, colT, rows)
    release(backend, colT)
    if (owned) release(backend, rows)
    if (sum === undefined) {
      sum = part
      continue
    }
    const heap = heapFloat32(backend)
    const into = heapIndexOf(backend, sum)
    const from = heapIndexOf(backend, part)
    for (let i = 0, count = taps * g.outC; i < count; i++) heap[into + i]! += heap[from + i]!
    release(backend, part)
  }
  return viewAs(sum!, filterShape)
}

/** Input gradient `dL/dx` from `dy = dL/dy` and the filter; returns `inputShape` (also conv-transpose forward). */
export const inputGradientByColumns = (
  backend: WasmBackend,
  dy: TensorInfo,
  filter: TensorInfo,
  g: ConvolutionGeometry,
  inputShape: Array<number>,
): TensorInfo => {
  const taps = tapsPerPosition(g)
  const filterT = allocate(backend, [g.outC, taps])
  const dx = allocate(backend, inputShape)
  {
    const heap = heapFloat32(backend)
    transposeMatrixOnHeap(heap, heapIndexOf(backend, filter), taps, g.outC, heapIndexOf(backend, filterT))
    const start = heapIndexOf(backend, dx)
    heap.fill(0, start, start + size(inputShape))
  }
  const group = samplesPerGroup(g)
  for (let b0 = 0; b0 < g.batch; b0 += group) {
    const b1 = Math.min(g.batch, b0 + group)
    const { rows, owned } = dyRows(backend, dy, g, b0, b1)
    const col = matMulOnWasm(backend, rows, filterT)
    if (owned) release(backend, rows)
    scatterAddColumns(heapFloat32(backend), heapIndexOf(backend, col), heapIndexOf(backend, dx), g, b0, b1)
    release(backend, col)
  }
  release(backend, filterT)
  return dx
}
