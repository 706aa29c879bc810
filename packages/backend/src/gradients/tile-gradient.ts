/**
 * The gradient of `Tile` as one reshape and one sum. tfjs-core 4.22's own gradient slices `dy` once per repetition
 * and adds the slices up: tfjs-layers' layer normalisation tiles its moments over H x W, so a WGAN-GP critic with
 * layer norm ran ~14,000 Slice + Add kernels per backward pass (and pads for each in the double backward) — two
 * WGAN-GP steps took minutes. `tile(x, reps)` lays repetition r of axis i at `r · x.shape[i] + j`, so `dy` reshaped
 * to `[reps[0], x[0], reps[1], x[1], …]` and summed over the repetition axes is the gradient of `x`.
 */
import { registerGradient, reshape, sum, Tile, transpose, type GradConfig, type Tensor } from "@tensorflow/tfjs-core"

/** Gradient config for `Tile` (input `x`, attr `reps`). */
export const tileGradientConfig: GradConfig = {
  kernelName: Tile,
  inputsToSave: ["x"],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved as [Tensor]
    const { reps } = attrs as unknown as { reps: number[] }
    return {
      x: () => {
        // dy as [reps[0], x[0], reps[1], x[1], …] without its size-1 axes and with neighbours of the same kind merged
        // (x [B, 1, 1, C] tiled [1, H, W, 1] becomes [B, H·W, C]), repetition axes moved to the front, one
        // leading-axis sum (the fast reduction on every backend)
        const dims: Array<{ size: number; repetition: boolean }> = []
        x.shape.forEach((size, i) => {
          for (const [n, repetition] of [[reps[i]!, true], [size, false]] as const) {
            if (n === 1) continue
            const last = dims.at(-1)
            if (last !== undefined && last.repetition === repetition) last.size *= n
            else dims.push({ size: n, repetition })
          }
        })
        const repetitionAxes = dims.flatMap((d, i) => (d.repetition ? [i] : []))
        if (repetitionAxes.length === 0) return reshape(dy as Tensor, x.shape)
        const keptAxes = dims.flatMap((d, i) => (d.repetition ? [] : [i]))
        const grouped = reshape(dy as Tensor, dims.map((d) => d.size))
        const leading = repetitionAxes.every((axis, i) => axis === i) ? grouped : transpose(grouped, [...repetitionAxes, ...keptAxes])
        const repetitions = repetitionAxes.reduce((n, axis) => n * dims[axis]!.size, 1)
        return reshape(sum(reshape(leading, [repetitions, -1]), 0), x.shape)
      },
    }
  },
}

/** Registers {@link tileGradientConfig} in place of tfjs-core's (for every backend). */
export const registerTileGradient = (): void => registerGradient(tileGradientConfig)
