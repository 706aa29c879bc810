/**
 * Loads the compiled addon (`build/Release/ganflow_native.node`) and describes its functions.
 * All array arguments are Float32Arrays read or written in place (zero-copy); the addon checks their lengths.
 */
import { createRequire } from "node:module";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The raw functions exported by the C++ addon. */
export interface NativeAddon {
  /** Active GEMM instruction set, the best one this CPU supports, and the thread-pool size. */
  info(): { isa: string; bestIsa: string; threads: number };
  /** Resizes the thread pool (1..256 threads, the calling thread included). */
  setThreads(threads: number): void;
  /** Forces a GEMM kernel ("avx512" | "avx2" | "sse" | "scalar"); false if this CPU lacks it. */
  setIsa(isa: string): boolean;
  /** out[i] = op(a[i % batchA]) * op(b[i % batchB]) for i < batch; op(a) is m x k, op(b) is k x n. */
  batchMatMul(
    a: Float32Array, b: Float32Array, out: Float32Array,
    batch: number, batchA: number, batchB: number, m: number, n: number, k: number,
    transposeA: boolean, transposeB: boolean,
  ): void;
  /** Convolution forward; shape is the 21-number ConvShape (see conv-shape.ts). */
  convForward(x: Float32Array, filter: Float32Array, y: Float32Array, shape: Float64Array): void;
  /** Gradient of the convolution wrt its input (= transposed convolution). */
  convBackpropInput(dy: Float32Array, filter: Float32Array, dx: Float32Array, shape: Float64Array): void;
  /** Gradient of the convolution wrt its filter. */
  convBackpropFilter(x: Float32Array, dy: Float32Array, dfilter: Float32Array, shape: Float64Array): void;
  /** y = op(x) elementwise; op is a TensorFlow.js kernel name (Relu, LeakyRelu, Tanh, Sigmoid, Exp, Step...). */
  unary(op: string, x: Float32Array, out: Float32Array, alpha: number): void;
  /** out = a op b with broadcasting; record = [rank, outDims..., aDims..., bDims...] (a, b padded with 1s). */
  binary(op: string, a: Float32Array, b: Float32Array, out: Float32Array, record: Float64Array): void;
  /** out = a cmp b (1 or 0) with broadcasting; cmp is Greater, GreaterEqual, Less, LessEqual, Equal, NotEqual. */
  compare(op: string, a: Float32Array, b: Float32Array, out: Uint8Array, record: Float64Array): void;
  /** out = condition ? t : e, all of one length. */
  select(condition: Uint8Array, t: Float32Array, e: Float32Array, out: Float32Array): void;
  /** Reduces x viewed as [outer, reduced, inner] over the middle axis: "sum" | "mean" | "max" | "min". */
  reduce(op: string, x: Float32Array, out: Float32Array, outer: number, reduced: number, inner: number): void;
  /** Tiles x; record = [rank, inDims..., reps...]. */
  tile(x: Float32Array, out: Float32Array, record: Float64Array): void;
  /** offset + (x - mean) * scale / sqrt(variance + eps) over the last axis (`channels`); params of 1 or channels values. */
  batchNorm(
    x: Float32Array, mean: Float32Array, variance: Float32Array, offset: Float32Array | null, scale: Float32Array | null,
    out: Float32Array, channels: number, eps: number,
  ): void;
  /**
   * Training-mode batch norm of x + bias, x viewed as [rows, channels], then an activation (0 linear, 1 relu,
   * 2 leakyrelu with slope alpha): writes y and the batch mean / biased variance (see batch-norm-training-op.ts).
   */
  batchNormTrainingForward(
    x: Float32Array, scale: Float32Array | null, offset: Float32Array | null, y: Float32Array, mean: Float32Array,
    variance: Float32Array, channels: number, eps: number, activation: number, alpha: number, bias: Float32Array | null,
  ): void;
  /**
   * Its gradient: dx, dscale, doffset (and dbias when given) from dy and the forward pass's x, bias, y, mean,
   * variance (y may be null when linear).
   */
  batchNormTrainingBackward(
    dy: Float32Array, x: Float32Array, y: Float32Array | null, scale: Float32Array | null, mean: Float32Array,
    variance: Float32Array, dmean: Float32Array | null, dvariance: Float32Array | null, dx: Float32Array,
    dscale: Float32Array, doffset: Float32Array, channels: number, eps: number, activation: number, alpha: number,
    bias: Float32Array | null, dbias: Float32Array | null,
  ): void;
  /**
   * Fused Adam update of n elements into xOut/mOut/vOut (see adam-update-op.ts);
   * constants = [β1, 1-β1, β2, 1-β2, stepSize, sqrtCorrection2, ε], each rounded to float32.
   */
  adamUpdate(
    x: Float32Array, gradient: Float32Array, firstMoment: Float32Array, secondMoment: Float32Array,
    xOut: Float32Array, mOut: Float32Array, vOut: Float32Array, n: number, constants: Float64Array,
  ): void;
  /**
   * Float64 cross product out (m x n) += aᵀ (k x m) · b (k x n), threaded; `upper` writes only j >= (i & ~3);
   * shape 0 = dense, 1 = a[s][i] = 0 for s < i, 2 = b[s][j] = 0 for s < j (zero rows skipped).
   * Absent from builds older than the float64 kernels.
   */
  crossProductF64?(
    a: Float64Array, b: Float64Array, out: Float64Array, k: number, m: number, n: number, upper: boolean, shape: 0 | 1 | 2,
  ): void;
  /** Instruction set of the float64 kernel: "avx512" | "avx2" | "portable". */
  crossProductF64Isa?(): string;
  /**
   * Householder reduction of the symmetric matrix whose lower triangle is `a` (row-major n x n, not modified)
   * to `diagonal` and `offDiagonal` ([i] couples rows i-1 and i, [0] = 0); blocked, threaded.
   */
  symmetricTridiagonalF64?(a: Float64Array, n: number, diagonal: Float64Array, offDiagonal: Float64Array): void;
}

/** Why the addon could not be loaded, or the addon itself. */
export type AddonLoad = { readonly ok: true; readonly addon: NativeAddon } | { readonly ok: false; readonly reason: string };

/** Absolute path of the compiled addon inside this package. */
export const addonPath = fileURLToPath(new URL("../build/Release/ganflow_native.node", import.meta.url));

let cached: AddonLoad | undefined;

/** Loads the addon once; never throws. */
export function loadAddon(): AddonLoad {
  if (cached) return cached;
  if (!existsSync(addonPath)) {
    cached = {
      ok: false,
      reason: `native addon not built (${addonPath} missing: no C++ compiler at install time? run \`npm run build -w packages/native\`)`,
    };
    return cached;
  }
  try {
    const require = createRequire(import.meta.url);
    cached = { ok: true, addon: require(addonPath) as NativeAddon };
  } catch (error) {
    cached = { ok: false, reason: `native addon failed to load from ${addonPath}: ${(error as Error).message}` };
  }
  return cached;
}
