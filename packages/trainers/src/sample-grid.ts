import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import * as tf from "@tensorflow/tfjs-core"

/** A grid of generated images as raw pixels: `data` is `height x width x channels` uint8, row-major (HWC). */
export interface SampleGrid {
  readonly step: number
  readonly rows: number
  readonly cols: number
  readonly width: number
  readonly height: number
  readonly channels: number
  readonly data: Uint8Array
}

/**
 * Tiles generated images `[N, H, W, C]` (in G's output range: `tanh` [-1, 1] or `sigmoid` [0, 1]) into a
 * near-square grid of 0..255 pixels. 2-D images only; volumes are for `@ganflow/viz` to render. Takes ownership
 * of `images` (frees it). Reads the pixels back asynchronously (one read).
 */
export const renderSampleGrid = async (images: tf.Tensor, outputRange: "tanh" | "sigmoid", step: number): Promise<SampleGrid> => {
  if (images.rank !== 4) {
    images.dispose()
    throw new Error(`sample grids need [N, H, W, C] images, got [${images.shape}]`)
  }
  const [n, h, w, c] = images.shape as [number, number, number, number]
  const cols = Math.ceil(Math.sqrt(n))
  const rows = Math.ceil(n / cols)
  const scaled = tf.tidy(() => {
    const unit = outputRange === "tanh" ? tf.div(tf.add(images, 1), 2) : images
    return tf.round(tf.mul(tf.clipByValue(unit, 0, 1), 255))
  })
  images.dispose()
  let pixels: tf.TypedArray
  try {
    pixels = await scaled.data() // asynchronous: a GPU backend is not stalled (and needs no canvas)
  } finally {
    scaled.dispose()
  }
  const width = cols * w
  const height = rows * h
  const data = new Uint8Array(width * height * c)
  for (let i = 0; i < n; i++) {
    const gy = Math.floor(i / cols) * h
    const gx = (i % cols) * w
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let k = 0; k < c; k++) data[((gy + y) * width + gx + x) * c + k] = pixels[((i * h + y) * w + x) * c + k]!
  }
  return { step, rows, cols, width, height, channels: c, data }
}

/**
 * Writes a grid as `<dir>/step-<000123>.u8` (the raw HWC bytes) and `<dir>/step-<000123>.json`
 * (`{ step, rows, cols, width, height, channels, layout: "HWC", dtype: "uint8" }`). Returns the two paths.
 */
export const writeSampleGrid = (dir: string, grid: SampleGrid): { readonly data: string; readonly header: string } => {
  mkdirSync(dir, { recursive: true })
  const base = join(dir, `step-${String(grid.step).padStart(6, "0")}`)
  const { data, ...header } = grid
  writeFileSync(`${base}.u8`, data)
  writeFileSync(`${base}.json`, JSON.stringify({ ...header, layout: "HWC", dtype: "uint8" }))
  return { data: `${base}.u8`, header: `${base}.json` }
}
