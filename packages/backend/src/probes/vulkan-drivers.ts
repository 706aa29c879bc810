/**
 * Where Vulkan drivers (ICDs) come from on Linux, so that a missing GPU can be explained ("no ICD") and the
 * SwiftShader software driver that Debian's Chromium ships can be used when a user asks for a software adapter.
 */
import { existsSync, readdirSync } from "node:fs"
import { join } from "node:path"

/** The folders the Vulkan loader reads ICD manifests from (Linux), besides `VK_ICD_FILENAMES`. */
const icdFolders = ["/etc/vulkan/icd.d", "/usr/local/share/vulkan/icd.d", "/usr/share/vulkan/icd.d"]

/** SwiftShader's ICD manifest as Debian's `chromium` packages it (other distributions' paths after it). */
const swiftShaderManifests = ["/usr/lib/chromium/vk_swiftshader_icd.json", "/usr/lib64/chromium/vk_swiftshader_icd.json", "/usr/lib/chromium-browser/vk_swiftshader_icd.json"]

/** The ICD manifests the Vulkan loader would see: `VK_ICD_FILENAMES` when set, else the standard folders' JSON files. */
export const vulkanDriverManifests = (): ReadonlyArray<string> => {
  const listed = process.env["VK_ICD_FILENAMES"] ?? process.env["VK_DRIVER_FILES"]
  if (listed !== undefined && listed !== "") return listed.split(":").filter((f) => f !== "")
  return icdFolders.flatMap((dir) => {
    try {
      return readdirSync(dir).filter((f) => f.endsWith(".json")).map((f) => join(dir, f))
    } catch {
      return []
    }
  })
}

/** SwiftShader's Vulkan ICD manifest where one is installed (Debian: the `chromium-common` package), else undefined. */
export const findSwiftShaderManifest = (): string | undefined => swiftShaderManifests.find((f) => existsSync(f))

/**
 * Points the Vulkan loader at SwiftShader (unless `VK_ICD_FILENAMES` already names drivers). Must run before Dawn
 * creates its instance. Returns the manifest used, or undefined when no SwiftShader is installed.
 */
export const useSwiftShaderDriver = (): string | undefined => {
  const current = process.env["VK_ICD_FILENAMES"]
  const manifest = current !== undefined && current !== "" ? current : findSwiftShaderManifest()
  if (manifest === undefined) return undefined
  process.env["VK_ICD_FILENAMES"] = manifest
  return manifest
}
