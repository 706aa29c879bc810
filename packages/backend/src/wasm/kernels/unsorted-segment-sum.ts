/**
 * `UnsortedSegmentSum` on wasm (the backend ships none). It is the gradient of `GatherV2` (embedding lookups in
 * conditional GANs), so without it those models cannot train on wasm. Ids outside `[0, numSegments)` are dropped,
 * as TensorFlow does.
 */
import { UnsortedSegmentSum, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs-core"
import { allocate, heapFloat32, heapIndexOf, heapInt32, type WasmBackend } from "../wasm-heap.ts"
import { KernelInputUnsupported } from "../../backend-errors.ts"

const size = (shape: ReadonlyArray<number>): number => shape.reduce((a, b) => a * b, 1)

/** Kernel config for registration under backend `wasm`. */
export const unsortedSegmentSumConfig: KernelConfig = {
  kernelName: UnsortedSegmentSum,
  backendName: "wasm",
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x, segmentIds } = inputs as { x: TensorInfo; segmentIds: TensorInfo }
    const { numSegments } = attrs as { numSegments: number }
    const wasm = backend as WasmBackend
    if (x.dtype !== "float32" && x.dtype !== "int32") {
      throw new KernelInputUnsupported({ kernel: UnsortedSegmentSum, backend: "wasm", reason: `x is ${x.dtype}` })
    }
    const ids = size(segmentIds.shape)
    const inner = ids === 0 ? 0 : size(x.shape) / ids
    const outShape = [numSegments, ...x.shape.slice(segmentIds.shape.length)]
    const out = allocate(wasm, outShape, x.dtype)
    const heap = x.dtype === "float32" ? heapFloat32(wasm) : heapInt32(wasm)
    const idHeap = heapInt32(wasm)
    const xStart = heapIndexOf(wasm, x)
    const idStart = heapIndexOf(wasm, segmentIds)
    const outStart = heapIndexOf(wasm, out)
    heap.fill(0, outStart, outStart + numSegments * inner)
    for (let i = 0; i < ids; i++) {
      const segment = idHeap[idStart + i]!
      if (segment < 0 || segment >= numSegments) continue
      const to = outStart + segment * inner
      const from = xStart + i * inner
      for (let j = 0; j < inner; j++) heap[to + j]! += heap[from + j]!
    }
    return out
  },
}
