/**
 * tfjs-backend-cpu 4.22's `ResizeNearestNeighborGrad` (the backward pass of `upSampling2d` and
 * `resizeNearestNeighbor`) addresses `dy` with the *input's* batch stride, so every sample but the first of a batch
 * receives another region's gradient (found by a StackGAN generator that could not learn). The `cpu` backend, and
 * `@ganflow/native`, which copies cpu's kernels, run it. This is the same kernel with `dy`'s own batch stride; the
 * window search and `alignCorners` rule are unchanged, so the first sample's values are the same bits as before.
 */
import { ResizeNearestNeighborGrad, getKernel, registerKernel, unregisterKernel, util, type KernelConfig, type NamedAttrMap, type TensorInfo } from "@tensorflow/tfjs-core"

interface CpuLikeBackend {
  readonly data: { get(dataId: object): { values: Float32Array } }
  makeTensorInfo(shape: number[], dtype: string, values: Float32Array): TensorInfo
}

const resizeNearestNeighborGrad = ({ inputs, backend, attrs }: { inputs: { images: TensorInfo; dy: TensorInfo }; backend: CpuLikeBackend; attrs: NamedAttrMap }): TensorInfo => {
  const { images, dy } = inputs
  const alignCorners = attrs.alignCorners === true
  const imagesStrides = util.computeStrides(images.shape)
  const dyStrides = util.computeStrides(dy.shape)
  const [batch, xHeight, xWidth, depth] = images.shape as [number, number, number, number]
  const [, yHeight, yWidth] = dy.shape as [number, number, number, number]
  const output = new Float32Array(batch * xHeight * xWidth * depth)
  const dyValues = backend.data.get(dy.dataId).values
  const heightScale = ((alignCorners && yHeight > 1) ? xHeight - 1 : xHeight) / ((alignCorners && yHeight > 1) ? yHeight - 1 : yHeight)
  const widthScale = ((alignCorners && yWidth > 1) ? xWidth - 1 : xWidth) / ((alignCorners && yWidth > 1) ? yWidth - 1 : yWidth)
  const winHeight = Math.ceil(1 / heightScale) * 2 + 2
  const winWidth = Math.ceil(1 / widthScale) * 2 + 2
  const nearest = (fraction: number, size: number) => Math.min(size - 1, alignCorners ? Math.round(fraction) : Math.floor(fraction))
  for (let b = 0; b < batch; b++) {
    const xBatch = b * imagesStrides[0]!
    const dyBatch = b * dyStrides[0]! // the fix: tfjs uses xBatch here
    for (let r = 0; r < xHeight; r++) {
      const startDyR = Math.floor(Math.floor(r / heightScale) - winHeight / 2)
      for (let c = 0; c < xWidth; c++) {
        const startDyC = Math.floor(Math.floor(c / widthScale) - winWidth / 2)
        const xOffset = xBatch + r * imagesStrides[1]! + c * imagesStrides[2]!
        for (let d = 0; d < depth; d++) {
          let accum = 0
          for (let i = 0; i < winHeight; i++) {
            const dyR = startDyR + i
            if (dyR < 0 || dyR >= yHeight || nearest(dyR * heightScale, xHeight) !== r) continue
            for (let j = 0; j < winWidth; j++) {
              const dyC = startDyC + j
              if (dyC < 0 || dyC >= yWidth || nearest(dyC * widthScale, xWidth) !== c) continue
              accum += dyValues[dyBatch + dyR * dyStrides[1]! + dyC * dyStrides[2]! + d]!
            }
          }
          output[xOffset + d] = accum
        }
      }
    }
  }
  return backend.makeTensorInfo(images.shape, images.dtype, output)
}

/** Replaces the kernel on `cpu`, and on `native` where it is already registered (it copies cpu's when it registers). */
export const registerResizeNearestNeighborGradFix = (): void => {
  for (const backendName of ["cpu", "native"]) {
    const registered = getKernel(ResizeNearestNeighborGrad, backendName) !== undefined
    if (!registered && backendName === "native") continue // native copies cpu's kernels when it registers
    if (registered) unregisterKernel(ResizeNearestNeighborGrad, backendName)
    registerKernel({ kernelName: ResizeNearestNeighborGrad, backendName, kernelFunc: resizeNearestNeighborGrad as unknown as KernelConfig["kernelFunc"] })
  }
}
