/**
 * Candidate for `@tensorflow/tfjs-backend-webgpu` on Dawn (the `webgpu` package). tfjs looks for
 * `navigator.gpu` and the `GPU*` constants as globals, so once an adapter exists they are installed and the
 * tfjs WebGPU backend is loaded.
 */
import { createRequire } from "node:module"
import * as tf from "@tensorflow/tfjs-core"
import { reasonFrom, unavailable, type BackendCandidate } from "../backend-candidate.ts"
import { importOptional } from "./module-lookup.ts"
import { registerWebGpuKernels } from "../webgpu/register-web-gpu-kernels.ts"
import { findGpuAdapter, softwareAllowed } from "./web-gpu-adapter.ts"

const packageVersion = (name: string): string => {
  try {
    return (createRequire(import.meta.url)(`${name}/package.json`) as { version: string }).version
  } catch {
    return "unknown"
  }
}

const installNavigatorGpu = (gpu: GPU, globals: Record<string, unknown>): void => {
  for (const [key, value] of Object.entries(globals)) {
    if (!(key in globalThis)) Object.defineProperty(globalThis, key, { value, configurable: true, writable: true })
  }
  const holder = globalThis as { navigator?: object }
  if (holder.navigator === undefined) {
    Object.defineProperty(globalThis, "navigator", { value: { gpu }, configurable: true, writable: true })
  } else {
    Object.defineProperty(holder.navigator, "gpu", { value: gpu, configurable: true })
  }
}

/**
 * WebGPU via Dawn: needs a GPU adapter (Vulkan on Linux, Metal on macOS, D3D12 on Windows). A software adapter
 * (SwiftShader) only when the backend was named and `GANFLOW_WEBGPU_SOFTWARE=1`; never under `auto`.
 */
export const webGpuCandidate: BackendCandidate = {
  name: "webgpu",
  activate: async (settings) => {
    const search = await findGpuAdapter({ allowSoftware: settings.explicit === true && softwareAllowed(), explain: settings.explicit === true })
    if (!search.found) return unavailable(search.reason)
    installNavigatorGpu(search.gpu, search.globals)
    try {
      await importOptional("@tensorflow/tfjs-backend-webgpu")
    } catch (cause) {
      return unavailable(`@tensorflow/tfjs-backend-webgpu failed to load: ${reasonFrom(cause)}`)
    }
    registerWebGpuKernels()
    if (!(await tf.setBackend("webgpu"))) return unavailable("an adapter exists but the tfjs WebGPU backend did not start")
    return {
      available: true,
      info: {
        name: "webgpu",
        tfjsBackend: "webgpu",
        versions: {
          "@tensorflow/tfjs-core": tf.version_core,
          "@tensorflow/tfjs-backend-webgpu": packageVersion("@tensorflow/tfjs-backend-webgpu"),
          webgpu: packageVersion("webgpu"),
        },
        threads: 1,
        simd: false,
        device: search.description,
        adapter: search.identity,
      },
    }
  },
}
