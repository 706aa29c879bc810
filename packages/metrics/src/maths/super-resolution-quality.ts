import { cropBorder, lumaBt601, type LumaRounding } from "./luma-bt601.ts"
import { imagePlanes } from "./image-planes.ts"
import { peakSignalNoiseRatio } from "./psnr.ts"
import { structuralSimilarity } from "./ssim.ts"

/** Options of {@link superResolutionQuality}. */
export interface SuperResolutionQualityOptions {
  /** Pixels cropped from every side before measuring: the SR literature crops the scale (4 for ×4). */
  readonly border: number
  /** Y rounding: MATLAB's uint8 `rgb2ycbcr` (default) or float (BasicSR / skimage). */
  readonly rounding?: LumaRounding
}

/**
 * PSNR (dB) and SSIM of a super-resolved RGB image against its ground truth as SR papers report them: both converted
 * to the BT.601 Y channel ({@link lumaBt601}), `border` pixels cropped from every side, then scikit-image's
 * `peak_signal_noise_ratio(..., data_range=255)` and Wang et al.'s SSIM (`structural_similarity(gaussian_weights=True,
 * sigma=1.5, use_sample_covariance=False, data_range=255)`). Images are packed `height x width x 3` values in 0..255
 * (uint8 or float). Throws ImagesIncomparable (different shapes, window larger than the cropped image).
 */
export const superResolutionQuality = (
  truth: ArrayLike<number>, test: ArrayLike<number>, height: number, width: number, options: SuperResolutionQualityOptions,
): { readonly psnr: number; readonly ssim: number } => {
  const y = (rgb: ArrayLike<number>) => {
    const cropped = cropBorder(lumaBt601(rgb, options.rounding ?? "matlab-uint8"), height, width, 1, options.border)
    return { ...imagePlanes(cropped.data, cropped.height, cropped.width, 1), dtype: "float" as const }
  }
  const a = y(truth)
  const b = y(test)
  return { psnr: peakSignalNoiseRatio(a, b, 255), ssim: structuralSimilarity(a, b, { variant: "wang2004", dataRange: 255 }) }
}
