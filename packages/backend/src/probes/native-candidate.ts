/**
 * Candidate for `@ganflow/native`: the C++ N-API addon with AVX-512/AVX2 training kernels, registered with tfjs
 * as the backend `native`. The addon is compiled at install time; without a compiler it is absent and the
 * candidate says why.
 */
import * as tf from "@tensorflow/tfjs-core"
import { reasonFrom, unavailable, type BackendCandidate } from "../backend-candidate.ts"
import { missingPackage } from "./module-lookup.ts"

interface NativeModule {
  readonly nativeAvailability: () => { ok: true } | { ok: false; reason: string }
  readonly registerNativeBackend: (options: { threads?: number }) => Promise<{ isa: string; threads: number }>
}

/** The native addon backend (`@ganflow/native`). */
export const nativeCandidate: BackendCandidate = {
  name: "native",
  activate: async (settings) => {
    const missing = missingPackage("@ganflow/native")
    if (missing !== undefined) return unavailable(missing)
    let native: NativeModule
    try {
      // a literal specifier, so the CLI bundle carries the workspace package (its addon loads from packages/native)
      native = (await import("@ganflow/native")) as unknown as NativeModule
    } catch (cause) {
      return unavailable(`@ganflow/native failed to load: ${reasonFrom(cause)}`)
    }
    if (typeof native.nativeAvailability !== "function" || typeof native.registerNativeBackend !== "function") {
      return unavailable("@ganflow/native does not export nativeAvailability/registerNativeBackend")
    }
    const availability = native.nativeAvailability()
    if (!availability.ok) return unavailable(availability.reason)
    const registered = await native.registerNativeBackend(settings.threads === undefined ? {} : { threads: settings.threads })
    if (!(await tf.setBackend("native"))) return unavailable("the native backend was registered but did not start")
    return {
      available: true,
      info: {
        name: "native",
        tfjsBackend: "native",
        versions: { "@tensorflow/tfjs-core": tf.version_core, "@ganflow/native": "workspace" },
        threads: registered.threads,
        simd: registered.isa !== "scalar",
        isa: registered.isa,
      },
    }
  },
}
