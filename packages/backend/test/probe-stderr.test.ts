import { spawnSync } from "node:child_process"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import { missingVulkanLoader } from "../src/probes/web-gpu-adapter.ts"

const child = fileURLToPath(new URL("./children/probe-gpu-child.ts", import.meta.url))

describe("GPU probing", () => {
  it.skipIf(missingVulkanLoader() !== undefined)("prints no `XDG_RUNTIME_DIR is invalid` line when the variable is unset (the Vulkan loader exists here)", () => {
    const env = { ...process.env }
    delete env["XDG_RUNTIME_DIR"]
    const r = spawnSync(process.execPath, ["--import", "tsx", child], { env, encoding: "utf8", timeout: 60_000 })
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/"found":(true|false)/)
    expect(r.stderr).not.toContain("XDG_RUNTIME_DIR")
  })
})
