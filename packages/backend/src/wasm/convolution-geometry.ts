/**
 * One description of a 2-D or 3-D convolution (channels last), so a single im2col / col2im implementation serves
 * both: a 2-D convolution is a 3-D one with depth 1.
 */
import type { backend_util } from "@tensorflow/tfjs-core"

/** Sizes of a convolution, NDHWC input `[batch, inD, inH, inW, inC]`, filter `[fD, fH, fW, inC, outC]`. */
export interface ConvolutionGeometry {
  readonly batch: number
  readonly inD: number
  readonly inH: number
  readonly inW: number
  readonly inC: number
  readonly outD: number
  readonly outH: number
  readonly outW: number
  readonly outC: number
  readonly fD: number
  readonly fH: number
  readonly fW: number
  readonly strideD: number
  readonly strideH: number
  readonly strideW: number
  readonly dilationD: number
  readonly dilationH: number
  readonly dilationW: number
  readonly padFront: number
  readonly padTop: number
  readonly padLeft: number
}

/** Geometry of a 2-D convolution from tfjs' `computeConv2DInfo` (NHWC). */
export const geometryOf2d = (info: backend_util.Conv2DInfo): ConvolutionGeometry => ({
  batch: info.batchSize,
  inD: 1,
  inH: info.inHeight,
  inW: info.inWidth,
  inC: info.inChannels,
  outD: 1,
  outH: info.outHeight,
  outW: info.outWidth,
  outC: info.outChannels,
  fD: 1,
  fH: info.filterHeight,
  fW: info.filterWidth,
  strideD: 1,
  strideH: info.strideHeight,
  strideW: info.strideWidth,
  dilationD: 1,
  dilationH: info.dilationHeight,
  dilationW: info.dilationWidth,
  padFront: 0,
  padTop: info.padInfo.top,
  padLeft: info.padInfo.left,
})

/** Geometry of a 3-D convolution from tfjs' `computeConv3DInfo` (NDHWC). */
export const geometryOf3d = (info: backend_util.Conv3DInfo): ConvolutionGeometry => ({
  batch: info.batchSize,
  inD: info.inDepth,
  inH: info.inHeight,
  inW: info.inWidth,
  inC: info.inChannels,
  outD: info.outDepth,
  outH: info.outHeight,
  outW: info.outWidth,
  outC: info.outChannels,
  fD: info.filterDepth,
  fH: info.filterHeight,
  fW: info.filterWidth,
  strideD: info.strideDepth,
  strideH: info.strideHeight,
  strideW: info.strideWidth,
  dilationD: info.dilationDepth,
  dilationH: info.dilationHeight,
  dilationW: info.dilationWidth,
  padFront: info.padInfo.front,
  padTop: info.padInfo.top,
  padLeft: info.padInfo.left,
})

/** Rows of the column matrix per sample: output positions `outD * outH * outW`. */
export const positionsPerSample = (g: ConvolutionGeometry): number => g.outD * g.outH * g.outW

/** Columns of the column matrix: one filter's taps `fD * fH * fW * inC`. */
export const tapsPerPosition = (g: ConvolutionGeometry): number => g.fD * g.fH * g.fW * g.inC
