/**
 * The gradient of `Tile` as one reshape and one sum. tfjs-core 4.22's own gradient slices `dy` once per repetition
 * and adds the slices up: tfjs-layers' layer normalisation tiles its moments over H x W, so a WGAN-GP critic with
 * layer norm ran ~14,000 Slice + Add kernels per backward pass (and pads for each in the double backward) — two
 * WGAN-GP steps took minutes. `tile(x, reps)` lays repetition r of axis i at `r · x.shape[i] + j`, so `dy` reshaped
 * to `[reps[0], x[0], reps[1], x[1], …]` and summed over the repetition axes is the gradient of `x`.
 */
import { registerGradient, reshape, sum, Tile, type GradConfig, type Tensor } from "@tensorflow/tfjs-core"

/** Gradient config for `Tile` (input `x`, attr `reps`). */
export const tileGradientConfig: GradConfig = {
  kernelName: Tile,
  inputsToSave: ["x"],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved as [Tensor]
    const { reps } = attrs as unknown as { reps: number[] }
    return {
      x: () => {
        const g = dy as Tensor
        const split = x.shape.flatMap((size, i) => [reps[i]!, size])
        const repetitionAxes = x.shape.map((_, i) => 2 * i)
        return reshape(sum(reshape(g, split), repetitionAxes), x.shape)
      },
    }
  },
}

/** Registers {@link tileGradientConfig} in place of tfjs-core's (for every backend). */
export const registerTileGradient = (): void => registerGradient(tileGradientConfig)
