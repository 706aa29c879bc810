import { ImagesIncomparable } from "../errors.ts"

/**
 * One image for the full-reference metrics (L1, PSNR, SSIM): `height x width x channels` values, channels last
 * (a single-channel image has `channels` 1), as scikit-image sees an `(H, W)` or `(H, W, C)` array with
 * `channel_axis=-1`. `dtype` decides the default data range as scikit-image's `dtype_range` does: `"uint8"`
 * [0, 255], `"float"` [-1, 1].
 */
export interface ImagePlanes {
  readonly data: ArrayLike<number>
  readonly height: number
  readonly width: number
  readonly channels: number
  readonly dtype: "uint8" | "float"
}

/** An {@link ImagePlanes} view of packed values; the dtype is "uint8" for a Uint8Array, else "float". */
export const imagePlanes = (data: ArrayLike<number>, height: number, width: number, channels = 1): ImagePlanes => ({
  data, height, width, channels, dtype: data instanceof Uint8Array || data instanceof Uint8ClampedArray ? "uint8" : "float",
})

/** Throws ImagesIncomparable (naming `metric`) unless `a` and `b` have the same, consistent shape. */
export const assertSameShape = (metric: string, a: ImagePlanes, b: ImagePlanes): void => {
  for (const [name, im] of [["first", a], ["second", b]] as const) {
    if (![im.height, im.width, im.channels].every((d) => Number.isInteger(d) && d > 0)) {
      throw new ImagesIncomparable({ metric, reason: `${name} image has shape ${im.height}x${im.width}x${im.channels}` })
    }
    if (im.data.length !== im.height * im.width * im.channels) {
      throw new ImagesIncomparable({ metric, reason: `${name} image holds ${im.data.length} values, ${im.height}x${im.width}x${im.channels} needs ${im.height * im.width * im.channels}` })
    }
  }
  if (a.height !== b.height || a.width !== b.width || a.channels !== b.channels) {
    throw new ImagesIncomparable({ metric, reason: `images differ in shape: ${a.height}x${a.width}x${a.channels} vs ${b.height}x${b.width}x${b.channels}` })
  }
}

/** scikit-image's `dtype_range` for the default data range: uint8 [0, 255], float [-1, 1]. */
export const dtypeRange = (im: ImagePlanes): readonly [number, number] => (im.dtype === "uint8" ? [0, 255] : [-1, 1])
