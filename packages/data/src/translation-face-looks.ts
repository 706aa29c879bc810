/**
 * Pixel-level restylings of rendered faces for the built-in translation datasets: a pencil sketch (the edges of
 * the face, as edges2shoes/edges2handbags derive edges from photos) and a sepia ink print. Both work on packed
 * uint8 RGB `[size, size, 3]` and return a new image of that shape.
 */

/** Luma (ITU-R 601, as PIL's `convert("L")` weights it) of packed RGB, float. */
const luma = (rgb: Uint8Array, n: number): Float32Array => {
  const y = new Float32Array(n)
  for (let p = 0; p < n; p++) y[p] = 0.299 * rgb[p * 3]! + 0.587 * rgb[p * 3 + 1]! + 0.114 * rgb[p * 3 + 2]!
  return y
}

/** Sobel gradient magnitude of a `size x size` plane, edges replicated at the border. */
const sobelMagnitude = (y: Float32Array, size: number): Float32Array => {
  const at = (r: number, c: number) => y[Math.min(size - 1, Math.max(0, r)) * size + Math.min(size - 1, Math.max(0, c))]!
  const out = new Float32Array(size * size)
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      const gx = at(r - 1, c + 1) + 2 * at(r, c + 1) + at(r + 1, c + 1) - at(r - 1, c - 1) - 2 * at(r, c - 1) - at(r + 1, c - 1)
      const gy = at(r + 1, c - 1) + 2 * at(r + 1, c) + at(r + 1, c + 1) - at(r - 1, c - 1) - 2 * at(r - 1, c) - at(r - 1, c + 1)
      out[r * size + c] = Math.sqrt(gx * gx + gy * gy)
    }
  }
  return out
}

/** Edge darkness in [0, 1]: 0 on flat areas, 1 on edges with a Sobel magnitude of `full` or more. */
const edgeStrength = (rgb: Uint8Array, size: number, full: number): Float32Array => {
  const m = sobelMagnitude(luma(rgb, size * size), size)
  for (let i = 0; i < m.length; i++) m[i] = Math.min(1, Math.max(0, (m[i]! - 0.15 * full) / (0.85 * full)))
  return m
}

/** A pencil sketch of a face: dark lines where its luma changes (Sobel), on white, grey replicated to RGB. */
export const pencilSketch = (rgb: Uint8Array, size: number): Uint8Array => {
  const e = edgeStrength(rgb, size, 260)
  const out = new Uint8Array(size * size * 3)
  for (let p = 0; p < size * size; p++) out.fill(Math.round(255 * (1 - e[p]!)), p * 3, p * 3 + 3)
  return out
}

const SEPIA_DARK = [58, 34, 22] as const
const SEPIA_LIGHT = [246, 232, 200] as const

/** A sepia ink print of a face: luma posterised to 4 tones between dark brown and cream, edges inked over. */
export const sepiaInk = (rgb: Uint8Array, size: number): Uint8Array => {
  const y = luma(rgb, size * size)
  const e = edgeStrength(rgb, size, 320)
  const out = new Uint8Array(size * size * 3)
  for (let p = 0; p < size * size; p++) {
    const tone = Math.min(3, Math.floor((y[p]! / 256) * 4)) / 3
    const ink = 1 - 0.85 * e[p]!
    for (let c = 0; c < 3; c++) out[p * 3 + c] = Math.round((SEPIA_DARK[c]! + (SEPIA_LIGHT[c]! - SEPIA_DARK[c]!) * tone) * ink)
  }
  return out
}
