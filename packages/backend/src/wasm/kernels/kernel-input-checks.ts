/**
 * Input checks shared by the kernels here: they work channels last (NHWC / NDHWC), as the GAN models do, and
 * on float32; anything else is refused with a typed error rather than computed wrong.
 */
import { KernelInputUnsupported } from "../../backend-errors.ts"

/** Throws {@link KernelInputUnsupported} unless `dataFormat` is absent or channels-last. */
export const requireChannelsLast = (kernel: string, dataFormat: unknown): void => {
  if (dataFormat === undefined || dataFormat === "NHWC" || dataFormat === "NDHWC") return
  throw new KernelInputUnsupported({
    kernel,
    backend: "wasm",
    reason: `data format ${String(dataFormat)} is not supported; use channels-last (NHWC / NDHWC)`,
  })
}

/** Throws {@link KernelInputUnsupported} unless every tensor is float32. */
export const requireFloat32 = (kernel: string, tensors: Record<string, { dtype: string }>): void => {
  for (const [name, tensor] of Object.entries(tensors)) {
    if (tensor.dtype !== "float32") {
      throw new KernelInputUnsupported({ kernel, backend: "wasm", reason: `${name} must be float32, got ${tensor.dtype}` })
    }
  }
}
