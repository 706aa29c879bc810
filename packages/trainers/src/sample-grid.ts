import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import type { GanModels } from "@ganflow/models"
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
 * Runs G in inference mode on a fixed latent batch (`[N, latentDim]`, plus `[N, 1]` labels for conditional models)
 * and tiles the N images into a near-square grid, mapping G's output range to 0..255. 2-D images only
 * (`[H, W, C]`); volumes are for `@ganflow/viz` to render. Disposes everything it makes. Reads the pixels back
 * asynchronously (one read).
 */
export const renderSampleGrid = async (models: GanModels, latents: tf.Tensor, labels: tf.Tensor | undefined, step: number): Promise<SampleGrid> => {
  const [h, w, c] = models.imageShape as [number, number, number]
  if (models.imageShape.length !== 3) throw new Error(`sample grids need [H, W, C] images, the generator makes [${models.imageShape}]`)
  const n = latents.shape[0]!
  const cols = Math.ceil(Math.sqrt(n))
  const rows = Math.ceil(n / cols)
  const scaled = tf.tidy(() => {
    const images = models.generator.predict(labels ? [latents, labels] : latents) as tf.Tensor4D
    const unit = models.outputRange === "tanh" ? tf.div(tf.add(images, 1), 2) : images
    return tf.round(tf.mul(tf.clipByValue(unit, 0, 1), 255))
  })
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
