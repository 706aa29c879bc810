/**
 * The kernels this package adds to or widens on tfjs-backend-webgpu, registered once the backend is loaded.
 * Each is checked against the cpu backend in `test/web-gpu.test.ts` on our models' shapes.
 */
import * as tf from "@tensorflow/tfjs-core"
import { selectAnyRank } from "./select-any-rank.ts"

let registered = false

/** Replaces webgpu's `Select` with {@link selectAnyRank}. Idempotent. */
export const registerWebGpuKernels = (): void => {
  if (registered) return
  const select = tf.getKernel(tf.Select, "webgpu")
  const reshape = tf.getKernel(tf.Reshape, "webgpu")
  if (select === undefined || reshape === undefined) return
  tf.unregisterKernel(tf.Select, "webgpu")
  tf.registerKernel({ ...select, kernelFunc: selectAnyRank(select.kernelFunc, reshape.kernelFunc) })
  registered = true
}
