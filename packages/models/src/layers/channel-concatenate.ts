import * as tfc from "@tensorflow/tfjs-core"
import * as tf from "@tensorflow/tfjs-layers"
import { channelConcatGradient, hostGradients } from "./host-side-gradients.ts"

/**
 * `tf.concat([a, b], -1)` whose gradient is split on host arrays on CPU backends (see `host-side-gradients.ts`):
 * for inputs `[..., C1]`, `[..., C2]` of one leading shape.
 */
export const concatChannels = (a: tfc.Tensor, b: tfc.Tensor): tfc.Tensor => {
  if (!hostGradients()) return tfc.concat([a, b], -1)
  const ca = a.shape[a.rank - 1]!
  const op = (x: tfc.Tensor, y: tfc.Tensor) => ({ value: tfc.concat([x, y], -1), gradFunc: (dy: tfc.Tensor) => channelConcatGradient(dy, ca) })
  return tfc.customGrad(op as unknown as Parameters<typeof tfc.customGrad>[0])(a, b)
}

/**
 * Concatenates two `[B, H, W, C1]`, `[B, H, W, C2]` tensors along channels (the U-Net's skips, `torch.cat(…, 1)`),
 * as `tf.layers.concatenate({ axis: -1 })`, with the gradient split on host arrays on CPU backends (see
 * `host-side-gradients.ts`). Serializable as `ganflow>ChannelConcatenate`.
 */
export class ChannelConcatenate extends tf.layers.Layer {
  static readonly className = "ChannelConcatenate"

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [a, b] = inputShape as tf.Shape[]
    const ca = a![a!.length - 1], cb = b![b!.length - 1]
    return [...a!.slice(0, -1), ca == null || cb == null ? null : ca + cb]
  }

  override call(inputs: tfc.Tensor | tfc.Tensor[]): tfc.Tensor {
    const [a, b] = inputs as tfc.Tensor[]
    if (a === undefined || b === undefined) throw new Error("ChannelConcatenate takes two inputs")
    return concatChannels(a, b)
  }
}
tfc.serialization.registerClass(ChannelConcatenate, "ganflow")
