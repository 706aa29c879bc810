/**
 * Finds a GPU adapter through Dawn (the `webgpu` package) without touching globals, so probing leaves no trace
 * when there is none. On Linux Dawn needs the Vulkan loader `libvulkan.so.1` and a vendor ICD; when the loader is
 * missing we say so without calling Dawn (which would print its own warning on stderr).
 */
import { mkdirSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { reasonFrom } from "../BackendCandidate.ts"
import { importOptional } from "./ModuleLookup.ts"

/** A found adapter and the Dawn objects needed to hand it to tfjs, or why there is none. */
export type AdapterSearch =
  | { readonly found: true; readonly gpu: GPU; readonly adapter: GPUAdapter; readonly globals: Record<string, unknown>; readonly description: string }
  | { readonly found: false; readonly reason: string }

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
export const findGpuAdapter = async (): Promise<AdapterSearch> => {
  const vulkan = missingVulkanLoader()
  if (vulkan !== undefined) {
    return { found: false, reason: `no Vulkan loader (${vulkan}); install libvulkan1 and the GPU vendor's Vulkan driver` }
  }
  try {
    ensureRuntimeDir()
    const dawn = await importOptional("webgpu")
    const create = dawn["create"] as (flags: Array<string>) => GPU
    const gpu = create([])
    const adapter = await gpu.requestAdapter({ powerPreference: "high-performance" })
    if (adapter === null) return { found: false, reason: "Dawn found no GPU adapter (no GPU with a Vulkan driver)" }
    const info = (adapter as unknown as { info?: Record<string, string> }).info ?? {}
    const description = [info["vendor"], info["architecture"], info["device"], info["description"]].filter((s) => s).join(" ")
    return { found: true, gpu, adapter, globals: dawn["globals"] as Record<string, unknown>, description }
  } catch (cause) {
    return { found: false, reason: `Dawn failed: ${reasonFrom(cause)}` }
  }
}
