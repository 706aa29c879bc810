/**
 * tfjs-backend-webgpu's `Select` (tf.where) stops at rank 4 ("Where for rank 5 is not yet supported"), but the
 * 3D-GAN's volumes are rank 5: LeakyReLU's gradient and the BCE masks select over [B, D, H, W, C]. An
 * element-wise select does not care about the shape, so ranks above 4 run the shipped kernel on flat views
 * (webgpu reshapes share the buffer: no copy) and reshape the result back.
 */
import * as tf from "@tensorflow/tfjs-core"

type KernelFunc = tf.KernelConfig["kernelFunc"]

/** Wraps the shipped webgpu `Select` so that conditions and values of any rank work. */
export const selectAnyRank = (shipped: KernelFunc, reshape: KernelFunc): KernelFunc => (args) => {
  const { condition, t, e } = args.inputs as { condition: tf.TensorInfo; t: tf.TensorInfo; e: tf.TensorInfo }
  if (t.shape.length <= 4) return shipped(args)
  const backend = args.backend as tf.KernelBackend
  const size = tf.util.sizeFromShape(t.shape)
  const rows = t.shape[0]!
  // a rank-1 condition picks whole rows: keep the first axis, flatten the rest
  const flatShape = condition.shape.length === 1 ? [rows, size / rows] : [size]
  const view = (x: tf.TensorInfo, shape: number[]) => reshape({ inputs: { x }, backend, attrs: { shape } }) as tf.TensorInfo
  const flat = { condition: condition.shape.length === 1 ? condition : view(condition, flatShape), t: view(t, flatShape), e: view(e, flatShape) }
  try {
    const out = shipped({ ...args, inputs: flat }) as tf.TensorInfo
    const shaped = view(out, [...t.shape])
    backend.disposeData(out.dataId)
    return shaped
  } finally {
    for (const info of [flat.t, flat.e, ...(flat.condition === condition ? [] : [flat.condition])]) backend.disposeData(info.dataId)
  }
}
