import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { Effect } from "effect"
import { type } from "arktype"
import { defineStage, digestFolder, pipeline, runPipeline, StatCache } from "../src/index.ts"
import { makeWorkspace } from "./test-workspace.ts"

let ws: ReturnType<typeof makeWorkspace>
beforeEach(() => {
  ws = makeWorkspace()
})
afterEach(() => ws.cleanup())

describe("scheduling", () => {
  it("runs independent stages concurrently up to --jobs, and GPU stages one at a time", async () => {
    const live = { cpu: 0, gpu: 0, maxCpu: 0, maxGpu: 0, maxTotal: 0 }
    const work = (gpu: boolean) =>
      defineStage({
        name: gpu ? "gpu-work" : "cpu-work",
        module: ws.write(`stages/${gpu ? "gpu" : "cpu"}.ts`, "export {}\n"),
        params: type({ i: "number" }),
        resources: gpu ? { gpu: 1 } : {},
        run: () =>
          Effect.gen(function* () {
            const k = gpu ? "gpu" : "cpu"
            live[k]++
            live.maxCpu = Math.max(live.maxCpu, live.cpu)
            live.maxGpu = Math.max(live.maxGpu, live.gpu)
            live.maxTotal = Math.max(live.maxTotal, live.cpu + live.gpu)
            yield* Effect.sleep(60)
            live[k]--
            return null
          }),
      })
    const cpu = work(false)
    const gpu = work(true)
    const p = pipeline({
      name: "sched",
      stages: [
        ...[0, 1, 2, 3].map((i) => cpu.as(`c${i}`, { params: { i } })),
        ...[0, 1, 2].map((i) => gpu.as(`g${i}`, { params: { i } })),
      ],
    })
    // --gpus 1 (the default when the backend is a GPU backend; see gpu-permits.test.ts)
    await Effect.runPromise(runPipeline(p, { root: ws.root, jobs: 3, gpus: 1 }))
    expect(live.maxGpu).toBe(1)
    expect(live.maxCpu).toBeGreaterThanOrEqual(2)
    expect(live.maxTotal).toBe(3)

    // --backend auto: the started backend says whether GPU stages take turns; asked once, and only when one must run
    let asked = 0
    const fresh = (root: string, active: boolean) => {
      Object.assign(live, { maxGpu: 0, maxCpu: 0, maxTotal: 0 })
      return Effect.runPromise(runPipeline(p, { root, storeDir: ws.path(`store-${active}`), jobs: 3, gpuBackendActive: async () => (asked++, active) }))
    }
    await fresh(ws.root, true)
    expect(live.maxGpu).toBe(1)
    expect(asked).toBe(1)
    await fresh(ws.root, false)
    expect(live.maxGpu).toBeGreaterThanOrEqual(2)
    expect(asked).toBe(2)
    await fresh(ws.root, true) // everything cached: the backend is never asked
    expect(asked).toBe(2)
  })
})

describe("stat cache", () => {
  it("does not read files whose size, mtime and inode are unchanged, and reads changed ones", () => {
    for (let i = 0; i < 20; i++) ws.write(`data/f${i}.bin`, `content ${i}`)
    const cacheFile = ws.path("stat-cache.json")
    const first = StatCache.load(cacheFile)
    const d1 = digestFolder(ws.path("data"), first)
    expect(first.hashedFiles).toBe(20)
    first.save()
    const second = StatCache.load(cacheFile)
    expect(digestFolder(ws.path("data"), second).digest).toBe(d1.digest)
    expect(second.hashedFiles).toBe(0)
    ws.write("data/f3.bin", "changed")
    const third = StatCache.load(cacheFile)
    expect(digestFolder(ws.path("data"), third).digest).not.toBe(d1.digest)
    expect(third.hashedFiles).toBe(1)
  })
})
