/**
 * Image grids: a batch laid out in rows (e.g. samples from one fixed latent batch, one row per class for a
 * conditional GAN), with padding, upscaled by an integer factor with nearest neighbour so pixels stay sharp.
 */
import sharp from "sharp"
import type { ImageBatch } from "./image-batch.ts"

/** Layout of a grid. */
export interface GridOptions {
  /** Images per row (default: ceil(sqrt(count))). */
  readonly columns?: number
  /** Pixels between images, in source pixels (default 2). */
  readonly padding?: number
  /** Integer upscale factor (default 1). */
  readonly scale?: number
  /** Padding colour, grey level 0..255 (default 255). */
  readonly background?: number
}

/** Lay out a batch as one RGB image; returns raw RGB pixels and the grid size. */
export const layoutGrid = (batch: ImageBatch, options: GridOptions = {}): { width: number; height: number; rgb: Uint8Array } => {
  const columns = Math.max(1, options.columns ?? Math.ceil(Math.sqrt(batch.count)))
  const rows = Math.max(1, Math.ceil(batch.count / columns))
  const pad = options.padding ?? 2
  const scale = Math.max(1, Math.round(options.scale ?? 1))
  const cellW = (batch.width + pad) * scale
  const cellH = (batch.height + pad) * scale
  const width = columns * cellW + pad * scale
  const height = rows * cellH + pad * scale
  const rgb = new Uint8Array(width * height * 3).fill(options.background ?? 255)
  const c = batch.channels
  for (let n = 0; n < batch.count; n++) {
    const x0 = (n % columns) * cellW + pad * scale
    const y0 = Math.floor(n / columns) * cellH + pad * scale
    const base = n * batch.height * batch.width * c
    for (let y = 0; y < batch.height * scale; y++) {
      const sy = Math.floor(y / scale)
      let o = ((y0 + y) * width + x0) * 3
      for (let x = 0; x < batch.width * scale; x++, o += 3) {
        const i = base + (sy * batch.width + Math.floor(x / scale)) * c
        rgb[o] = batch.pixels[i]!
        rgb[o + 1] = batch.pixels[i + (c === 3 ? 1 : 0)]!
        rgb[o + 2] = batch.pixels[i + (c === 3 ? 2 : 0)]!
      }
    }
  }
  return { width, height, rgb }
}

/** Render a batch as a PNG grid. */
export const renderImageGrid = async (batch: ImageBatch, options: GridOptions = {}): Promise<Buffer> => {
  const { width, height, rgb } = layoutGrid(batch, options)
  return sharp(rgb, { raw: { width, height, channels: 3 } }).png({ compressionLevel: 9 }).toBuffer()
}

/** Encode raw RGB pixels (e.g. a {@link layoutGrid} result) as a PNG. */
export const encodeRgbPng = (image: { readonly width: number; readonly height: number; readonly rgb: Uint8Array }): Promise<Buffer> =>
  sharp(image.rgb, { raw: { width: image.width, height: image.height, channels: 3 } }).png({ compressionLevel: 9 }).toBuffer()
