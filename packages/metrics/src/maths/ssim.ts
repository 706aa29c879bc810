import { ImagesIncomparable } from "../errors.ts"
import { assertSameShape, dtypeRange, type ImagePlanes } from "./image-planes.ts"

/**
 * The two SSIM variants, as `skimage.metrics.structural_similarity` computes them (K1 0.01, K2 0.03, means of
 * the SSIM map after cropping (win − 1) / 2 pixels per side, multi-channel images averaged over channels):
 * - `"wang2004"`: Wang et al. 2004 — Gaussian window σ = 1.5 (11x11, truncated at 3.5σ), population covariance
 *   (`gaussian_weights=True, sigma=1.5, use_sample_covariance=False`)
 * - `"skimage-default"`: scikit-image's default — 7x7 uniform window, sample covariance (× N/(N − 1))
 */
export type SsimVariant = "wang2004" | "skimage-default"

/** Options of {@link structuralSimilarity}. */
export interface SsimOptions {
  readonly variant: SsimVariant
  /** R in C1 = (K1·R)², C2 = (K2·R)²; default from the first image's dtype as scikit-image: uint8 255, float 2. */
  readonly dataRange?: number
  /** Side of the uniform window (odd, >= 3) for "skimage-default"; default 7. */
  readonly winSize?: number
}

const K1 = 0.01
const K2 = 0.03
const SIGMA = 1.5
const TRUNCATE = 3.5

/** SciPy's `_gaussian_kernel1d(sigma, 0, radius)`: exp(−x²/2σ²) for x in −r..r, normalised to sum 1. */
const gaussianWeights = (sigma: number, radius: number): Float64Array => {
  const w = new Float64Array(2 * radius + 1)
  let sum = 0
  for (let x = -radius; x <= radius; x++) sum += w[x + radius] = Math.exp((-0.5 / (sigma * sigma)) * x * x)
  for (let i = 0; i < w.length; i++) w[i]! /= sum
  return w
}

/**
 * Weighted window sums of one plane, only where the window fits (the crop SSIM keeps): rows then columns, as
 * SciPy's separable filters do. Output `(h − 2r) x (w − 2r)`.
 */
const windowFilter = (plane: Float64Array, h: number, w: number, weights: Float64Array): Float64Array => {
  const k = weights.length
  const r = (k - 1) / 2
  const oh = h - 2 * r, ow = w - 2 * r
  const rows = new Float64Array(oh * w)
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0
      for (let t = 0; t < k; t++) s += weights[t]! * plane[(y + t) * w + x]!
      rows[y * w + x] = s
    }
  }
  const out = new Float64Array(oh * ow)
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      let s = 0
      for (let t = 0; t < k; t++) s += weights[t]! * rows[y * w + x + t]!
      out[y * ow + x] = s
    }
  }
  return out
}

/**
 * Mean structural similarity of two images (Wang et al. 2004), matching `skimage.metrics.structural_similarity`
 * (scikit-image 0.19, `channel_axis=-1` for multi-channel) to ~1e-12 in float64 for either {@link SsimVariant}.
 * Single-channel images are `channels: 1`. Throws ImagesIncomparable when the shapes differ, the window does not
 * fit the image, or dataRange <= 0.
 */
export const structuralSimilarity = (a: ImagePlanes, b: ImagePlanes, options: SsimOptions): number => {
  const metric = `SSIM (${options.variant})`
  assertSameShape(metric, a, b)
  const gaussian = options.variant === "wang2004"
  const win = gaussian ? 2 * Math.floor(TRUNCATE * SIGMA + 0.5) + 1 : options.winSize ?? 7
  if (!gaussian && (win < 3 || win % 2 === 0)) throw new ImagesIncomparable({ metric, reason: `winSize must be odd and >= 3, got ${win}` })
  if (win > a.height || win > a.width) throw new ImagesIncomparable({ metric, reason: `the ${win}x${win} window exceeds the ${a.height}x${a.width} image` })
  const [dmin, dmax] = dtypeRange(a)
  const range = options.dataRange ?? dmax - dmin
  if (!(range > 0)) throw new ImagesIncomparable({ metric, reason: `dataRange must be > 0, got ${range}` })
  const weights = gaussian ? gaussianWeights(SIGMA, (win - 1) / 2) : new Float64Array(win).fill(1 / win)
  const n = win * win
  const covNorm = gaussian ? 1 : n / (n - 1)
  const c1 = (K1 * range) ** 2, c2 = (K2 * range) ** 2
  const { height: h, width: w, channels } = a
  const x = new Float64Array(h * w), y = new Float64Array(h * w)
  const xx = new Float64Array(h * w), yy = new Float64Array(h * w), xy = new Float64Array(h * w)
  let total = 0
  for (let c = 0; c < channels; c++) {
    for (let i = 0; i < h * w; i++) {
      const p = a.data[i * channels + c] as number, q = b.data[i * channels + c] as number
      x[i] = p; y[i] = q; xx[i] = p * p; yy[i] = q * q; xy[i] = p * q
    }
    const [ux, uy, uxx, uyy, uxy] = [x, y, xx, yy, xy].map((plane) => windowFilter(plane, h, w, weights)) as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array]
    let sum = 0
    for (let i = 0; i < ux.length; i++) {
      const mx = ux[i]!, my = uy[i]!
      const vx = covNorm * (uxx[i]! - mx * mx), vy = covNorm * (uyy[i]! - my * my), vxy = covNorm * (uxy[i]! - mx * my)
      sum += ((2 * mx * my + c1) * (2 * vxy + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2))
    }
    total += sum / ux.length
  }
  return total / channels
}
