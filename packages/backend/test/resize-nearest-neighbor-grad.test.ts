import * as tf from "@tensorflow/tfjs-core"
import { registerNativeBackend } from "@ganflow/native"
import { describe, expect, it } from "vitest"
import "../src/register-gradients.ts"

/** dx of nearest ×s upsampling is the sum of each s×s block of dy. */
const blockSums = (dy: tf.Tensor4D, s: number): tf.Tensor => {
  const [b, h, w, c] = dy.shape
  return tf.sum(tf.reshape(dy, [b, h / s, s, w / s, s, c]), [2, 4])
}

describe("ResizeNearestNeighborGrad on cpu and native", () => {
  for (const backend of ["cpu", "native"]) {
    it(`${backend}: every sample of the batch gets the sum of its own blocks`, async () => {
      if (backend === "native") await registerNativeBackend({ threads: 2 })
      await tf.setBackend(backend)
      const x = tf.randomNormal([3, 4, 5, 2], 0, 1, "float32", 1) as tf.Tensor4D
      const dy = tf.randomNormal([3, 8, 10, 2], 0, 1, "float32", 2) as tf.Tensor4D
      const dx = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.image.resizeNearestNeighbor(t as tf.Tensor4D, [8, 10]), dy)))(x)
      const want = blockSums(dy, 2).dataSync()
      const got = dx.dataSync()
      for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i]!, 5)
    })
  }
})
