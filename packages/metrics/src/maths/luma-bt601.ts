/**
 * The Y (luma) channel the super-resolution literature measures PSNR/SSIM on, ITU-R BT.601 studio swing as MATLAB's
 * `rgb2ycbcr` and `skimage.color.rgb2ycbcr` compute it: Y = 16 + (65.481·R + 128.553·G + 24.966·B) / 255 for R, G, B
 * in 0..255, so Y lies in [16, 235]. `rounding: "matlab-uint8"` rounds to whole levels as `rgb2ycbcr` does on uint8
 * images (half away from zero; the MATLAB evaluation scripts of SRCNN/SRGAN-era papers); `"none"` keeps float64 (BasicSR's
 * `to_y_channel`, skimage). Plus the border crop SR papers apply before measuring (`scale` pixels per side).
 */

/** How Y values are rounded; see the module comment. */
export type LumaRounding = "matlab-uint8" | "none"

/**
 * Y of packed RGB pixels (`pixels · 3` values in 0..255, channels last), one float64 per pixel. Throws RangeError when
 * the length is not a multiple of 3.
 */
export const lumaBt601 = (rgb: ArrayLike<number>, rounding: LumaRounding = "matlab-uint8"): Float64Array => {
  if (rgb.length % 3 !== 0) throw new RangeError(`lumaBt601: ${rgb.length} values is not a whole number of RGB pixels`)
  const out = new Float64Array(rgb.length / 3)
  for (let p = 0, i = 0; p < out.length; p++, i += 3) {
    // skimage: (rgb / 255) @ [65.481, 128.553, 24.966] + 16, the same sum in the same order
    const y = (rgb[i] as number) / 255 * 65.481 + (rgb[i + 1] as number) / 255 * 128.553 + (rgb[i + 2] as number) / 255 * 24.966 + 16
    out[p] = rounding === "none" ? y : Math.floor(y + 0.5)
  }
  return out
}

/**
 * The `height x width x channels` image without `border` pixels on every side (`img[b:-b, b:-b]`); `border` 0 returns
 * a copy. Throws RangeError when nothing would be left.
 */
export const cropBorder = (data: ArrayLike<number>, height: number, width: number, channels: number, border: number): { data: Float64Array; height: number; width: number } => {
  const h = height - 2 * border, w = width - 2 * border
  if (!Number.isInteger(border) || border < 0 || h < 1 || w < 1) throw new RangeError(`cropBorder: cannot crop ${border} pixels from every side of ${height}x${width}`)
  const out = new Float64Array(h * w * channels)
  for (let y = 0; y < h; y++) {
    const from = ((y + border) * width + border) * channels
    for (let k = 0; k < w * channels; k++) out[y * w * channels + k] = data[from + k] as number
  }
  return { data: out, height: h, width: w }
}
