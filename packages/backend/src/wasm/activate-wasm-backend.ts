/**
 * Makes tfjs run on the wasm backend with a chosen number of threads and the training kernels registered.
 * Switching the thread count re-creates the backend: tensors living on the old wasm backend become invalid.
 */
import * as tf from "@tensorflow/tfjs-core"
import { BackendWasm, getThreadsCount, setThreadsCount } from "@tensorflow/tfjs-backend-wasm"
import { registerWasmTrainingKernels } from "./register-training-kernels.ts"
import { loadThreadedWasmModule, unrefPthreadWorkers } from "./wasm-module-loader.ts"

/** Which build of the wasm module runs. */
export type WasmFlavour = "threaded-simd" | "simd" | "plain"

/** What the wasm backend runs with once active. */
export interface WasmRuntime {
  readonly threads: number
  readonly simd: boolean
  readonly flavour: WasmFlavour
}

let active: WasmRuntime | undefined

/** The factory `@tensorflow/tfjs-backend-wasm` registered (single-threaded under Node), kept for `threads: 1`. */
let shippedFactory: (() => tf.KernelBackend | Promise<tf.KernelBackend>) | undefined

/** tfjs' registry priority for wasm (the value the package itself uses). */
const WASM_PRIORITY = 2

/**
 * Activates wasm with `threads` XNNPACK threads (1 selects the single-threaded SIMD build). Resolves with what
 * actually runs; rejects if the module cannot be instantiated.
 */
export const activateWasmBackend = async (threads: number): Promise<WasmRuntime> => {
  const simd = (await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT")) as boolean
  const flavour: WasmFlavour = !simd ? "plain" : threads > 1 ? "threaded-simd" : "simd"
  const wanted = flavour === "plain" ? 1 : threads
  if (active !== undefined && active.flavour === flavour && active.threads === wanted && tf.getBackend() === "wasm") {
    return active
  }
  registerWasmTrainingKernels()
  shippedFactory ??= tf.findBackendFactory("wasm") ?? undefined
  if (shippedFactory === undefined) throw new Error("@tensorflow/tfjs-backend-wasm did not register a wasm backend")
  let factory = shippedFactory
  if (flavour === "threaded-simd") {
    const module = await loadThreadedWasmModule(wanted)
    factory = () => {
      const backend = new BackendWasm(module as unknown as ConstructorParameters<typeof BackendWasm>[0])
      unrefPthreadWorkers(module)
      return backend
    }
  }
  if (tf.findBackendFactory("wasm") !== null) tf.removeBackend("wasm")
  setThreadsCount(wanted)
  tf.registerBackend("wasm", factory, WASM_PRIORITY)
  if (!(await tf.setBackend("wasm"))) throw new Error("tfjs could not initialise the wasm backend")
  active = { threads: getThreadsCount(), simd, flavour }
  return active
}
