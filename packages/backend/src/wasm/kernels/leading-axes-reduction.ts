/**
 * `Sum` and `Mean` on wasm when the reduced axes are the leading ones (`[0, 1, 2]` of NHWC: batch-norm statistics
 * and their gradients; `[0]` of `[batch, features]`: bias gradients). The shipped kernels first transpose the
 * reduced axes to the end with the generic N-d `Transpose` — a full copy of the activation per reduction — then
 * reduce; here each row is added straight into a float64 accumulator of the kept size. Other axes go to the
 * shipped kernels.
 */
import { Mean, Sum, util, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs-core"
import { shippedWasmKernel } from "../shipped-kernels.ts"
import { allocate, heapFloat32, heapIndexOf, type WasmBackend } from "../wasm-heap.ts"

/** The reduced axes normalised to `[0, k)` with k >= 1 and k < rank, or undefined when they are not leading. */
const leadingAxes = (axis: number | Array<number>, rank: number): number | undefined => {
  const axes = [...new Set((Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + rank : a)))].sort((a, b) => a - b)
  if (axes.length === 0 || axes.length >= rank) return undefined
  return axes.every((a, i) => a === i) ? axes.length : undefined
}

const reduceLeading = (kernel: typeof Sum | typeof Mean): KernelConfig => ({
  kernelName: kernel,
  backendName: "wasm",
  setupFunc: (backend) => shippedWasmKernel(kernel).setupFunc?.(backend),
  kernelFunc: (args) => {
    const { x } = args.inputs as { x: TensorInfo }
    const { axis, keepDims } = args.attrs as { axis: number | Array<number>; keepDims: boolean }
    const reduced = leadingAxes(axis, x.shape.length)
    if (reduced === undefined || x.dtype !== "float32" || util.sizeFromShape(x.shape) === 0) {
      return shippedWasmKernel(kernel).kernelFunc(args)
    }
    const backend = args.backend as WasmBackend
    const rows = util.sizeFromShape(x.shape.slice(0, reduced))
    const width = util.sizeFromShape(x.shape.slice(reduced))
    const outShape = keepDims ? x.shape.map((size, i) => (i < reduced ? 1 : size)) : x.shape.slice(reduced)
    const out = allocate(backend, outShape)
    const heap = heapFloat32(backend)
    const from = heapIndexOf(backend, x)
    const to = heapIndexOf(backend, out)
    const total = new Float64Array(width)
    for (let r = 0; r < rows; r++) {
      const row = from + r * width
      for (let c = 0; c < width; c++) total[c]! += heap[row + c]!
    }
    const scale = kernel === Mean ? 1 / rows : 1
    for (let c = 0; c < width; c++) heap[to + c] = total[c]! * scale
    return out
  },
})

/** `Sum` over leading axes on the heap; kernel config for backend `wasm`. */
export const sumConfig: KernelConfig = reduceLeading(Sum)

/** `Mean` over leading axes on the heap; kernel config for backend `wasm`. */
export const meanConfig: KernelConfig = reduceLeading(Mean)
