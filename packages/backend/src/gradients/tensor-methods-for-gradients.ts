/**
 * The chained tensor methods tfjs' own gradients call. tfjs-core's Node build does not add chained methods to
 * `Tensor` (`x.reshape(...)`), yet the gradient of `Prod` calls `.reshape` and that of `GatherV2` with
 * `batchDims: 1` calls `.split`, `.slice` and `.reshape`; without them those gradients fail with
 * "x.reshape is not a function". Only these methods are added, each delegating to the op of the same name, and
 * only where missing.
 */
import { reshape, slice, split, Tensor } from "@tensorflow/tfjs-core"

type Method = (this: Tensor, ...args: Array<never>) => unknown

const methods: Record<string, Method> = {
  reshape(this: Tensor, shape: Array<number>) {
    return reshape(this, shape)
  },
  slice(this: Tensor, begin: Array<number> | number, size?: Array<number> | number) {
    return slice(this, begin, size)
  },
  split(this: Tensor, sizes: Array<number> | number, axis?: number) {
    return split(this, sizes, axis)
  },
} as unknown as Record<string, Method>

/** Adds the missing methods to tfjs' Tensor class (idempotent). */
export const addTensorMethodsForGradients = (): void => {
  const prototype = Tensor.prototype as unknown as Record<string, unknown>
  for (const [name, method] of Object.entries(methods)) {
    if (typeof prototype[name] !== "function") {
      Object.defineProperty(prototype, name, { value: method, configurable: true, writable: true })
    }
  }
}
