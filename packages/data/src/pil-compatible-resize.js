// @ts-check
/**
 * Resizing uint8 images exactly as Pillow 9 does it, so a dataset read here holds the pixels a
 * PyTorch user's `Image.open(f).convert("RGB").resize(size, Image.LANCZOS)` gives:
 *
 * - `resizeLikePil`: `Image.resize(size, filter, box)` — PIL's two-pass separable convolution
 *   (Resample.c): per-axis coefficients from the filter stretched by the downscale factor (so it
 *   antialiases), normalised to 22-bit fixed point, horizontal pass into a uint8 image, then the
 *   vertical pass, rounding and clipping as PIL does. NEAREST is PIL's affine nearest neighbour.
 * - `coverBox` is `ImageOps.fit`'s crop box (centre crop to the target aspect, resized in one step);
 *   `containPlacement` is `ImageOps.pad`'s resized size and offset (letterbox, black).
 * - `rgbToLuma` is `convert("L")` from RGB (ITU-R 601 in 16-bit fixed point).
 *
 * Plain JavaScript (with a declaration file) because the image-decode worker threads load it
 * directly, without a TypeScript loader. Measured against Pillow 9.4 on real images by
 * test/fixtures/make_resize_fixtures.py: identical pixels (the stated tolerance is 1 in 0..255,
 * for libm `sin` rounding differences in the Lanczos weights).
 */

import { PIL_RESAMPLE_KERNELS_WASM_BASE64 } from "./pil-resample-kernels-binary.js"

const PRECISION_BITS = 32 - 8 - 2

/** @type {Record<"linear" | "cubic" | "lanczos3", { support: number, weight: (x: number) => number }>} */
const FILTERS = {
  linear: {
    support: 1,
    weight: (x) => {
      if (x < 0) x = -x
      return x < 1 ? 1 - x : 0
    },
  },
  cubic: {
    support: 2,
    weight: (x) => {
      const a = -0.5
      if (x < 0) x = -x
      if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1
      if (x < 2) return (((x - 5) * x + 8) * x - 4) * a
      return 0
    },
  },
  lanczos3: {
    support: 3,
    weight: (x) => (-3 <= x && x < 3 ? sinc(x) * sinc(x / 3) : 0),
  },
}

/** @param {number} x */
const sinc = (x) => {
  if (x === 0) return 1
  x = x * Math.PI
  return Math.sin(x) / x
}

/**
 * @typedef {{ readonly size: number, readonly bounds: Int32Array, readonly weights: Int32Array }} AxisCoefficients
 * bounds[2i] = first input index, bounds[2i+1] = tap count for output i; weights[i*size + t] in 22-bit fixed point.
 */

/** @type {Map<string, AxisCoefficients>} */
const coefficientCache = new Map()

/**
 * PIL's precompute_coeffs + normalize_coeffs_8bpc for one axis: `inSize` pixels, source range
 * [in0, in1) (float32, as PIL's C code holds the box), `outSize` output pixels. Cached.
 * @param {number} inSize @param {number} in0 @param {number} in1 @param {number} outSize
 * @param {"linear" | "cubic" | "lanczos3"} kernel
 * @returns {AxisCoefficients}
 */
export const axisCoefficients = (inSize, in0, in1, outSize, kernel) => {
  const key = `${kernel} ${inSize} ${in0} ${in1} ${outSize}`
  const cached = coefficientCache.get(key)
  if (cached !== undefined) return cached
  const filter = FILTERS[kernel]
  const scale = Math.fround(in1 - in0) / outSize
  const filterScale = scale < 1 ? 1 : scale
  const support = filter.support * filterScale
  const size = Math.ceil(support) * 2 + 1
  const bounds = new Int32Array(outSize * 2)
  const weights = new Int32Array(outSize * size)
  const k = new Float64Array(size)
  for (let xx = 0; xx < outSize; xx++) {
    const center = in0 + (xx + 0.5) * scale
    const ss = 1 / filterScale
    let xmin = Math.trunc(center - support + 0.5)
    if (xmin < 0) xmin = 0
    let xmax = Math.trunc(center + support + 0.5)
    if (xmax > inSize) xmax = inSize
    xmax -= xmin
    let ww = 0
    for (let x = 0; x < xmax; x++) {
      const w = filter.weight((x + xmin - center + 0.5) * ss)
      k[x] = w
      ww += w
    }
    for (let x = 0; x < xmax; x++) {
      const v = ww !== 0 ? k[x] / ww : k[x]
      weights[xx * size + x] = v < 0 ? Math.trunc(-0.5 + v * (1 << PRECISION_BITS)) : Math.trunc(0.5 + v * (1 << PRECISION_BITS))
    }
    // Taps whose fixed-point weight is 0 add nothing: leave them out (same sums, fewer reads).
    let first = 0
    let count = xmax
    while (count > 0 && weights[xx * size + first] === 0) {
      first++
      count--
    }
    while (count > 0 && weights[xx * size + first + count - 1] === 0) count--
    if (first > 0) weights.copyWithin(xx * size, xx * size + first, xx * size + first + count)
    bounds[xx * 2] = xmin + first
    bounds[xx * 2 + 1] = count
  }
  const result = { size, bounds, weights }
  if (coefficientCache.size > 64) coefficientCache.clear()
  coefficientCache.set(key, result)
  return result
}

/** PIL's clip8 of a 22-bit fixed-point sum (which starts at the rounding half). @param {number} v */
const clip8 = (v) => (v >= 1 << (PRECISION_BITS + 8) ? 255 : v <= 0 ? 0 : v >> PRECISION_BITS)

/**
 * Resizes packed uint8 pixels [height, width, channels] to [outHeight, outWidth, channels] like
 * Pillow's `Image.resize((outWidth, outHeight), filter, box)`. `box` = [left, top, right, bottom]
 * in source pixels (default: the whole image).
 * @param {Uint8Array} src @param {number} width @param {number} height @param {number} channels
 * @param {number} outWidth @param {number} outHeight
 * @param {"nearest" | "linear" | "cubic" | "lanczos3"} kernel
 * @param {readonly [number, number, number, number]} [box]
 * @returns {Uint8Array}
 */
export const resizeLikePil = (src, width, height, channels, outWidth, outHeight, kernel, box) => {
  const b = box === undefined ? [0, 0, width, height] : box.map(Math.fround)
  const [b0, b1, b2, b3] = /** @type {[number, number, number, number]} */ (b)
  if (outWidth === width && outHeight === height && b0 === 0 && b1 === 0 && b2 === width && b3 === height) return src.slice()
  if (kernel === "nearest") return nearest(src, width, height, channels, outWidth, outHeight, b0, b1, b2, b3)
  const needHorizontal = outWidth !== width || b0 !== 0 || b2 !== outWidth
  const needVertical = outHeight !== height || b1 !== 0 || b3 !== outHeight
  const horizontal = axisCoefficients(width, b0, b2, outWidth, kernel)
  const vertical = axisCoefficients(height, b1, b3, outHeight, kernel)
  const kernels = useWasm && (needHorizontal ? channels === 3 : true) ? resampleKernels() : null
  if (kernels !== null) return resizeWithKernels(kernels, src, width, channels, outWidth, outHeight, needHorizontal, needVertical, horizontal, vertical)
  let image = src
  let imageWidth = width
  let rowOffset = 0
  if (needHorizontal) {
    // Only the rows the vertical pass reads.
    const first = vertical.bounds[0]
    const last = vertical.bounds[outHeight * 2 - 2] + vertical.bounds[outHeight * 2 - 1]
    image = horizontalPass(src, width, channels, first, last - first, horizontal, outWidth)
    imageWidth = outWidth
    rowOffset = first
  }
  if (!needVertical) return image
  return verticalPass(image, imageWidth, channels, rowOffset, vertical, outHeight)
}

/**
 * @typedef {{ memory: WebAssembly.Memory,
 *   horizontalRgb: (src: number, srcStride: number, rows: number, out: number, outWidth: number, bounds: number, weights: number, ksize: number) => void,
 *   vertical: (src: number, stride: number, out: number, outHeight: number, bounds: number, weights: number, ksize: number) => void }} ResampleKernels
 */

/** @type {ResampleKernels | null | undefined} */
let kernelsInstance
let useWasm = true

/** The WebAssembly SIMD kernels (one instance per thread), or null where WebAssembly SIMD is unavailable. */
const resampleKernels = () => {
  if (kernelsInstance !== undefined) return kernelsInstance
  try {
    const bytes = Uint8Array.from(atob(PIL_RESAMPLE_KERNELS_WASM_BASE64), (c) => c.charCodeAt(0))
    kernelsInstance = /** @type {ResampleKernels} */ (/** @type {unknown} */ (new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports))
  } catch {
    kernelsInstance = null
  }
  return kernelsInstance
}

/**
 * Chooses the WebAssembly SIMD kernels (default, when available) or the plain JavaScript loops
 * (the reference; tests check both against Pillow). Returns the previous setting.
 * @param {boolean} enabled
 */
export const setResizeUsesWasm = (enabled) => {
  const previous = useWasm
  useWasm = enabled
  return previous
}

/** Four copies of each weight (the kernels load a weight as one v128). @param {Int32Array} to @param {Int32Array} from */
const splatInto = (to, from) => {
  for (let i = 0, o = 0; i < from.length; i++, o += 4) {
    const w = from[i]
    to[o] = w
    to[o + 1] = w
    to[o + 2] = w
    to[o + 3] = w
  }
}

/**
 * resizeLikePil's two passes on the SIMD kernels: operands copied into the kernels' memory
 * (each buffer padded by 8 bytes, weights splatted, see the .wat), result copied out.
 * @param {ResampleKernels} k @param {Uint8Array} src @param {number} width @param {number} channels
 * @param {number} outWidth @param {number} outHeight @param {boolean} needHorizontal @param {boolean} needVertical
 * @param {AxisCoefficients} horizontal @param {AxisCoefficients} vertical
 */
const resizeWithKernels = (k, src, width, channels, outWidth, outHeight, needHorizontal, needVertical, horizontal, vertical) => {
  const align = (/** @type {number} */ n) => (n + 8 + 15) & ~15
  const first = needHorizontal ? vertical.bounds[0] : 0
  const rows = needHorizontal ? vertical.bounds[outHeight * 2 - 2] + vertical.bounds[outHeight * 2 - 1] - first : src.length / (width * channels)
  const stride = (needHorizontal ? outWidth : width) * channels
  // Coefficients first (rewritten only when they change: a dataset resizes every image alike), then pixels.
  const hBoundsAt = 0
  const hWeightsAt = hBoundsAt + align(horizontal.bounds.byteLength)
  const vBoundsAt = hWeightsAt + align(horizontal.weights.byteLength * 4)
  const vWeightsAt = vBoundsAt + align(vertical.bounds.byteLength)
  const srcAt = vWeightsAt + align(vertical.weights.byteLength * 4)
  const tempAt = srcAt + align(src.length)
  const outAt = tempAt + align(needHorizontal ? rows * stride : 0)
  const end = outAt + align(outHeight * stride)
  if (k.memory.buffer.byteLength < end) k.memory.grow(Math.ceil((end - k.memory.buffer.byteLength) / 65536))
  if (loaded.horizontal !== horizontal || loaded.vertical !== vertical || loaded.first !== first || loaded.buffer !== k.memory.buffer) {
    new Int32Array(k.memory.buffer, hBoundsAt, horizontal.bounds.length).set(horizontal.bounds)
    splatInto(new Int32Array(k.memory.buffer, hWeightsAt, horizontal.weights.length * 4), horizontal.weights)
    const vBounds = new Int32Array(k.memory.buffer, vBoundsAt, vertical.bounds.length)
    vBounds.set(vertical.bounds)
    for (let y = 0; y < outHeight; y++) vBounds[y * 2] -= first
    splatInto(new Int32Array(k.memory.buffer, vWeightsAt, vertical.weights.length * 4), vertical.weights)
    loaded = { horizontal, vertical, first, buffer: k.memory.buffer }
  }
  const bytes = new Uint8Array(k.memory.buffer)
  bytes.set(src, srcAt)
  let image = srcAt
  if (needHorizontal) {
    k.horizontalRgb(srcAt + first * width * channels, width * channels, rows, tempAt, outWidth, hBoundsAt, hWeightsAt, horizontal.size)
    if (!needVertical) return bytes.slice(tempAt, tempAt + rows * stride)
    image = tempAt
  }
  k.vertical(image, stride, outAt, outHeight, vBoundsAt, vWeightsAt, vertical.size)
  return bytes.slice(outAt, outAt + outHeight * stride)
}

/** Which coefficients the kernels' memory holds. @type {{ horizontal?: AxisCoefficients, vertical?: AxisCoefficients, first?: number, buffer?: ArrayBuffer }} */
let loaded = {}

/**
 * @param {Uint8Array} src @param {number} width @param {number} channels @param {number} firstRow @param {number} rows
 * @param {AxisCoefficients} c @param {number} outWidth
 */
const horizontalPass = (src, width, channels, firstRow, rows, c, outWidth) => {
  const out = new Uint8Array(rows * outWidth * channels)
  const { size, bounds, weights } = c
  const half = 1 << (PRECISION_BITS - 1)
  const rowStride = width * channels
  // Int32 sums as in PIL's C (the sums fit: weights sum to 2^22 and pixels are below 2^8).
  for (let xx = 0, o0 = 0; xx < outWidth; xx++, o0 += channels) {
    const xmin = bounds[xx * 2]
    const taps = bounds[xx * 2 + 1]
    const w0 = xx * size
    if (channels === 3) {
      for (let y = 0; y < rows; y++) {
        let p = (y + firstRow) * rowStride + xmin * 3
        let r = half, g = half, bl = half
        for (let t = 0; t < taps; t++, p += 3) {
          const w = weights[w0 + t]
          r = (r + Math.imul(src[p], w)) | 0
          g = (g + Math.imul(src[p + 1], w)) | 0
          bl = (bl + Math.imul(src[p + 2], w)) | 0
        }
        const o = y * outWidth * 3 + o0
        out[o] = clip8(r)
        out[o + 1] = clip8(g)
        out[o + 2] = clip8(bl)
      }
    } else {
      for (let y = 0; y < rows; y++) {
        const p = (y + firstRow) * rowStride + xmin * channels
        const o = y * outWidth * channels + o0
        for (let ch = 0; ch < channels; ch++) {
          let s = half
          for (let t = 0, q = p + ch; t < taps; t++, q += channels) s = (s + Math.imul(src[q], weights[w0 + t])) | 0
          out[o + ch] = clip8(s)
        }
      }
    }
  }
  return out
}

/**
 * @param {Uint8Array} src @param {number} width @param {number} channels @param {number} rowOffset
 * @param {AxisCoefficients} c @param {number} outHeight
 */
const verticalPass = (src, width, channels, rowOffset, c, outHeight) => {
  const stride = width * channels
  const out = new Uint8Array(outHeight * stride)
  const { size, bounds, weights } = c
  const half = 1 << (PRECISION_BITS - 1)
  for (let yy = 0; yy < outHeight; yy++) {
    const ymin = bounds[yy * 2] - rowOffset
    const taps = bounds[yy * 2 + 1]
    const w0 = yy * size
    const base = ymin * stride
    const o = yy * stride
    for (let i = 0; i < stride; i++) {
      let sum = half
      for (let t = 0, q = base + i; t < taps; t++, q += stride) sum = (sum + Math.imul(src[q], weights[w0 + t])) | 0
      out[o + i] = clip8(sum)
    }
  }
  return out
}

/**
 * PIL's NEAREST resize (an affine scale sampled at pixel centres, ImagingScaleAffine).
 * @param {Uint8Array} src @param {number} width @param {number} height @param {number} channels
 * @param {number} outWidth @param {number} outHeight
 * @param {number} b0 @param {number} b1 @param {number} b2 @param {number} b3
 */
const nearest = (src, width, height, channels, outWidth, outHeight, b0, b1, b2, b3) => {
  const out = new Uint8Array(outWidth * outHeight * channels)
  const a0 = Math.fround(b2 - b0) / outWidth
  const a4 = Math.fround(b3 - b1) / outHeight
  const columns = new Int32Array(outWidth)
  let xo = b0 + a0 * 0.5
  for (let x = 0; x < outWidth; x++) {
    columns[x] = xo < 0 ? -1 : Math.trunc(xo)
    xo += a0
  }
  let yo = b1 + a4 * 0.5
  for (let y = 0; y < outHeight; y++) {
    const yin = yo < 0 ? -1 : Math.trunc(yo)
    yo += a4
    if (yin < 0 || yin >= height) continue
    for (let x = 0; x < outWidth; x++) {
      const xin = columns[x]
      if (xin < 0 || xin >= width) continue
      const from = (yin * width + xin) * channels
      const to = (y * outWidth + x) * channels
      for (let ch = 0; ch < channels; ch++) out[to + ch] = src[from + ch]
    }
  }
  return out
}

/**
 * `ImageOps.fit`'s source box for a centre crop of a width x height image to the aspect of
 * outWidth x outHeight: [left, top, right, bottom] (fractional), to pass to resizeLikePil.
 * @param {number} width @param {number} height @param {number} outWidth @param {number} outHeight
 * @returns {[number, number, number, number]}
 */
export const coverBox = (width, height, outWidth, outHeight) => {
  const liveRatio = width / height
  const outRatio = outWidth / outHeight
  let cropWidth = width
  let cropHeight = height
  if (liveRatio === outRatio) {
    // already the aspect
  } else if (liveRatio >= outRatio) {
    cropWidth = outRatio * height
  } else {
    cropHeight = width / outRatio
  }
  const left = (width - cropWidth) * 0.5
  const top = (height - cropHeight) * 0.5
  return [left, top, left + cropWidth, top + cropHeight]
}

/** Python's round() (half to even) for the values ImageOps uses. @param {number} v */
const roundHalfEven = (v) => {
  const r = Math.round(v)
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r
}

/**
 * `ImageOps.pad` (via `ImageOps.contain`): the size the image is resized to so it fits inside
 * outWidth x outHeight keeping its aspect, and where it is pasted on the black canvas.
 * @param {number} width @param {number} height @param {number} outWidth @param {number} outHeight
 * @returns {{ width: number, height: number, left: number, top: number }}
 */
export const containPlacement = (width, height, outWidth, outHeight) => {
  const imRatio = width / height
  const destRatio = outWidth / outHeight
  let w = outWidth
  let h = outHeight
  if (imRatio !== destRatio) {
    if (imRatio > destRatio) h = roundHalfEven((height / width) * outWidth)
    else w = roundHalfEven((width / height) * outHeight)
  }
  const left = w !== outWidth ? roundHalfEven((outWidth - w) * 0.5) : 0
  const top = w === outWidth && h !== outHeight ? roundHalfEven((outHeight - h) * 0.5) : 0
  return { width: w, height: h, left, top }
}

/**
 * Pillow's `convert("L")` of packed RGB: (19595 R + 38470 G + 7471 B + 0x8000) >> 16.
 * @param {Uint8Array} rgb
 * @returns {Uint8Array}
 */
export const rgbToLuma = (rgb) => {
  const out = new Uint8Array(rgb.length / 3)
  for (let i = 0, j = 0; i < out.length; i++, j += 3) out[i] = (rgb[j] * 19595 + rgb[j + 1] * 38470 + rgb[j + 2] * 7471 + 0x8000) >> 16
  return out
}

/**
 * Brings packed uint8 pixels [height, width, channels] to [outHeight, outWidth, channels] the way
 * a PIL user would: "fill" = `Image.resize` (stretch), "cover" = `ImageOps.fit` (centre crop),
 * "contain" = `ImageOps.pad` with black. Returns `pixels` itself when nothing changes.
 * @param {Uint8Array} pixels @param {number} width @param {number} height @param {number} channels
 * @param {number} outWidth @param {number} outHeight
 * @param {"cover" | "fill" | "contain"} fit
 * @param {"nearest" | "linear" | "cubic" | "lanczos3"} kernel
 * @returns {Uint8Array}
 */
export const fitLikePil = (pixels, width, height, channels, outWidth, outHeight, fit, kernel) => {
  if (width === outWidth && height === outHeight) return pixels
  if (fit === "fill") return resizeLikePil(pixels, width, height, channels, outWidth, outHeight, kernel)
  if (fit === "cover") return resizeLikePil(pixels, width, height, channels, outWidth, outHeight, kernel, coverBox(width, height, outWidth, outHeight))
  const place = containPlacement(width, height, outWidth, outHeight)
  const inner = resizeLikePil(pixels, width, height, channels, place.width, place.height, kernel)
  if (place.width === outWidth && place.height === outHeight) return inner
  const out = new Uint8Array(outWidth * outHeight * channels)
  const row = place.width * channels
  for (let y = 0; y < place.height; y++) out.set(inner.subarray(y * row, (y + 1) * row), ((y + place.top) * outWidth + place.left) * channels)
  return out
}
