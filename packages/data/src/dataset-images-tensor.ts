/**
 * The images of a uint8 dataset as one float32 tensor in [−1, 1] at a square size — what the small networks trained
 * inside text pipelines (joint-embedding image encoder, attribute classifier) read. Converted 512 images at a time.
 */
import * as tf from "@tensorflow/tfjs-core"
import { normalizeUint8 } from "./pixel-normalization.ts"
import type { UInt8Dataset } from "./uint8-dataset.ts"

/**
 * Items `indices` (default all) of an images dataset [N, H, W, C] as float32 [n, size, size, 3] in [−1, 1]: grey is
 * replicated to RGB, other sizes are resized bilinearly (half-pixel centres). The caller owns the tensor.
 */
export const datasetImagesTensor = (ds: UInt8Dataset, size: number, indices?: ArrayLike<number>): tf.Tensor4D => {
  const [n, h, w, c] = ds.shape as [number, number, number, number]
  const rows = indices ?? Int32Array.from({ length: n }, (_, i) => i)
  const item = h * w * c
  const parts: tf.Tensor4D[] = []
  for (let start = 0; start < rows.length; start += 512) {
    const count = Math.min(512, rows.length - start)
    const values = new Float32Array(count * item)
    for (let k = 0; k < count; k++) {
      const i = rows[start + k]!
      normalizeUint8(ds.data.subarray(i * item, (i + 1) * item), "tanh", values.subarray(k * item, (k + 1) * item))
    }
    parts.push(tf.tidy(() => {
      let x = tf.tensor4d(values, [count, h, w, c])
      if (c === 1) x = tf.tile(x, [1, 1, 1, 3])
      if (h !== size || w !== size) x = tf.image.resizeBilinear(x, [size, size], false, true)
      return x
    }))
  }
  if (parts.length === 0) return tf.zeros([0, size, size, 3])
  const all = tf.concat(parts) as tf.Tensor4D
  tf.dispose(parts)
  return all
}
