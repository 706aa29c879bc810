/**
 * Finds a GPU adapter through Dawn (the `webgpu` package) without touching globals, so probing leaves no trace
 * when there is none. On Linux Dawn needs the Vulkan loader `libvulkan.so.1` and a driver (ICD); when either is
 * missing we say which without calling Dawn, and when Dawn finds no adapter the reason carries Dawn's message.
 * A software adapter (SwiftShader, llvmpipe) is returned only when `allowSoftware` is set; otherwise it is a
 * reason, naming the opt-in.
 */
import { mkdirSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { reasonFrom } from "../backend-candidate.ts"
import { adapterIdentity, adapterLabel, type AdapterIdentity } from "./adapter-identity.ts"
import { dawnDiagnosis } from "./dawn-diagnosis.ts"
import { importOptional } from "./module-lookup.ts"
import { useSwiftShaderDriver, vulkanDriverManifests } from "./vulkan-drivers.ts"

/** A found adapter and the Dawn objects needed to hand it to tfjs, or why there is none. */
export type AdapterSearch =
  | {
      readonly found: true
      readonly gpu: GPU
      readonly adapter: GPUAdapter
      readonly globals: Record<string, unknown>
      readonly identity: AdapterIdentity
      /** One line: vendor, architecture, description, and "software" where it is. */
      readonly description: string
    }
  | { readonly found: false; readonly reason: string }

/** How to search. */
export interface AdapterSearchOptions {
  /** Accept a software adapter, and point Vulkan at SwiftShader when no driver is named (the user's opt-in). */
  readonly allowSoftware?: boolean
  /** Add Dawn's own message to a "no adapter" reason (a ~1 s child process: for an explicit choice, not for `auto`). */
  readonly explain?: boolean
}

/** The environment variable that allows a software adapter for an explicit `--backend webgpu`. */
export const softwareOptIn = "GANFLOW_WEBGPU_SOFTWARE"

/** Whether the user opted into a software adapter (`GANFLOW_WEBGPU_SOFTWARE=1`). */
export const softwareAllowed = (): boolean => process.env[softwareOptIn] === "1"

/** The dlopen error for the Vulkan loader, or undefined when it loads (or the platform does not use it). */
export const missingVulkanLoader = (): string | undefined => {
  if (process.platform !== "linux") return undefined
  try {
    process.dlopen({ exports: {} } as unknown as NodeJS.Module, "libvulkan.so.1")
  } catch (cause) {
    const text = reasonFrom(cause)
    // A loadable library that is not a Node addon fails later with "did not self-register": the loader exists.
    if (/cannot open shared object|No such file/i.test(text)) return text
  }
  return undefined
}

const withDawnsWords = (reason: string): string => {
  const words = dawnDiagnosis()
  return words.length === 0 ? reason : `${reason}; Dawn said: ${words.join(" | ")}`
}

/**
 * Dawn's Vulkan/Wayland layers print `error: XDG_RUNTIME_DIR is invalid or not set` on stderr when the variable
 * is missing (as in containers and CI). Point it at a private folder of ours so probing is silent.
 */
export const ensureRuntimeDir = (): void => {
  const current = process.env["XDG_RUNTIME_DIR"]
  try {
    if (current !== undefined && statSync(current).isDirectory()) return
  } catch {
    // not there: make ours
  }
  const dir = join(tmpdir(), `ganflow-runtime-${process.getuid?.() ?? "user"}`)
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  process.env["XDG_RUNTIME_DIR"] = dir
}

/** Asks Dawn for a high-performance adapter. Never throws. */
export const findGpuAdapter = async (options: AdapterSearchOptions = {}): Promise<AdapterSearch> => {
  if (options.allowSoftware === true) useSwiftShaderDriver()
  if (process.platform === "linux") {
    const vulkan = missingVulkanLoader()
    if (vulkan !== undefined) {
      return { found: false, reason: `no Vulkan loader (${vulkan}); install libvulkan1 and the GPU vendor's Vulkan driver` }
    }
    if (vulkanDriverManifests().length === 0) {
      return {
        found: false,
        reason: `no Vulkan driver (ICD): VK_ICD_FILENAMES is unset and /etc/vulkan/icd.d, /usr/local/share/vulkan/icd.d, /usr/share/vulkan/icd.d hold no manifest; install the GPU vendor's Vulkan driver (for a software adapter: Debian's chromium and ${softwareOptIn}=1)`,
      }
    }
  }
  try {
    ensureRuntimeDir()
    const dawn = await importOptional("webgpu")
    const create = dawn["create"] as (flags: Array<string>) => GPU
    const gpu = create([])
    const adapter = await gpu.requestAdapter({ powerPreference: "high-performance" })
    if (adapter === null) {
      const drivers = process.platform === "linux" ? ` among the Vulkan drivers ${vulkanDriverManifests().join(", ")}` : ""
      const reason = `Dawn found no usable GPU adapter${drivers}`
      return { found: false, reason: options.explain === true ? withDawnsWords(reason) : reason }
    }
    const identity = adapterIdentity(adapter)
    const description = adapterLabel(identity)
    if (identity.software && options.allowSoftware !== true) {
      return {
        found: false,
        reason: `only a software adapter was found (${description}); it is used only when asked: --backend webgpu with ${softwareOptIn}=1`,
      }
    }
    return { found: true, gpu, adapter, globals: dawn["globals"] as Record<string, unknown>, identity, description }
  } catch (cause) {
    return { found: false, reason: `Dawn failed: ${reasonFrom(cause)}` }
  }
}
