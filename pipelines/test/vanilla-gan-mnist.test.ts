/**
 * vanilla-gan-mnist on a tiny config: every stage runs and writes what the README promises (IS/FID/KID under the
 * pipeline's own LeNet for every checkpoint, grids, curves), a rerun is all cache hits, and a metric param reruns
 * only the metric stage and the curves. The data stage reads the real MNIST IDX files of ../shared and names the
 * folder when it holds no IDX pair.
 */
import { layerTensorBackend } from "@ganflow/backend"
import { describe, expect, it } from "vitest"
import { Effect } from "effect"
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import sharp from "sharp"
import { findWorkspaceRoot, runPipeline, type RunSummary } from "@ganflow/core"
import { readUInt8Dataset, sharedDataPath } from "@ganflow/data"
import vanilla from "../src/vanilla-gan-mnist.ts"
import { asSet, dirOf, statuses } from "./run-summary-views.ts"

const root = findWorkspaceRoot()

/** Small enough for CI: 100 built-in digits, a 5-step head-only LeNet, 4 GAN steps with a checkpoint every 2. */
const tiny: Record<string, unknown> = {
  "data.count": 100,
  "classifier.steps": 5,
  "classifier.batchSize": 16,
  "classifier.trainConvolutions": false,
  "reference.sampleCap": 100,
  "train.steps": 4,
  "train.batchSize": 8,
  "train.checkpointEvery": 2,
  "metrics.samples": 32,
  "metrics.sampleCap": 32,
  "metrics.batchSize": 16,
  "metrics.kidSubsetSize": 16,
  "metrics.kidSubsets": 5,
  "metrics.isSplits": 2,
  "samples.count": 4,
  "samples.interpolationRows": 1,
  "samples.interpolationSteps": 3,
}

describe("vanilla-gan-mnist pipeline", () => {
  it("trains on the built-in digits, scores every checkpoint with the LeNet it trains, renders grids/curves, caches, and reruns only metrics + curves when a metric param changes", async () => {
    const storeDir = mkdtempSync(join(tmpdir(), "ganflow-vanilla-mnist-"))
    try {
      const first = await Effect.runPromise(runPipeline(vanilla, { services: layerTensorBackend(), root, storeDir, set: asSet(tiny) }))
      expect(statuses(first)).toEqual({ data: "ran", classifier: "ran", reference: "ran", train: "ran", metrics: "ran", samples: "ran", curves: "ran" })

      // IS, FID and KID of every checkpoint under the classifier trained in this run
      const metrics = JSON.parse(readFileSync(join(dirOf(first, "metrics"), "metrics.json"), "utf8")) as Array<{ step: number; values: Record<string, number> }>
      expect(metrics.map((r) => r.step)).toEqual([2, 4])
      for (const row of metrics) {
        expect(row.values["is@mnist-lenet"]).toBeGreaterThanOrEqual(1) // IS lies in [1, classes]
        expect(row.values["is@mnist-lenet"]).toBeLessThanOrEqual(10)
        expect(row.values["fid@mnist-lenet"]).toBeGreaterThan(0)
        expect(Number.isFinite(row.values["fid@mnist-lenet"])).toBe(true)
        expect(Number.isFinite(row.values["kid@mnist-lenet"])).toBe(true)
      }
      expect(first.stages.find((s) => s.name === "metrics")!.metricSeries!["fid@mnist-lenet"]!.map(([step]) => step)).toEqual([2, 4])

      // 4 samples: a 2x2 grid of 28x28 cells (1 px border each, 2 px margin), scaled 2x
      const samples = dirOf(first, "samples")
      for (const f of ["grid.png", "checkpoints/step-000002.png", "checkpoints/step-000004.png"]) {
        const { width, height } = await sharp(join(samples, f)).metadata()
        expect({ f, width, height }).toEqual({ f, width: (2 * 30 + 2) * 2, height: (2 * 30 + 2) * 2 })
      }
      expect((await sharp(join(samples, "grid.png")).stats()).channels[0]!.stdev).toBeGreaterThan(1) // not blank
      expect(readFileSync(join(samples, "progress.gif")).subarray(0, 6).toString("latin1")).toBe("GIF89a")
      for (const f of ["losses.png", "is.png", "fid.png", "kid.png"]) expect(existsSync(join(dirOf(first, "curves"), f))).toBe(true)
      // every metric chart draws its floor: 32 held-out real digits (as many as the samples) against the same reference
      const floor = JSON.parse(readFileSync(join(dirOf(first, "metrics"), "floor.json"), "utf8")) as { images: number; values: Record<string, number> }
      expect(floor.images).toBe(32)
      for (const f of ["is.svg", "fid.svg", "kid.svg"]) {
        const svg = readFileSync(join(dirOf(first, "curves"), f), "utf8")
        expect(svg).toContain("held-out real (32 images)")
        expect(svg).toMatch(/<polyline[^>]*stroke-dasharray/)
      }
      const metricsOut = first.stages.find((s) => s.name === "metrics")!.metrics
      expect(metricsOut["fid-gap@mnist-lenet"]).toBeCloseTo(metrics[1]!.values["fid@mnist-lenet"]! - floor.values["fid@mnist-lenet"]!, 9)

      // nothing changed: all cache hits; a metric param: only the metric stage and the curves it feeds
      const again = await Effect.runPromise(runPipeline(vanilla, { services: layerTensorBackend(), root, storeDir, set: asSet(tiny) }))
      expect(Object.values(statuses(again)).every((s) => s === "cached")).toBe(true)
      const fidOnly = await Effect.runPromise(runPipeline(vanilla, { services: layerTensorBackend(), root, storeDir, set: asSet({ ...tiny, "metrics.metrics": ["is", "fid"] }) }))
      expect(statuses(fidOnly)).toEqual({ data: "cached", classifier: "cached", reference: "cached", train: "cached", metrics: "ran", samples: "cached", curves: "ran" })
      const rows = JSON.parse(readFileSync(join(dirOf(fidOnly, "metrics"), "metrics.json"), "utf8")) as Array<{ values: Record<string, number> }>
      expect(Object.keys(rows[0]!.values).sort()).toEqual(["fid@mnist-lenet", "is-std@mnist-lenet", "is@mnist-lenet"])
    } finally {
      rmSync(storeDir, { recursive: true, force: true })
    }
  }, 120_000)

  it("reads MNIST IDX files from data.dir (the t10k split of ../shared/datasets/mnist), and names a folder without an IDX pair", async () => {
    const mnist = sharedDataPath("datasets", "mnist")
    const storeDir = mkdtempSync(join(tmpdir(), "ganflow-vanilla-mnist-idx-"))
    try {
      const run = await Effect.runPromise(runPipeline(vanilla, { services: layerTensorBackend(), root, storeDir, set: [`data.dir=${JSON.stringify(mnist)}`, "data.limit=200", "data.holdoutFraction=0"], only: ["data"] }))
      expect(statuses(run)).toEqual({ data: "ran" })
      const dataset = readUInt8Dataset(join(dirOf(run, "data"), "dataset.gfds"))
      expect(dataset.shape).toEqual([200, 28, 28, 1])
      expect(dataset.labels!.length).toBe(200)
      expect([...dataset.labels!.subarray(0, 10)]).toEqual([7, 2, 1, 0, 4, 1, 4, 9, 5, 9]) // the t10k split's first labels
      expect(run.stages[0]!.metrics["images"]).toBe(200)

      const empty = join(storeDir, "not-mnist")
      mkdirSync(empty)
      writeFileSync(join(empty, "readme.txt"), "no digits here")
      const failed = await Effect.runPromise(runPipeline(vanilla, { services: layerTensorBackend(), root, storeDir, set: [`data.dir=${JSON.stringify(empty)}`], only: ["data"] }).pipe(Effect.either))
      const error = failed._tag === "Left" ? String(failed.left) : JSON.stringify(failed.right.stages[0])
      expect(error).toContain("not-mnist: no MNIST IDX pair: expected train-images-idx3-ubyte[.gz]")
      expect(error).toContain("found readme.txt")
    } finally {
      rmSync(storeDir, { recursive: true, force: true })
    }
  }, 60_000)
})
