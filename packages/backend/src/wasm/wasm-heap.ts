/**
 * Float32 views of tensors that live on the wasm heap, and scratch tensors allocated there, so kernels written in
 * TypeScript read and write backend memory directly (no copy out to JS arrays and back).
 */
import type { DataType, TensorInfo } from "@tensorflow/tfjs-core"
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm"

/** The wasm backend as kernels see it. */
export type WasmBackend = BackendWasm

/**
 * The whole heap as Float32Array. Built from the memory's current buffer on every call: the heap grows (new buffer)
 * whenever an allocation does not fit, so a view kept across allocations may be stale.
 */
export const heapFloat32 = (backend: WasmBackend): Float32Array => {
  const module = backend.wasm as unknown as { wasmMemory?: WebAssembly.Memory; HEAPU8: Uint8Array }
  const buffer = module.wasmMemory?.buffer ?? module.HEAPU8.buffer
  return new Float32Array(buffer)
}

/** The whole heap as Int32Array (for int32 index tensors); same caveat as {@link heapFloat32}. */
export const heapInt32 = (backend: WasmBackend): Int32Array => new Int32Array(heapFloat32(backend).buffer)

/** Index (in float32 elements) of a tensor's first element within {@link heapFloat32}. */
export const heapIndexOf = (backend: WasmBackend, tensor: TensorInfo): number =>
  backend.dataIdMap.get(tensor.dataId)!.memoryOffset / 4

/** Allocates an uninitialised tensor on the heap; the caller owns it (return it or `release` it). */
export const allocate = (backend: WasmBackend, shape: Array<number>, dtype: DataType = "float32"): TensorInfo =>
  backend.makeOutput(shape, dtype)

/** Frees a scratch tensor made by {@link allocate} or by a kernel call inside another kernel. */
export const release = (backend: WasmBackend, tensor: TensorInfo): void => {
  backend.disposeData(tensor.dataId)
}

/** The same data under another shape (no copy; the result shares the input's storage and must not be released). */
export const viewAs = (tensor: TensorInfo, shape: Array<number>): TensorInfo => ({
  dataId: tensor.dataId,
  shape,
  dtype: tensor.dtype,
})
