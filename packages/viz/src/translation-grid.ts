/**
 * Translation grids: for each example, its images side by side in a fixed column order — pix2pix's
 * input | output | target, CycleGAN's A → G(A) → F(G(A)) | B → F(B) → G(F(B)) — examples one per row (or several
 * per row), upscaled with nearest neighbour like every grid.
 */
import type { ImageBatch } from "./image-batch.ts"
import { type GridOptions, layoutGrid } from "./image-grid.ts"

/** The images of `columns` (batches of one count and size) reordered example by example: [c0[0], c1[0], …, c0[1], …]. */
export const interleaveColumns = (columns: readonly ImageBatch[]): ImageBatch => {
  const first = columns[0]
  if (first === undefined) throw new RangeError("a translation grid needs at least one column")
  for (const [k, c] of columns.entries()) {
    if (c.count !== first.count || c.height !== first.height || c.width !== first.width || c.channels !== first.channels) {
      throw new RangeError(`column ${k} holds ${c.count} images of ${c.height}x${c.width}x${c.channels}; column 0 holds ${first.count} of ${first.height}x${first.width}x${first.channels}`)
    }
  }
  const item = first.height * first.width * first.channels
  const pixels = new Uint8Array(item * first.count * columns.length)
  for (let n = 0; n < first.count; n++) {
    columns.forEach((c, k) => pixels.set(c.pixels.subarray(n * item, (n + 1) * item), (n * columns.length + k) * item))
  }
  return { count: first.count * columns.length, height: first.height, width: first.width, channels: first.channels, pixels }
}

/** Lays out a translation grid: `examplesPerRow` examples per row, each as its `columns` side by side; raw RGB. */
export const layoutTranslationGrid = (
  columns: readonly ImageBatch[],
  options: Omit<GridOptions, "columns"> & { readonly examplesPerRow?: number } = {},
): { width: number; height: number; rgb: Uint8Array } =>
  layoutGrid(interleaveColumns(columns), { ...options, columns: columns.length * Math.max(1, options.examplesPerRow ?? 1) })
