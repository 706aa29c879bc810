import { describe, expect, it } from "vitest"
import { gpuPermits, isGpuBackend } from "../src/gpu-permits.ts"

describe("GPU permits", () => {
  it("are 1 on a GPU backend unless --gpus says otherwise, and unlimited (= jobs) on CPU backends", () => {
    expect(gpuPermits(undefined, 4, isGpuBackend("webgpu"))).toBe(1)
    expect(gpuPermits(undefined, 4, isGpuBackend("tfjs-node-gpu"))).toBe(1)
    expect(gpuPermits(2, 4, isGpuBackend("webgpu"))).toBe(2)
    expect(gpuPermits(undefined, 4, isGpuBackend("native"))).toBe(4)
    expect(gpuPermits(undefined, 3, isGpuBackend(undefined))).toBe(3)
    expect(isGpuBackend("cpu")).toBe(false)
  })
})
