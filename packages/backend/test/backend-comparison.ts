/**
 * Runs the same tensor computation on two tfjs backends and measures how far apart the results are.
 */
import * as tf from "@tensorflow/tfjs-core"

/** Runs `compute` on `backend` inside a tidy and returns its outputs as plain arrays (nothing left allocated). */
export const computeOn = async (backend: string, compute: () => Array<tf.Tensor>): Promise<Array<Float32Array>> => {
  await tf.setBackend(backend)
  const outputs = tf.tidy(compute)
  const values = outputs.map((t) => Float32Array.from(t.dataSync()))
  tf.dispose(outputs)
  return values
}

/** max |a - b| / max |b| (the error relative to the reference's scale); 0 when both are all zeros. */
export const relativeError = (actual: Float32Array, reference: Float32Array): number => {
  if (actual.length !== reference.length) return Number.POSITIVE_INFINITY
  let scale = 0
  let worst = 0
  for (let i = 0; i < reference.length; i++) {
    scale = Math.max(scale, Math.abs(reference[i]!))
    const diff = Math.abs(actual[i]! - reference[i]!)
    worst = Number.isNaN(diff) ? Number.POSITIVE_INFINITY : Math.max(worst, diff)
  }
  return scale === 0 ? worst : worst / scale
}

/** Deterministic values in [-1, 1) for a shape (a linear congruential sequence from `seed`). */
export const seededValues = (shape: ReadonlyArray<number>, seed: number): Float32Array => {
  const count = shape.reduce((a, b) => a * b, 1)
  const values = new Float32Array(count)
  let state = seed >>> 0
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    values[i] = state / 2 ** 31 - 1
  }
  return values
}

/** Worst relative error between `wasm` and `cpu` over every output of `compute`. */
export const wasmVersusCpu = async (compute: () => Array<tf.Tensor>): Promise<number> => {
  const reference = await computeOn("cpu", compute)
  const actual = await computeOn("wasm", compute)
  return Math.max(...actual.map((values, i) => relativeError(values, reference[i]!)))
}
