/** Test support: run the same TensorFlow.js computation on the cpu and native backends and compare. */
import * as tf from "@tensorflow/tfjs-core";

/** Deterministic pseudo-random floats in [-1, 1) (mulberry32). */
export function randomFloats(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) / 2147483648 - 1;
  }
  return out;
}

/** Inputs as shapes; data is generated from the seed so both backends see the same numbers. */
export type InputSpec = readonly number[];

/** Runs `f` on fresh copies of the inputs on `backend`; returns every output's values. */
export function runOn(
  backend: string,
  specs: readonly InputSpec[],
  seed: number,
  f: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[],
): Float32Array[] {
  tf.setBackend(backend);
  return tf.tidy(() => {
    const xs = specs.map((shape, i) => tf.tensor(randomFloats(shape.reduce((a, b) => a * b, 1), seed + i), [...shape]));
    const out = f(...xs);
    return (Array.isArray(out) ? out : [out]).map((t) => Float32Array.from(t.dataSync() as Float32Array));
  });
}

/** max |a - b| / max |b| (the infinity-norm relative error against the reference b). */
export function relativeError(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let diff = 0, scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return scale === 0 ? diff : diff / scale;
}

/** Worst relative error of the native outputs against the cpu ones. */
export function nativeVsCpu(
  specs: readonly InputSpec[],
  f: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[],
  seed = 1,
): number {
  const cpu = runOn("cpu", specs, seed, f);
  const native = runOn("native", specs, seed, f);
  tf.setBackend("native");
  return Math.max(...native.map((v, i) => relativeError(v, cpu[i]!)));
}
