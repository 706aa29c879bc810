// @ts-check
/**
 * Decodes one PNG/JPEG to the requested size and channels as PIL would (`Image.open(f)
 * .convert("RGB" | "L")`, then resize/fit with pil-compatible-resize.js). JPEGs are decoded
 * synchronously in-process with libjpeg-turbo compiled to WebAssembly (`@cwasm/jpeg-turbo`: the
 * same pixels as PIL's libjpeg-turbo, without sharp's per-call trip through libuv and libvips'
 * pipeline set-up, which dominates for small images); other formats, and JPEGs it rejects
 * (CMYK, truncated), go through sharp for decoding only. No libvips resize is involved.
 *
 * Plain JavaScript (with a declaration file): the image-decode worker threads load it directly.
 */
import jpegTurbo from "@cwasm/jpeg-turbo"
import sharp from "sharp"
import { fitLikePil, rgbToLuma } from "./pil-compatible-resize.js"

const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1

/**
 * Drops the alpha byte of packed RGBA, four pixels (16 bytes in, 12 out) per step on 32-bit words
 * (little-endian: a word is R | G << 8 | B << 16 | A << 24).
 * @param {Uint8Array | Uint8ClampedArray} rgba
 * @returns {Uint8Array}
 */
const rgbaToRgb = (rgba) => {
  const pixels = rgba.length >> 2
  const rgb = new Uint8Array(pixels * 3)
  const groups = LITTLE_ENDIAN && rgba.byteOffset % 4 === 0 ? pixels >> 2 : 0
  if (groups > 0) {
    const from = new Uint32Array(rgba.buffer, rgba.byteOffset, groups * 4)
    const to = new Uint32Array(rgb.buffer, 0, groups * 3)
    for (let g = 0, i = 0, o = 0; g < groups; g++, i += 4, o += 3) {
      const a = from[i], b = from[i + 1], c = from[i + 2], d = from[i + 3]
      to[o] = (a & 0xffffff) | (b << 24)
      to[o + 1] = ((b >>> 8) & 0xffff) | (c << 16)
      to[o + 2] = ((c >>> 16) & 0xff) | (d << 8)
    }
  }
  for (let p = groups * 4; p < pixels; p++) {
    rgb[p * 3] = rgba[p * 4]
    rgb[p * 3 + 1] = rgba[p * 4 + 1]
    rgb[p * 3 + 2] = rgba[p * 4 + 2]
  }
  return rgb
}

/**
 * Packed RGB pixels of PNG/JPEG bytes (alpha dropped, grey replicated, as `convert("RGB")`).
 * Throws (sharp's message) on data that is not a decodable image.
 * @param {Uint8Array} bytes
 * @returns {Promise<{ width: number, height: number, rgb: Uint8Array }>}
 */
export const decodeRgb = async (bytes) => {
  if (bytes[0] === 0xff && bytes[1] === 0xd8) {
    let image
    try {
      image = jpegTurbo.decode(bytes)
    } catch {
      image = undefined // CMYK or damaged: sharp decides, and names the problem
    }
    if (image !== undefined) return { width: image.width, height: image.height, rgb: rgbaToRgb(image.data) }
  }
  const { data, info } = await sharp(bytes, { failOn: "truncated" }).removeAlpha().toColourspace("srgb").raw().toBuffer({ resolveWithObject: true })
  if (info.channels !== 3 || data.length !== info.width * info.height * 3) {
    throw new Error(`decoded to ${info.width}x${info.height}x${info.channels} (${data.length} bytes), expected 8-bit RGB`)
  }
  return { width: info.width, height: info.height, rgb: new Uint8Array(data.buffer, data.byteOffset, data.length) }
}

/**
 * Decoded pixels [height, width, channels] of image bytes at `size` = [height, width].
 * @param {Uint8Array} bytes
 * @param {{ size: readonly [number, number], channels: 1 | 3, fit: "cover" | "fill" | "contain", kernel: "nearest" | "linear" | "cubic" | "lanczos3" }} options
 * @returns {Promise<Uint8Array>}
 */
export const decodeToSize = async (bytes, options) => {
  const { width, height, rgb } = await decodeRgb(bytes)
  const pixels = options.channels === 1 ? rgbToLuma(rgb) : rgb
  return fitLikePil(pixels, width, height, options.channels, options.size[1], options.size[0], options.fit, options.kernel)
}
