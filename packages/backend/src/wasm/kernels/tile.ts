/**
 * `Tile` on wasm as block copies. The shipped kernel computes every output element's source index in a generic
 * N-d loop; tfjs' batch-norm gradient tiles a per-channel vector to the whole activation (`[1,1,1,C]` ->
 * `[B,H,W,C]`) several times per step, which made Tile the largest kernel of a DCGAN step (~23 %). Here each
 * input row is copied once and every repetition is made by doubling `copyWithin` (memcpy speed), any dtype.
 */
import { Tile, util, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs-core"
import { allocate, heapFloat32, type WasmBackend } from "../wasm-heap.ts"

/** Copies `heap[start, start + size)` so that it appears `times` times back to back (doubling copies). */
const repeatBlock = (heap: Uint8Array, start: number, size: number, times: number): void => {
  let filled = size
  const total = size * times
  while (filled < total) {
    const chunk = Math.min(filled, total - filled)
    heap.copyWithin(start + filled, start, start + chunk)
    filled += chunk
  }
}

/** Kernel config for registration under backend `wasm`. */
export const tileConfig: KernelConfig = {
  kernelName: Tile,
  backendName: "wasm",
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x } = inputs as { x: TensorInfo }
    const { reps } = attrs as { reps: Array<number> }
    const wasm = backend as WasmBackend
    const rank = x.shape.length
    const outShape = x.shape.map((size, axis) => size * reps[axis]!)
    const out = allocate(wasm, outShape, x.dtype)
    if (util.sizeFromShape(outShape) === 0) return out
    const bytesPerElement = util.bytesPerElement(x.dtype)
    const heap = new Uint8Array(heapFloat32(wasm).buffer)
    const source = wasm.dataIdMap.get(x.dataId)!.memoryOffset
    const target = wasm.dataIdMap.get(out.dataId)!.memoryOffset
    // Bytes of one input / output slice below each axis.
    const inBelow = new Array<number>(rank + 1).fill(bytesPerElement)
    const outBelow = new Array<number>(rank + 1).fill(bytesPerElement)
    for (let axis = rank - 1; axis >= 0; axis--) {
      inBelow[axis] = inBelow[axis + 1]! * x.shape[axis]!
      outBelow[axis] = outBelow[axis + 1]! * outShape[axis]!
    }
    // Writes the tiled block of `axis` (all of its output) from the input block at `from` to `to`.
    const fill = (axis: number, from: number, to: number): void => {
      const size = x.shape[axis]!
      if (axis === rank - 1) {
        heap.copyWithin(to, from, from + inBelow[axis]!)
      } else {
        for (let i = 0; i < size; i++) fill(axis + 1, from + i * inBelow[axis + 1]!, to + i * outBelow[axis + 1]!)
      }
      repeatBlock(heap, to, size * outBelow[axis + 1]!, reps[axis]!)
    }
    if (rank === 0) heap.copyWithin(target, source, source + bytesPerElement)
    else fill(0, source, target)
    return out
  },
}
