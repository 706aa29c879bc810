/**
 * The wasm backend's own kernels that this package replaces or builds on, captured before replacement so the
 * replacements can still call them (e.g. the fast XNNPACK matMul path inside `BatchMatMul`).
 */
import { getKernel, type KernelConfig } from "@tensorflow/tfjs-core"
import "@tensorflow/tfjs-backend-wasm"

const captured = new Map<string, KernelConfig>()

/** Captures the shipped wasm kernel `name` (first call only) and returns it; throws if wasm never registered it. */
export const shippedWasmKernel = (name: string): KernelConfig => {
  const known = captured.get(name)
  if (known !== undefined) return known
  const config = getKernel(name, "wasm")
  if (config === undefined) throw new Error(`the wasm backend registers no kernel ${name}`)
  captured.set(name, config)
  return config
}
