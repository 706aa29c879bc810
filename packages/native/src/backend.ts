/**
 * The "native" TensorFlow.js backend: the plain cpu backend (tensor data are JS TypedArrays in this process)
 * whose hot kernels call the C++ addon directly on those arrays, without copies.
 */
import { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import type { backend_util, DataId, DataType, TensorInfo } from "@tensorflow/tfjs-core";

import type { NativeAddon } from "./addon.ts";

/** Name under which the backend and its kernels are registered with TensorFlow.js. */
export const nativeBackendName = "native";

/** Most bytes of freed tensor arrays kept for reuse (beyond that they are left to the garbage collector). */
const poolLimitBytes = 2 * 1024 ** 3;

/**
 * A cpu backend that also owns a handle on the native addon, and recycles the arrays of disposed tensors.
 *
 * Recycling: a training step allocates the same large tensors every step; fresh memory for each costs page faults
 * (and garbage-collector pressure) that dwarf memory-bound kernels. Arrays created by `allocFloat32` are "owned";
 * when the last tensor referencing an owned buffer (directly or through a view, e.g. a cpu Slice) is disposed,
 * the buffer goes to a pool keyed by length. Reads (`dataSync`, `data`, `arraySync`...) of owned buffers return
 * copies, so no array handed to user code is ever recycled under it. GANFLOW_NATIVE_POOL=0 disables the pool.
 */
export class NativeBackend extends MathBackendCPU {
  private readonly owned = new WeakSet<ArrayBufferLike>();
  private readonly liveViews = new Map<ArrayBufferLike, number>();
  private readonly pool = new Map<number, Float32Array[]>();
  private pooledBytes = 0;
  private readonly pooling = process.env.GANFLOW_NATIVE_POOL !== "0";

  constructor(readonly addon: NativeAddon) {
    super();
    // The cpu backend prints "Hi, looks like you are running TensorFlow.js in Node.js… install our node backend" on
    // its first write unless that write has happened; this backend is the native one, so the advice never applies.
    (this as unknown as { firstUse: boolean }).firstUse = false;
  }

  override write(values: backend_util.BackendValues, shape: number[], dtype: DataType): DataId {
    const id = super.write(values, shape, dtype);
    this.track(values);
    return id;
  }

  override move(dataId: DataId, values: backend_util.BackendValues, shape: number[], dtype: DataType, refCount: number): void {
    if (this.data.has(dataId)) this.release(this.data.get(dataId).values);
    super.move(dataId, values, shape, dtype, refCount);
    this.track(values);
  }

  override disposeData(dataId: DataId, force = false): boolean {
    const values = this.data.has(dataId) ? this.data.get(dataId).values : undefined;
    const released = super.disposeData(dataId, force);
    if (values !== undefined && !this.data.has(dataId)) this.release(values);
    return released;
  }

  override readSync(dataId: DataId): backend_util.BackendValues {
    const values = super.readSync(dataId);
    return values instanceof Float32Array && this.owned.has(values.buffer) ? values.slice() : values;
  }

  override async read(dataId: DataId): Promise<backend_util.BackendValues> {
    return this.readSync(dataId);
  }

  private track(values: backend_util.BackendValues | undefined): void {
    if (values instanceof Float32Array && this.owned.has(values.buffer)) {
      this.liveViews.set(values.buffer, (this.liveViews.get(values.buffer) ?? 0) + 1);
    }
  }

  private release(values: backend_util.BackendValues | undefined): void {
    if (!(values instanceof Float32Array) || !this.owned.has(values.buffer)) return;
    const buffer = values.buffer;
    const live = (this.liveViews.get(buffer) ?? 1) - 1;
    if (live > 0) {
      this.liveViews.set(buffer, live);
      return;
    }
    this.liveViews.delete(buffer);
    if (!this.pooling || this.pooledBytes + buffer.byteLength > poolLimitBytes) return;
    const whole = new Float32Array(buffer);
    const free = this.pool.get(whole.length) ?? [];
    free.push(whole);
    this.pool.set(whole.length, free);
    this.pooledBytes += buffer.byteLength;
  }

  /** The float32 values of a tensor held by this backend (the live array, not a copy: valid until it is disposed). */
  float32Values(t: TensorInfo): Float32Array {
    const entry = this.data.get(t.dataId);
    const values = entry.values;
    if (values instanceof Float32Array) return values;
    // tfjs-core's Cast of a bool tensor to float32 (Select's gradient, say) keeps the Uint8Array it had;
    // convert once and keep the float copy, so kernels see float32 values as the dtype says
    if (t.dtype === "float32" && ArrayBuffer.isView(values) && !(values instanceof DataView)) {
      const converted = Float32Array.from(values as unknown as ArrayLike<number>);
      entry.values = converted;
      return converted;
    }
    throw new Error(`native backend: tensor of dtype ${t.dtype} and shape [${t.shape}] holds no Float32Array`);
  }

  /**
   * A Float32Array of n elements whose contents are unspecified (not zero-filled): for outputs that a native
   * kernel overwrites completely. Skipping calloc's zeroing (and, with the addon's malloc settings, the page
   * faults of fresh memory) matters for memory-bound kernels.
   */
  allocFloat32(n: number): Float32Array {
    if (n * 4 < 4096) return new Float32Array(n);
    const recycled = this.pool.get(n)?.pop();
    if (recycled) {
      this.pooledBytes -= recycled.byteLength;
      return recycled;
    }
    const bytes = Buffer.allocUnsafeSlow(n * 4);
    const values = new Float32Array(bytes.buffer, bytes.byteOffset, n);
    this.owned.add(values.buffer);
    return values;
  }

  override dispose(): void {
    this.pool.clear();
    this.pooledBytes = 0;
    super.dispose();
  }

  /** Wraps a freshly computed array as a tensor of this backend (the array is adopted, not copied). */
  adopt(shape: readonly number[], values: Float32Array, dtype: DataType = "float32"): TensorInfo {
    return this.makeTensorInfo([...shape], dtype, values);
  }
}
