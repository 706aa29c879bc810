/**
 * A batch of images as the renderers take them: uint8 pixels, N x H x W x C (C = 1 or 3), row-major.
 * Generators output floats; `imagesFromFloats` converts from [-1, 1] (tanh) or [0, 1] (sigmoid).
 */

/** N images of H x W x C uint8 pixels, contiguous. */
export interface ImageBatch {
  readonly count: number
  readonly height: number
  readonly width: number
  readonly channels: 1 | 3
  readonly pixels: Uint8Array
}

/** Convert float pixels (NHWC) in `range` to an ImageBatch, clamping and rounding. */
export const imagesFromFloats = (
  data: Float32Array | ArrayLike<number>,
  shape: readonly [number, number, number, number],
  range: "tanh" | "sigmoid",
): ImageBatch => {
  const [count, height, width, channels] = shape
  if (channels !== 1 && channels !== 3) throw new RangeError(`images must have 1 or 3 channels, got ${channels}`)
  if (data.length !== count * height * width * channels) throw new RangeError(`pixel count ${data.length} does not match shape ${shape.join("x")}`)
  const pixels = new Uint8Array(data.length)
  for (let i = 0; i < data.length; i++) {
    const v = range === "tanh" ? (data[i]! + 1) * 127.5 : data[i]! * 255
    pixels[i] = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v)
  }
  return { count, height, width, channels, pixels }
}
