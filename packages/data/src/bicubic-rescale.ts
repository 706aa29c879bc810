/**
 * Bicubic rescaling of whole image datasets by an integer factor, as SRGAN's data preparation does it in PyTorch
 * code: Pillow's `Image.resize((w // s, h // s), Image.BICUBIC)` for the low-resolution inputs and
 * `Image.resize((w, h), Image.BICUBIC)` for the bicubic baseline. The kernel is Pillow's cubic convolution with
 * a = -0.5 (Keys), support 2, stretched by the scale when downsampling (antialiased), weights in 22-bit fixed point
 * — bit-identical to Pillow (see test/bicubic-rescale.test.ts). Note that this is not MATLAB's `imresize` (a = -0.5
 * as well, but float weights and a different border rule), which some SR papers' tables use; results differ by a
 * few levels at borders.
 */
import { DataParamsInvalid } from "./errors.ts"
import { resizeLikePil } from "./pil-compatible-resize.js"
import type { UInt8Dataset } from "./uint8-dataset.ts"

const rescale = (images: UInt8Dataset, outHeight: number, outWidth: number, what: string): UInt8Dataset => {
  if (images.kind !== "images" || images.shape.length !== 4) throw new DataParamsInvalid({ field: what, reason: `needs an image dataset [N, H, W, C], got ${images.kind} [${images.shape.join(", ")}]` })
  const [n, h, w, c] = images.shape as [number, number, number, number]
  const inItem = h * w * c
  const outItem = outHeight * outWidth * c
  const data = new Uint8Array(n * outItem)
  for (let i = 0; i < n; i++) {
    data.set(resizeLikePil(images.data.subarray(i * inItem, (i + 1) * inItem), w, h, c, outWidth, outHeight, "cubic"), i * outItem)
  }
  return { kind: "images", shape: [n, outHeight, outWidth, c], data, ...(images.labels ? { labels: images.labels } : {}), meta: { ...images.meta, [what]: true } }
}

/**
 * Low-resolution inputs: every image `[H, W]` -> `[H / factor, W / factor]` by Pillow's antialiased bicubic.
 * Fails with DataParamsInvalid when H or W is not a multiple of `factor` (crop first: SR pairs must align).
 */
export const downscaleBicubicLikePil = (images: UInt8Dataset, factor: number): UInt8Dataset => {
  const [, h, w] = images.shape as [number, number, number]
  if (!Number.isInteger(factor) || factor < 1) throw new DataParamsInvalid({ field: "factor", reason: `must be a positive integer, got ${factor}` })
  if (h % factor !== 0 || w % factor !== 0) throw new DataParamsInvalid({ field: "factor", reason: `image size ${h}x${w} is not a multiple of ${factor}` })
  return rescale(images, h / factor, w / factor, "bicubicDownscaled")
}

/** The bicubic baseline: every image `[h, w]` -> `[h · factor, w · factor]` by Pillow's bicubic. */
export const upscaleBicubicLikePil = (images: UInt8Dataset, factor: number): UInt8Dataset => {
  const [, h, w] = images.shape as [number, number, number]
  if (!Number.isInteger(factor) || factor < 1) throw new DataParamsInvalid({ field: "factor", reason: `must be a positive integer, got ${factor}` })
  return rescale(images, h * factor, w * factor, "bicubicUpscaled")
}
