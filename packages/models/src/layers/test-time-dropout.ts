import * as tfc from "@tensorflow/tfjs-core"
import * as tf from "@tensorflow/tfjs-layers"

/** Constructor options of {@link TestTimeDropout}. */
export interface TestTimeDropoutArgs {
  /** Fraction of units zeroed (pix2pix: 0.5). */
  readonly rate: number
  /** Seed of the masks; with {@link setDropoutDraw} the masks are a function of (seed, draw, call). */
  readonly seed: number
  readonly name?: string
  readonly inputShape?: number[]
}

/**
 * Dropout that stays on at inference as well as in training: pix2pix's only noise source (Isola et al. 2017, §3.1:
 * "we provide noise only in the form of dropout, applied on several layers of our generator at both training and
 * test time"). Masks are seeded: the k-th call after `setDropoutDraw(model, d)` uses the seed string
 * `${seed}:${d}:${k}`, so a training step (and a resumed run that sets the same draw) sees the same masks.
 * Inverted dropout: kept units are scaled by 1 / (1 - rate), as PyTorch's `nn.Dropout`.
 * Serializable as `ganflow>TestTimeDropout`.
 */
export class TestTimeDropout extends tf.layers.Layer {
  static readonly className = "TestTimeDropout"
  readonly rate: number
  readonly seed: number
  private draw = 0
  private calls = 0

  constructor(args: TestTimeDropoutArgs) {
    super(args)
    if (!(args.rate >= 0 && args.rate < 1)) throw new Error(`TestTimeDropout: rate must be in [0, 1), got ${args.rate}`)
    this.rate = args.rate
    this.seed = args.seed
  }

  /** Starts draw `draw` (e.g. the training step): the next calls use masks k = 0, 1, … of that draw. */
  setDraw(draw: number): void {
    this.draw = draw
    this.calls = 0
  }

  override call(inputs: tfc.Tensor | tfc.Tensor[]): tfc.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs
    return tfc.dropout(x, this.rate, undefined, `${this.seed}:${this.draw}:${this.calls++}`)
  }

  override getConfig(): tfc.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed }
  }
}
tfc.serialization.registerClass(TestTimeDropout, "ganflow")

/** Sets the draw of every {@link TestTimeDropout} layer in `model` (see there); returns how many it found. */
export const setDropoutDraw = (model: tf.LayersModel, draw: number): number => {
  let found = 0
  for (const layer of model.layers) {
    if (layer instanceof TestTimeDropout) {
      layer.setDraw(draw)
      found++
    }
  }
  return found
}
