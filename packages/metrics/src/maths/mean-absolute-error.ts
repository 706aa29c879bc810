import { assertSameShape, type ImagePlanes } from "./image-planes.ts"

/**
 * L1 distance of two images: mean |a − b| over every value, in float64 (pix2pix's reconstruction metric; in the
 * images' own units, e.g. [0, 1] or [-1, 1]). Throws ImagesIncomparable when the shapes differ.
 */
export const meanAbsoluteError = (a: ImagePlanes, b: ImagePlanes): number => {
  assertSameShape("L1", a, b)
  let sum = 0
  for (let i = 0; i < a.data.length; i++) sum += Math.abs((a.data[i] as number) - (b.data[i] as number))
  return sum / a.data.length
}
