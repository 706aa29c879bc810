/// <reference path="./gifenc.d.ts" />
/**
 * The training-progress GIF: one frame per checkpoint (each frame a grid of the same fixed latent batch),
 * encoded with gifenc, one 256-colour palette per frame, looping.
 */
import * as gifenc from "gifenc"

/** One RGB frame. */
export interface RgbFrame {
  readonly width: number
  readonly height: number
  readonly rgb: Uint8Array
}

// gifenc ships CJS (main) and ESM (module); loaders differ in which they pick and how they expose it
const gifencApi = ((gifenc as { GIFEncoder?: unknown }).GIFEncoder !== undefined ? gifenc : (gifenc as { default: unknown }).default) as unknown
const { GIFEncoder, quantize, applyPalette } = gifencApi as {
  GIFEncoder: () => { writeFrame: (index: Uint8Array, w: number, h: number, o: { palette: number[][]; delay: number; repeat?: number }) => void; finish: () => void; bytes: () => Uint8Array }
  quantize: (rgba: Uint8Array, colors: number, o?: { format: string }) => number[][]
  applyPalette: (rgba: Uint8Array, palette: number[][], format: string) => Uint8Array
}

/** Encode frames (all the same size) as an animated GIF; `delayMs` per frame, the last held 3x longer. */
export const encodeProgressGif = (frames: ReadonlyArray<RgbFrame>, delayMs = 400): Uint8Array => {
  if (frames.length === 0) throw new RangeError("a GIF needs at least one frame")
  const { width, height } = frames[0]!
  const gif = GIFEncoder()
  frames.forEach((f, i) => {
    if (f.width !== width || f.height !== height) throw new RangeError(`frame ${i} is ${f.width}x${f.height}, expected ${width}x${height}`)
    const rgba = new Uint8Array(width * height * 4)
    for (let p = 0, q = 0; p < width * height * 3; p += 3, q += 4) {
      rgba[q] = f.rgb[p]!
      rgba[q + 1] = f.rgb[p + 1]!
      rgba[q + 2] = f.rgb[p + 2]!
      rgba[q + 3] = 255
    }
    const palette = quantize(rgba, 256, { format: "rgb565" })
    const index = applyPalette(rgba, palette, "rgb565")
    gif.writeFrame(index, width, height, { palette, delay: i === frames.length - 1 ? delayMs * 3 : delayMs, ...(i === 0 ? { repeat: 0 } : {}) })
  })
  gif.finish()
  return gif.bytes()
}
