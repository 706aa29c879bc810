import { describe, expect, it } from "vitest"
import { layerTensorBackend } from "@ganflow/backend"
import { Effect, Either } from "effect"
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import sharp from "sharp"
import * as tf from "@tensorflow/tfjs-core"
import { findWorkspaceRoot, runPipeline, type RunSummary } from "@ganflow/core"
import { sharedDataPath } from "@ganflow/data"
import chairs from "../src/3dgan-chairs.ts"
import { generateVolumes } from "../stages/voxels/generator-volumes.ts"
import { meanPairwiseIou, packShapes, shapeIou, voxelSetMetrics } from "../stages/voxels/voxel-set-metrics.ts"
import { parsedSet } from "./run-summary-views.ts"
import { fitPlan } from "@ganflow/data/stages"

const root = findWorkspaceRoot()

/** A config small enough for the 2-core CI budget: 24 built-in chairs, a width-2 3D-GAN, 4 steps. */
const tiny = [
  "data.count=24",
  "train.model.options.width=2",
  "train.batchSize=4",
  "train.steps=4",
  "train.checkpointEvery=2",
  "render.count=4",
  "render.columns=2",
  "render.viewShapes=1",
  "render.views=[0,2]",
  "render.voxelSize=2",
  "metrics.samples=4",
  "metrics.reference=8",
  "metrics.batchSize=4",
]

const run = (storeDir: string, set: ReadonlyArray<string>, only?: ReadonlyArray<string>) =>
  Effect.runPromise(Effect.either(runPipeline(chairs, { services: layerTensorBackend(), root, storeDir, overrides: parsedSet(set), ...(only ? { only } : {}) })))

const ok = (result: Either.Either<RunSummary, unknown>): RunSummary => {
  if (Either.isLeft(result)) throw result.left
  return result.right
}

const statuses = (summary: RunSummary) => Object.fromEntries(summary.stages.map((s) => [s.name, s.status]))

/** Pixels of a PNG that are neither background white nor the floor's greys: drawn voxels. */
const voxelPixels = async (file: string): Promise<number> => {
  const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true })
  let n = 0
  for (let i = 0; i < data.length; i += info.channels) if (!(data[i] === data[i + 1] && data[i + 1] === data[i + 2])) n++
  return n
}

describe("3dgan-chairs pipeline", () => {
  it("trains a tiny 3D-GAN on built-in chairs, renders and measures it; render params rerun only the renders", async () => {
    const storeDir = mkdtempSync(join(tmpdir(), "ganflow-3dgan-"))
    try {
      const first = ok(await run(storeDir, tiny))
      expect(statuses(first)).toEqual({ data: "ran", prep: "ran", train: "ran", render: "ran", metrics: "ran" })
      const render = first.stages.find((s) => s.name === "render")!
      const files = (render.dir && readdirSync(render.dir)) || []
      expect(files).toEqual(expect.arrayContaining(["samples.png", "views.png", "real.png", "progress.png"]))
      // the training shapes are chairs: plenty of drawn voxels; the tiny generator draws something too
      expect(await voxelPixels(join(render.dir!, "real.png"))).toBeGreaterThan(2000)
      expect(await voxelPixels(join(render.dir!, "samples.png"))).toBeGreaterThan(0)
      const meta = await sharp(join(render.dir!, "views.png")).metadata()
      const sample = await sharp(join(render.dir!, "samples.png")).metadata()
      expect(meta.width).toBe(sample.width) // 2 views of one shape = 2 columns, like the 2-column sample sheet
      const checkpointSheets = readdirSync(join(render.dir!, "checkpoints"))
      expect(checkpointSheets).toEqual(["step-000002.png"]) // the step-4 checkpoint is the final generator

      const metrics = first.stages.find((s) => s.name === "metrics")!
      const table = JSON.parse(readFileSync(join(metrics.dir!, "metrics.json"), "utf8")) as { reference: { shapes: number }; generators: Array<{ generator: string; step: number; values: Record<string, number> }> }
      expect(table.reference.shapes).toBe(8)
      expect(table.generators.map((g) => [g.generator, g.step])).toEqual([["step-000002", 2], ["final", 4]])
      for (const g of table.generators) {
        for (const key of ["nearestIou", "coverageIou", "pairwiseIou", "occupancy"]) {
          expect(g.values[key]).toBeGreaterThanOrEqual(0)
          expect(g.values[key]).toBeLessThanOrEqual(1)
        }
      }
      expect(metrics.metrics["real_occupancy"]).toBeGreaterThan(0.01)

      // the watch-mode contract: a render param changes, only the render stage reruns
      const second = ok(await run(storeDir, [...tiny, "render.threshold=0.4"]))
      expect(statuses(second)).toEqual({ data: "cached", prep: "cached", train: "cached", render: "ran", metrics: "cached" })
      const third = ok(await run(storeDir, [...tiny, "render.threshold=0.4", "metrics.threshold=0.4"]))
      expect(statuses(third)).toEqual({ data: "cached", prep: "cached", train: "cached", render: "cached", metrics: "ran" })

      // drawing from a generator leaks no tensors
      const train = first.stages.find((s) => s.name === "train")!
      const draw = () => generateVolumes(join(train.dir!, "generator"), { count: 3, seed: 0, batchSize: 2 })
      const a = await draw()
      const before = tf.memory().numTensors
      const b = await draw()
      expect(tf.memory().numTensors).toBe(before)
      expect(b.values).toEqual(a.values)
      expect(a.size).toBe(32)
    } finally {
      rmSync(storeDir, { recursive: true, force: true })
    }
  }, 120_000)

  it("reads a binvox folder (64^3 ShapeNet chairs -> 32^3), and a bad binvox file fails naming the file", async () => {
    const storeDir = mkdtempSync(join(tmpdir(), "ganflow-3dgan-"))
    const shapes = mkdtempSync(join(tmpdir(), "ganflow-binvox-"))
    try {
      const source = sharedDataPath("datasets", "shapenet-chairs-binvox")
      for (const f of readdirSync(source).sort().slice(0, 3)) copyFileSync(join(source, f), join(shapes, f))
      const good = ok(await run(storeDir, [`data.dir=${shapes}`, "data.format=binvox"], ["prep"]))
      expect(statuses(good)).toEqual({ data: "ran", prep: "ran" })
      const data = good.stages.find((s) => s.name === "data")!
      const prep = good.stages.find((s) => s.name === "prep")!
      expect(data.metrics["shapes"]).toBe(3)
      expect(existsSync(join(prep.dir!, "dataset.gfds"))).toBe(true)
      const { readUInt8Dataset } = await import("@ganflow/data")
      expect(readUInt8Dataset(join(data.dir!, "dataset.gfds")).shape).toEqual([3, 64, 64, 64])
      expect(readUInt8Dataset(join(prep.dir!, "dataset.gfds")).shape).toEqual([3, 32, 32, 32])

      writeFileSync(join(shapes, "zz-broken.binvox"), "#binvox 1\ndim 64 64 64\ndata\n\u0001")
      const bad = await run(storeDir, [`data.dir=${shapes}`], ["data"])
      expect(Either.isLeft(bad)).toBe(true)
      const message = Either.isLeft(bad) ? (bad.left as Error).message : ""
      expect(message).toContain(join(shapes, "zz-broken.binvox"))
      expect(message).toContain("not a valid binvox file")
    } finally {
      rmSync(storeDir, { recursive: true, force: true })
      rmSync(shapes, { recursive: true, force: true })
    }
  }, 60_000)

  it("reads 3D ShapeNets .mat grids and preps them to 64^3 exactly as the seed's np.pad + scipy.ndimage.zoom", async () => {
    const storeDir = mkdtempSync(join(tmpdir(), "ganflow-3dgan-"))
    const shapes = mkdtempSync(join(tmpdir(), "ganflow-mat-"))
    try {
      const fixtures = sharedDataPath("fixtures")
      copyFileSync(join(fixtures, "mat", "chair_uint8.mat"), join(shapes, "chair_a.mat"))
      copyFileSync(join(fixtures, "mat", "chair_uint8_z.mat"), join(shapes, "chair_b.mat"))
      writeFileSync(join(shapes, "notes.txt"), "not a shape")
      const result = ok(await run(storeDir, [`data.dir=${shapes}`, "data.format=mat", "prep.size=64"], ["prep"]))
      const prep = result.stages.find((s) => s.name === "prep")!
      const { readUInt8Dataset } = await import("@ganflow/data")
      const ds = readUInt8Dataset(join(prep.dir!, "dataset.gfds"))
      expect(ds.shape).toEqual([2, 64, 64, 64])
      const expected = readFileSync(join(fixtures, "voxel-zoom", "chair_pad_zoom64_u8_C.raw"))
      expect(Buffer.from(ds.data.subarray(0, 64 ** 3)).equals(expected)).toBe(true)
      expect(Buffer.from(ds.data.subarray(64 ** 3)).equals(expected)).toBe(true)
    } finally {
      rmSync(storeDir, { recursive: true, force: true })
      rmSync(shapes, { recursive: true, force: true })
    }
  }, 60_000)

  it("pads 30^3 3D ShapeNets grids by one voxel and zooms other sizes straight to 32^3 or 64^3", () => {
    expect(fitPlan(30, 32, "auto")).toEqual({ pad: 1, zoom: 1 })
    expect(fitPlan(30, 64, "auto")).toEqual({ pad: 1, zoom: 2 })
    expect(fitPlan(64, 32, "auto")).toEqual({ pad: 0, zoom: 0.5 })
    expect(fitPlan(32, 64, 0)).toEqual({ pad: 0, zoom: 2 })
  })

  it("measures IoU of voxel sets: identical shapes 1, disjoint 0, collapse shows as pairwise IoU 1", () => {
    // four 2x2x2 grids (8 voxels): A = first half, B = second half, C = everything
    const A = [1, 1, 1, 1, 0, 0, 0, 0], B = [0, 0, 0, 0, 1, 1, 1, 1], C = [1, 1, 1, 1, 1, 1, 1, 1]
    const real = packShapes([...A, ...B], 2, 8, 0.5)
    const same = packShapes([...A, ...A], 2, 8, 0.5)
    expect(shapeIou(real, 0, real, 0)).toBe(1)
    expect(shapeIou(real, 0, real, 1)).toBe(0)
    expect(shapeIou(packShapes(C, 1, 8, 0.5), 0, real, 0)).toBe(0.5)
    const m = voxelSetMetrics(same, real)
    expect(m).toEqual({ nearestIou: 1, coverageIou: 0.5, pairwiseIou: 1, occupancy: 0.5 })
    expect(meanPairwiseIou(real)).toBe(0)
    // 40 voxels span two words; threshold applies to soft occupancies
    const soft = Float32Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? 0.9 : 0.2))
    const packed = packShapes(soft, 1, 40, 0.5)
    expect(packed.solid[0]).toBe(14)
    expect(shapeIou(packed, 0, packed, 0)).toBe(1)
  })
})
