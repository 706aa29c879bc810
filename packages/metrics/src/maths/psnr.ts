import { ImagesIncomparable } from "../errors.ts"
import { assertSameShape, dtypeRange, type ImagePlanes } from "./image-planes.ts"

/** Mean squared error over every value, float64 (`skimage.metrics.mean_squared_error`). */
export const meanSquaredError = (a: ImagePlanes, b: ImagePlanes): number => {
  assertSameShape("MSE", a, b)
  let sum = 0
  for (let i = 0; i < a.data.length; i++) {
    const d = (a.data[i] as number) - (b.data[i] as number)
    sum += d * d
  }
  return sum / a.data.length
}

/**
 * Peak signal-to-noise ratio in dB, `10·log10(R² / MSE)`, as `skimage.metrics.peak_signal_noise_ratio(truth, test,
 * data_range=R)`: without `dataRange`, R comes from the reference image's dtype (uint8: 255; float: 1 when its
 * minimum is >= 0, else 2) and values outside that range are an error, as there. Identical images give +Infinity.
 * Throws ImagesIncomparable (shapes differ, values outside the dtype range, dataRange <= 0).
 */
export const peakSignalNoiseRatio = (truth: ImagePlanes, test: ImagePlanes, dataRange?: number): number => {
  assertSameShape("PSNR", truth, test)
  let range = dataRange
  if (range === undefined) {
    const [dmin, dmax] = dtypeRange(truth)
    let lo = Infinity, hi = -Infinity
    for (let i = 0; i < truth.data.length; i++) {
      const v = truth.data[i] as number
      if (v < lo) lo = v
      if (v > hi) hi = v
    }
    if (hi > dmax || lo < dmin) throw new ImagesIncomparable({ metric: "PSNR", reason: `reference values span [${lo}, ${hi}], outside the ${truth.dtype} range [${dmin}, ${dmax}]: pass dataRange` })
    range = lo >= 0 ? dmax : dmax - dmin
  }
  if (!(range > 0)) throw new ImagesIncomparable({ metric: "PSNR", reason: `dataRange must be > 0, got ${range}` })
  const mse = meanSquaredError(truth, test)
  return mse === 0 ? Infinity : 10 * Math.log10((range * range) / mse)
}
