import * as tf from "@tensorflow/tfjs-core"

/** Pictures ready to paint: `count` RGB images of `height` x `width`, bytes in row-major HWC order. */
export interface DisplayImages {
  readonly count: number
  readonly height: number
  readonly width: number
  /** `count * height * width * 3` values in 0..255. */
  readonly rgb: Uint8ClampedArray
}

/**
 * Turns a generator's output into displayable RGB bytes. Images `[N, H, W, C]` map from the output range to
 * 0..255 (one channel is shown as grey, more than three show the first three); volumes `[N, D, H, W, 1]` are
 * shown as their maximum projection along depth (a silhouette of the occupancy). Does not dispose `output`.
 */
export const displayImages = async (output: tf.Tensor, range: "tanh" | "sigmoid"): Promise<DisplayImages> => {
  const bytes = tf.tidy(() => {
    let x = output.rank === 5 ? tf.max(output, 1) : output // volume: N x H x W x 1
    if (x.rank !== 4) throw new Error(`cannot display generator output of shape [${output.shape.join(", ")}]`)
    const channels = x.shape[3]!
    if (channels === 1) x = tf.tile(x, [1, 1, 1, 3])
    else if (channels === 2) x = tf.concat([x, tf.slice(x, [0, 0, 0, 0], [-1, -1, -1, 1])], 3)
    else if (channels > 3) x = tf.slice(x, [0, 0, 0, 0], [-1, -1, -1, 3])
    const unit = range === "tanh" ? tf.mul(tf.add(x, 1), 0.5) : x
    return tf.clipByValue(tf.round(tf.mul(unit, 255)), 0, 255) as tf.Tensor4D
  })
  try {
    const [count, height, width] = bytes.shape as [number, number, number, number]
    return { count, height, width, rgb: Uint8ClampedArray.from(await bytes.data()) }
  } finally {
    bytes.dispose()
  }
}

/** Paints image `index` of `images` onto `canvas`, resizing the canvas to the image's pixel size. */
export const paintImage = (canvas: HTMLCanvasElement, images: DisplayImages, index: number): void => {
  const { height, width, rgb } = images
  canvas.width = width
  canvas.height = height
  const pixels = new ImageData(width, height)
  const offset = index * height * width * 3
  for (let p = 0; p < height * width; p++) {
    pixels.data[p * 4] = rgb[offset + p * 3]!
    pixels.data[p * 4 + 1] = rgb[offset + p * 3 + 1]!
    pixels.data[p * 4 + 2] = rgb[offset + p * 3 + 2]!
    pixels.data[p * 4 + 3] = 255
  }
  canvas.getContext("2d")!.putImageData(pixels, 0, 0)
}
