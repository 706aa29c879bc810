import * as tfc from "@tensorflow/tfjs-core"
import * as tf from "@tensorflow/tfjs-layers"
import { hostGradients, paddingGradient } from "./host-side-gradients.ts"

/** Reflection padding of `[B, H, W, C]` by two gathers (exact gradient on every backend: a segment sum). */
const reflectByGathers = (x: tfc.Tensor4D, p: number): tfc.Tensor =>
  tfc.tidy(() => {
    const index = (n: number) => Int32Array.from({ length: n + 2 * p }, (_, u) => (u < p ? p - u : u - p < n ? u - p : 2 * (n - 1) - (u - p)))
    return tfc.gather(tfc.gather(x, index(x.shape[1]), 1), index(x.shape[2]), 2)
  })

/** Constructor options of {@link SpatialPadding2D}. */
export interface SpatialPadding2DArgs {
  /** Pixels added on each side of height and width. */
  readonly padding: number
  /** `"reflect"`: PyTorch's `nn.ReflectionPad2d` (mirror without repeating the edge); `"zero"`: zeros, as a conv's `padding=p`. */
  readonly mode?: "reflect" | "zero"
  readonly name?: string
  readonly inputShape?: number[]
}

/**
 * Pads `[B, H, W, C]` images by `padding` pixels per side with reflections or zeros; output `[B, H + 2p, W + 2p, C]`.
 * Its gradient is exact (tfjs' own MirrorPad gradient drops what the mirrored borders received): on CPU backends
 * computed on host arrays (see `host-side-gradients.ts`), elsewhere through gathers. Serializable as
 * `ganflow>SpatialPadding2D`.
 */
export class SpatialPadding2D extends tf.layers.Layer {
  static readonly className: string = "SpatialPadding2D"
  readonly padding: number
  readonly mode: "reflect" | "zero"

  constructor(args: SpatialPadding2DArgs) {
    super(args)
    if (!Number.isInteger(args.padding) || args.padding < 0) throw new Error(`${new.target.name}: padding must be an integer >= 0, got ${args.padding}`)
    this.padding = args.padding
    this.mode = args.mode ?? "zero"
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [b, h, w, c] = inputShape as tf.Shape
    const p = this.padding
    return [b ?? null, h == null ? null : h + 2 * p, w == null ? null : w + 2 * p, c ?? null]
  }

  override call(inputs: tfc.Tensor | tfc.Tensor[]): tfc.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tfc.Tensor4D
    const p = this.padding
    const pads: Array<[number, number]> = [[0, 0], [p, p], [p, p], [0, 0]]
    const pad = (t: tfc.Tensor4D) => (this.mode === "reflect" ? tfc.mirrorPad(t, pads, "reflect") : tfc.pad(t, pads))
    // elsewhere reflect by gathers: tfjs' own MirrorPad gradient only crops dy, losing what the borders received
    if (!hostGradients()) return this.mode === "reflect" ? reflectByGathers(x, p) : pad(x)
    const op = (t: tfc.Tensor) => ({ value: pad(t as tfc.Tensor4D), gradFunc: (dy: tfc.Tensor) => paddingGradient(dy as tfc.Tensor4D, p, this.mode) })
    return tfc.customGrad(op as unknown as Parameters<typeof tfc.customGrad>[0])(x)
  }

  override getConfig(): tfc.serialization.ConfigDict {
    return { ...super.getConfig(), padding: this.padding, mode: this.mode }
  }
}
tfc.serialization.registerClass(SpatialPadding2D, "ganflow")

/** Constructor options of {@link ReflectionPadding2D}. */
export type ReflectionPadding2DArgs = Omit<SpatialPadding2DArgs, "mode">

/** Reflection padding (PyTorch's `nn.ReflectionPad2d(padding)`): {@link SpatialPadding2D} in mode "reflect". Serializable as `ganflow>ReflectionPadding2D`. */
export class ReflectionPadding2D extends SpatialPadding2D {
  static override readonly className: string = "ReflectionPadding2D"
  constructor(args: ReflectionPadding2DArgs) {
    super({ ...args, mode: "reflect" })
  }

  override getConfig(): tfc.serialization.ConfigDict {
    const { mode: _mode, ...config } = super.getConfig()
    return config
  }
}
tfc.serialization.registerClass(ReflectionPadding2D, "ganflow")
