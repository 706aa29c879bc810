/**
 * im2col and col2im on the wasm heap, channels last, 2-D and 3-D alike (see `ConvolutionGeometry`).
 *
 * Column matrix `C` of samples `[b0, b1)`: one row per output position `(b, od, oh, ow)`, one column per filter tap
 * `(kd, kh, kw, ci)`, so a convolution is `C @ W` with the filter `W` viewed as `[taps, outC]`. Padding reads as 0.
 * All offsets are float32 element indices into `heap`.
 */
import type { ConvolutionGeometry } from "./convolution-geometry.ts"
import { positionsPerSample } from "./convolution-geometry.ts"

/** Below this many channels a plain loop beats `copyWithin`'s call overhead. */
const COPY_WITHIN_MIN_CHANNELS = 8

/** First output index `o` for which `o * stride - pad + offset >= 0`, clipped to `[0, count]`. */
const firstInside = (pad: number, offset: number, stride: number, count: number): number =>
  Math.min(count, Math.max(0, Math.ceil((pad - offset) / stride)))

/** One past the last output index `o` for which `o * stride - pad + offset < size`, clipped to `[0, count]`. */
const endInside = (pad: number, offset: number, stride: number, size: number, count: number): number =>
  Math.min(count, Math.max(0, Math.floor((size - 1 + pad - offset) / stride) + 1))

/**
 * Writes `C` (`[(b1 - b0) * positions, taps]`, row-major) for input `x` (NDHWC at `heap[x..]`) to `heap[col..]`.
 */
export const writeColumns = (
  heap: Float32Array,
  x: number,
  col: number,
  g: ConvolutionGeometry,
  b0: number,
  b1: number,
): void => {
  const { inD, inH, inW, inC } = g
  let row = col
  for (let b = b0; b < b1; b++) {
    for (let od = 0; od < g.outD; od++) {
      for (let oh = 0; oh < g.outH; oh++) {
        for (let ow = 0; ow < g.outW; ow++) {
          for (let kd = 0; kd < g.fD; kd++) {
            const id = od * g.strideD - g.padFront + kd * g.dilationD
            for (let kh = 0; kh < g.fH; kh++) {
              const ih = oh * g.strideH - g.padTop + kh * g.dilationH
              const rowInside = id >= 0 && id < inD && ih >= 0 && ih < inH
              const base = x + ((b * inD + id) * inH + ih) * inW * inC
              for (let kw = 0; kw < g.fW; kw++) {
                const iw = ow * g.strideW - g.padLeft + kw * g.dilationW
                if (rowInside && iw >= 0 && iw < inW) {
                  const src = base + iw * inC
                  if (inC >= COPY_WITHIN_MIN_CHANNELS) heap.copyWithin(row, src, src + inC)
                  else for (let c = 0; c < inC; c++) heap[row + c] = heap[src + c]!
                } else {
                  heap.fill(0, row, row + inC)
                }
                row += inC
              }
            }
          }
        }
      }
    }
  }
}

/**
 * Writes `Cᵀ` (`[taps, n]` with `n = (b1 - b0) * positions`, row-major) to `heap[colT..]`. Used for the filter
 * gradient `Cᵀ @ dy`, which then needs no transposed matMul (a naive path on wasm).
 */
export const writeColumnsTransposed = (
  heap: Float32Array,
  x: number,
  colT: number,
  g: ConvolutionGeometry,
  b0: number,
  b1: number,
): void => {
  const { inD, inH, inW, inC, outW } = g
  const n = (b1 - b0) * positionsPerSample(g)
  for (let kd = 0; kd < g.fD; kd++) {
    for (let kh = 0; kh < g.fH; kh++) {
      for (let kw = 0; kw < g.fW; kw++) {
        const tapBase = ((kd * g.fH + kh) * g.fW + kw) * inC
        const wOffset = kw * g.dilationW
        const owStart = firstInside(g.padLeft, wOffset, g.strideW, outW)
        const owEnd = Math.max(owStart, endInside(g.padLeft, wOffset, g.strideW, inW, outW))
        for (let b = b0; b < b1; b++) {
          for (let od = 0; od < g.outD; od++) {
            const id = od * g.strideD - g.padFront + kd * g.dilationD
            for (let oh = 0; oh < g.outH; oh++) {
              const ih = oh * g.strideH - g.padTop + kh * g.dilationH
              const position = (((b - b0) * g.outD + od) * g.outH + oh) * outW
              const rowInside = id >= 0 && id < inD && ih >= 0 && ih < inH
              const base = x + ((b * inD + id) * inH + ih) * inW * inC + (wOffset - g.padLeft) * inC
              const step = g.strideW * inC
              for (let c = 0; c < inC; c++) {
                const dst = colT + (tapBase + c) * n + position
                if (!rowInside) {
                  heap.fill(0, dst, dst + outW)
                  continue
                }
                if (owStart > 0) heap.fill(0, dst, dst + owStart)
                let src = base + owStart * step + c
                for (let ow = owStart; ow < owEnd; ow++) {
                  heap[dst + ow] = heap[src]!
                  src += step
                }
                if (owEnd < outW) heap.fill(0, dst + owEnd, dst + outW)
              }
            }
          }
        }
      }
    }
  }
}

/**
 * col2im: adds every row of `C`-shaped `heap[col..]` back onto the input positions it was read from, into `dx`
 * (NDHWC at `heap[dx..]`, already holding zeros or a partial sum). Taps that fell on padding are dropped.
 */
export const scatterAddColumns = (
  heap: Float32Array,
  col: number,
  dx: number,
  g: ConvolutionGeometry,
  b0: number,
  b1: number,
): void => {
  const { inD, inH, inW, inC } = g
  let row = col
  for (let b = b0; b < b1; b++) {
    for (let od = 0; od < g.outD; od++) {
      for (let oh = 0; oh < g.outH; oh++) {
        for (let ow = 0; ow < g.outW; ow++) {
          for (let kd = 0; kd < g.fD; kd++) {
            const id = od * g.strideD - g.padFront + kd * g.dilationD
            for (let kh = 0; kh < g.fH; kh++) {
              const ih = oh * g.strideH - g.padTop + kh * g.dilationH
              const rowInside = id >= 0 && id < inD && ih >= 0 && ih < inH
              const base = dx + ((b * inD + id) * inH + ih) * inW * inC
              for (let kw = 0; kw < g.fW; kw++) {
                const iw = ow * g.strideW - g.padLeft + kw * g.dilationW
                if (rowInside && iw >= 0 && iw < inW) {
                  const dst = base + iw * inC
                  for (let c = 0; c < inC; c++) heap[dst + c]! += heap[row + c]!
                }
                row += inC
              }
            }
          }
        }
      }
    }
  }
}
