import { describe, expect, it } from "vitest"
import { gpuBackendRequested, gpuPermits } from "../src/gpu-permits.ts"

describe("GPU permits", () => {
  it("are 1 on a GPU backend unless --gpus says otherwise, and unlimited (= jobs) on CPU backends", () => {
    expect(gpuPermits(undefined, 4, { GANFLOW_BACKEND: "webgpu" })).toBe(1)
    expect(gpuPermits(undefined, 4, { GANFLOW_BACKEND: "tfjs-node-gpu" })).toBe(1)
    expect(gpuPermits(2, 4, { GANFLOW_BACKEND: "webgpu" })).toBe(2)
    expect(gpuPermits(undefined, 4, { GANFLOW_BACKEND: "native" })).toBe(4)
    expect(gpuPermits(undefined, 3, {})).toBe(3)
    expect(gpuBackendRequested({ GANFLOW_BACKEND: "cpu" })).toBe(false)
  })
})
