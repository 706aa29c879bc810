/**
 * `FusedConv2D` on wasm: the shipped kernel, except in the numeric-pad case that writes out of bounds (see
 * `conv2d.ts`), which is refused with a typed error instead of corrupting the heap.
 */
import { FusedConv2D, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs-core"
import { KernelInputUnsupported } from "../../backend-errors.ts"
import { shippedWasmKernel } from "../shipped-kernels.ts"
import { numericPadMisfits } from "./conv2d.ts"

/** Kernel config for registration under backend `wasm`. */
export const fusedConv2DConfig: KernelConfig = {
  kernelName: FusedConv2D,
  backendName: "wasm",
  setupFunc: (backend) => shippedWasmKernel(FusedConv2D).setupFunc?.(backend),
  kernelFunc: (args) => {
    const { filter } = args.inputs as { filter: TensorInfo }
    const { pad, strides } = args.attrs as { pad: unknown; strides: number | Array<number> }
    if (numericPadMisfits(pad, filter.shape, strides)) {
      throw new KernelInputUnsupported({
        kernel: FusedConv2D,
        backend: "wasm",
        reason:
          `numeric pad ${String(pad)} with filter ${filter.shape.slice(0, 2).join("x")} and strides ${String(strides)}: ` +
          "tfjs-core sizes the output wrongly here; pass explicit padding [[0,0],[t,b],[l,r],[0,0]] instead",
      })
    }
    return shippedWasmKernel(FusedConv2D).kernelFunc(args)
  },
}
