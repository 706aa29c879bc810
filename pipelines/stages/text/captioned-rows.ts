/**
 * Grids whose rows are labelled by text: each row of generated images is followed by its caption printed under it
 * (text-to-image sample grids, caption interpolation strips). Pixels are laid out by `@ganflow/viz`'s grid; the
 * captions are an SVG overlay rasterised by sharp.
 */
import { escapeHtml, type ImageBatch, layoutGrid } from "@ganflow/viz"
import sharp from "sharp"

/** One row of a captioned grid: its images (one row, left to right) and the text printed under them. */
export interface CaptionedRow {
  readonly images: ImageBatch
  readonly caption: string
}

/** Layout of a captioned grid. */
export interface CaptionedRowsOptions {
  /** Integer upscale of each pixel (default 2). */
  readonly scale?: number
  /** Caption font size in output pixels (default 12). */
  readonly fontSize?: number
  /** Caption lines per row before the text is cut with an ellipsis (default 2). */
  readonly maxLines?: number
}

/** Average glyph width of DejaVu Sans relative to its size, for wrapping without measuring. */
const GLYPH_WIDTH = 0.58

/** Words of `text` wrapped to lines of at most `width` characters, at most `maxLines` (the last cut with "…"). */
export const wrapCaption = (text: string, width: number, maxLines: number): string[] => {
  const lines: string[] = []
  let line = ""
  for (const word of text.trim().split(/\s+/)) {
    const next = line === "" ? word : `${line} ${word}`
    if (next.length <= width || line === "") line = next
    else {
      lines.push(line)
      line = word
    }
  }
  if (line !== "") lines.push(line)
  if (lines.length <= maxLines) return lines.map((l) => (l.length > width ? `${l.slice(0, Math.max(1, width - 1))}…` : l))
  const kept = lines.slice(0, maxLines)
  const last = kept[maxLines - 1]!
  kept[maxLines - 1] = `${last.slice(0, Math.max(1, width - 1))}…`
  return kept
}

/**
 * Renders rows of images with each row's caption printed under it, as one PNG (white background, black text).
 * Rows may hold different numbers of images; the picture is as wide as the widest row.
 * @throws RangeError when there are no rows.
 */
export const renderCaptionedRows = async (rows: readonly CaptionedRow[], options: CaptionedRowsOptions = {}): Promise<Buffer> => {
  if (rows.length === 0) throw new RangeError("a captioned grid needs at least one row")
  const scale = options.scale ?? 2
  const fontSize = options.fontSize ?? 12
  const maxLines = options.maxLines ?? 2
  const grids = rows.map((row) => layoutGrid(row.images, { columns: row.images.count, scale }))
  const width = Math.max(...grids.map((g) => g.width))
  const charsPerLine = Math.max(8, Math.floor((width - 8) / (fontSize * GLYPH_WIDTH)))
  const lineHeight = Math.ceil(fontSize * 1.25)
  const captions = rows.map((row) => wrapCaption(row.caption, charsPerLine, maxLines))
  const bandHeight = maxLines * lineHeight + 6
  const height = grids.reduce((sum, g) => sum + g.height + bandHeight, 0)
  const overlays: sharp.OverlayOptions[] = []
  const texts: string[] = []
  let top = 0
  for (const [i, grid] of grids.entries()) {
    overlays.push({ input: Buffer.from(grid.rgb), raw: { width: grid.width, height: grid.height, channels: 3 }, top, left: 0 })
    top += grid.height
    captions[i]!.forEach((line, l) => texts.push(`<text x="4" y="${top + (l + 1) * lineHeight}">${escapeHtml(line)}</text>`))
    top += bandHeight
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="DejaVu Sans, Arial, sans-serif" font-size="${fontSize}" fill="#000">${texts.join("")}</svg>`
  overlays.push({ input: Buffer.from(svg), top: 0, left: 0 })
  return sharp({ create: { width, height, channels: 3, background: { r: 255, g: 255, b: 255 } } }).composite(overlays).png({ compressionLevel: 9 }).toBuffer()
}
