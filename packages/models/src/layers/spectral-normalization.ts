import * as tfc from "@tensorflow/tfjs-core"
import * as tf from "@tensorflow/tfjs-layers"
import { stopGradient } from "./stop-gradient.ts"

/**
 * One power iteration of spectral normalization (Miyato et al. 2018). `kernel` is any weight whose last axis is
 * the output units; `u` is the persistent `[1, out]` estimate of the leading right-singular vector.
 * Returns the kernel divided by its estimated largest singular value, and the updated `u` (gradient-stopped).
 */
export const spectrallyNormalize = (kernel: tfc.Tensor, u: tfc.Tensor2D): { kernel: tfc.Tensor; u: tfc.Tensor2D } =>
  tfc.tidy(() => {
    const out = kernel.shape[kernel.shape.length - 1]!
    const w = tfc.reshape(kernel, [-1, out]) as tfc.Tensor2D // (fan_in) x out
    // power-iteration vectors are constants for backprop (as in the paper)
    const v = stopGradient(l2Normalize(tfc.matMul(u, w, false, true))) as tfc.Tensor2D // 1 x fan_in
    const uNext = stopGradient(l2Normalize(tfc.matMul(v, w))) as tfc.Tensor2D // 1 x out
    const sigma = tfc.sum(tfc.mul(tfc.matMul(v, w), uNext))
    return { kernel: tfc.div(kernel, sigma), u: uNext }
  })

const l2Normalize = (x: tfc.Tensor2D): tfc.Tensor2D => tfc.div(x, tfc.add(tfc.norm(x), 1e-12))

interface SpectralArgs {
  /** Seed of the kernel's N(0, 0.02) init and of the power-iteration vector's N(0, 1) init. */
  readonly seed?: number
  readonly useBias?: boolean
  readonly name?: string
  readonly inputShape?: number[]
}

/** Constructor options of {@link SpectralDense}. */
export interface SpectralDenseArgs extends SpectralArgs {
  readonly units: number
}

/**
 * A dense layer whose kernel is spectrally normalised on every call (one power iteration per training call; the
 * vector `u` is a non-trainable weight, so it is saved with the model). Input `[B, A]` -> `[B, units]`, no activation.
 * Serializable: registered as `ganflow>SpectralDense`.
 */
export class SpectralDense extends tf.layers.Layer {
  static readonly className = "SpectralDense"
  readonly units: number
  readonly useBias: boolean
  readonly seed: number
  private kernel: tf.LayerVariable | null = null
  private bias: tf.LayerVariable | null = null
  private u: tf.LayerVariable | null = null

  constructor(args: SpectralDenseArgs) {
    super(args)
    this.units = args.units
    this.useBias = args.useBias ?? true
    this.seed = args.seed ?? 0
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = inputShape as tf.Shape
    const fanIn = shape[shape.length - 1]!
    this.kernel = this.addWeight("kernel", [fanIn, this.units], "float32", tf.initializers.randomNormal({ stddev: 0.02, seed: this.seed }))
    if (this.useBias) this.bias = this.addWeight("bias", [this.units], "float32", tf.initializers.zeros())
    this.u = this.addWeight("sn_u", [1, this.units], "float32", tf.initializers.randomNormal({ stddev: 1, seed: this.seed + 1 }), undefined, false)
    this.built = true
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = inputShape as tf.Shape
    return [...shape.slice(0, -1), this.units]
  }

  override call(inputs: tfc.Tensor | tfc.Tensor[], kwargs: { training?: boolean }): tfc.Tensor {
    return tfc.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tfc.Tensor2D
      const { kernel, u } = spectrallyNormalize(this.kernel!.read(), this.u!.read() as tfc.Tensor2D)
      if (kwargs?.training === true) this.u!.write(u)
      const y = tfc.matMul(x, kernel as tfc.Tensor2D)
      return this.bias ? tfc.add(y, this.bias.read()) : y
    })
  }

  override getConfig(): tfc.serialization.ConfigDict {
    return { ...super.getConfig(), units: this.units, useBias: this.useBias, seed: this.seed }
  }
}
tfc.serialization.registerClass(SpectralDense, "ganflow")

/** Constructor options of {@link SpectralConv2D}. */
export interface SpectralConv2DArgs extends SpectralArgs {
  readonly filters: number
  readonly kernelSize: number
  readonly strides?: number
  readonly padding?: "same" | "valid"
}

/**
 * A 2-D convolution (channels last) whose kernel is spectrally normalised on every call, as {@link SpectralDense}.
 * Input `[B, H, W, Cin]` -> `[B, H', W', filters]`, no activation. Registered as `ganflow>SpectralConv2D`.
 */
export class SpectralConv2D extends tf.layers.Layer {
  static readonly className = "SpectralConv2D"
  readonly filters: number
  readonly kernelSize: number
  readonly strides: number
  readonly padding: "same" | "valid"
  readonly useBias: boolean
  readonly seed: number
  private kernel: tf.LayerVariable | null = null
  private bias: tf.LayerVariable | null = null
  private u: tf.LayerVariable | null = null

  constructor(args: SpectralConv2DArgs) {
    super(args)
    this.filters = args.filters
    this.kernelSize = args.kernelSize
    this.strides = args.strides ?? 1
    this.padding = args.padding ?? "same"
    this.useBias = args.useBias ?? true
    this.seed = args.seed ?? 0
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = inputShape as tf.Shape
    const channels = shape[shape.length - 1]!
    const k = this.kernelSize
    this.kernel = this.addWeight("kernel", [k, k, channels, this.filters], "float32", tf.initializers.randomNormal({ stddev: 0.02, seed: this.seed }))
    if (this.useBias) this.bias = this.addWeight("bias", [this.filters], "float32", tf.initializers.zeros())
    this.u = this.addWeight("sn_u", [1, this.filters], "float32", tf.initializers.randomNormal({ stddev: 1, seed: this.seed + 1 }), undefined, false)
    this.built = true
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [b, h, w] = inputShape as tf.Shape
    const size = (n: number | null | undefined) =>
      n == null ? null : this.padding === "same" ? Math.ceil(n / this.strides) : Math.floor((n - this.kernelSize) / this.strides) + 1
    return [b ?? null, size(h), size(w), this.filters]
  }

  override call(inputs: tfc.Tensor | tfc.Tensor[], kwargs: { training?: boolean }): tfc.Tensor {
    return tfc.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tfc.Tensor4D
      const { kernel, u } = spectrallyNormalize(this.kernel!.read(), this.u!.read() as tfc.Tensor2D)
      if (kwargs?.training === true) this.u!.write(u)
      const y = tfc.conv2d(x, kernel as tfc.Tensor4D, this.strides, this.padding)
      return this.bias ? tfc.add(y, this.bias.read()) : y
    })
  }

  override getConfig(): tfc.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
      useBias: this.useBias,
      seed: this.seed,
    }
  }
}
tfc.serialization.registerClass(SpectralConv2D, "ganflow")
