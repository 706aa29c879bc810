/**
 * Who a WebGPU adapter is (vendor, architecture, device, description) and whether it is a software rasteriser
 * (SwiftShader, llvmpipe/lavapipe, WARP): `auto` never computes on one of those.
 */

/** The adapter facts a run record keeps. */
export interface AdapterIdentity {
  readonly vendor: string
  readonly architecture: string
  readonly device: string
  readonly description: string
  /** True for CPU-emulated adapters: correct but far slower than the CPU backends. */
  readonly software: boolean
}

const softwareNames = /swiftshader|llvmpipe|lavapipe|softpipe|microsoft basic render|\bwarp\b/i

/** Reads an adapter's `info` (Dawn's `GPUAdapterInfo`) into an {@link AdapterIdentity}. */
export const adapterIdentity = (adapter: GPUAdapter): AdapterIdentity => {
  const info = ((adapter as unknown as { info?: Record<string, unknown> }).info ?? {}) as Record<string, unknown>
  const text = (key: string) => (typeof info[key] === "string" ? (info[key] as string) : "")
  const identity = { vendor: text("vendor"), architecture: text("architecture"), device: text("device"), description: text("description") }
  const fallback = info["isFallbackAdapter"] === true || (adapter as unknown as { isFallbackAdapter?: boolean }).isFallbackAdapter === true
  return { ...identity, software: fallback || softwareNames.test(Object.values(identity).join(" ")) }
}

/** One line naming the adapter, e.g. `google swiftshader (SwiftShader driver 5.0.0, software)`. */
export const adapterLabel = (a: AdapterIdentity): string => {
  const head = [a.vendor, a.architecture].filter((s) => s !== "").join(" ") || "unnamed adapter"
  const detail = [a.description || a.device, a.software ? "software" : ""].filter((s) => s !== "").join(", ")
  return detail === "" ? head : `${head} (${detail})`
}
