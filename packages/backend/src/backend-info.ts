/**
 * The record of the backend that runs the tensor maths, as stages put it into run records.
 */
import type { AdapterIdentity } from "./probes/adapter-identity.ts"

/** Backend names a user can ask for; `auto` walks {@link preferenceOrder}. */
export const backendNames = ["tfjs-node-gpu", "tfjs-node", "webgpu", "native", "wasm", "cpu"] as const

/** A concrete backend name. */
export type BackendName = (typeof backendNames)[number]

/** What `initBackend` is asked for: a concrete backend or `auto`. */
export type BackendChoice = BackendName | "auto"

/** The order `auto` tries backends in: fastest first, the pure-JS `cpu` backend last (it always works). */
export const preferenceOrder: ReadonlyArray<BackendName> = backendNames

/** Which backend runs the maths, with everything a run record needs to reproduce or explain a timing. */
export interface BackendInfo {
  /** The backend that was chosen. */
  readonly name: BackendName
  /** The tfjs backend name it is registered under in tfjs-core (`tensorflow` for tfjs-node, `wasm`, ...). */
  readonly tfjsBackend: string
  /** Package versions: always `@tensorflow/tfjs-core`, plus the backend's own package. */
  readonly versions: Readonly<Record<string, string>>
  /** Threads the backend computes with (1 for `cpu`; the XNNPACK pool size for `wasm`). */
  readonly threads: number
  /** Whether SIMD instructions are used (wasm SIMD128, or the native ISA's vector units). */
  readonly simd: boolean
  /** Instruction set, where the backend reports one (e.g. `wasm-simd128`, `avx512`). */
  readonly isa?: string
  /** The accelerator it runs on, where there is one (e.g. the GPU adapter's vendor and description). */
  readonly device?: string
  /** The GPU adapter (vendor, architecture, device, description, and whether it is a software rasteriser), for `webgpu`. */
  readonly adapter?: AdapterIdentity
  /** One line per preferred candidate that was not used, saying why; empty when the first choice ran. */
  readonly notes: ReadonlyArray<string>
}
