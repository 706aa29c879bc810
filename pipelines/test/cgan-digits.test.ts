/**
 * cgan-digits on a tiny config: every stage runs, the conditional generator is scored (IS/FID/KID under the
 * pipeline's own LeNet) at every checkpoint, its grid has one row per class, a rerun is all cache hits, and a
 * metric param reruns only the metric stage and the curves.
 */
import { layerTensorBackend } from "@ganflow/backend"
import { describe, expect, it } from "vitest"
import { Effect } from "effect"
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import sharp from "sharp"
import { findWorkspaceRoot, runPipeline, type RunSummary } from "@ganflow/core"
import cgan from "../src/cgan-digits.ts"
import { asSet, dirOf, statuses } from "./run-summary-views.ts"

const root = findWorkspaceRoot()

/** Small enough for CI: 100 built-in digits, a 5-step head-only LeNet, a narrow ACGAN, 4 steps with a checkpoint every 2. */
const tiny: Record<string, unknown> = {
  "data.count": 100,
  "classifier.steps": 5,
  "classifier.batchSize": 16,
  "classifier.trainConvolutions": false,
  "reference.sampleCap": 100,
  "train.model": { architecture: "conditional", options: { numClasses: 10, hidden: [32, 64], auxiliaryClassifier: true } },
  "train.steps": 4,
  "train.batchSize": 10,
  "train.checkpointEvery": 2,
  "metrics.samples": 40,
  "metrics.sampleCap": 40,
  "metrics.batchSize": 20,
  "metrics.kidSubsetSize": 20,
  "metrics.kidSubsets": 5,
  "metrics.isSplits": 2,
  "samples.count": 20,
  "samples.interpolationRows": 2,
  "samples.interpolationSteps": 3,
}

describe("cgan-digits pipeline", () => {
  it("trains a conditional GAN on the built-in digits, scores every checkpoint, draws one grid row per class, caches, and reruns only metrics + curves when a metric param changes", async () => {
    const storeDir = mkdtempSync(join(tmpdir(), "ganflow-cgan-digits-"))
    try {
      const first = await Effect.runPromise(runPipeline(cgan, { services: layerTensorBackend(), root, storeDir, set: asSet(tiny) }))
      expect(statuses(first)).toEqual({ data: "ran", classifier: "ran", reference: "ran", train: "ran", metrics: "ran", samples: "ran", curves: "ran" })
      expect((first.stages.find((s) => s.name === "train")!.params as { model: unknown }).model).toEqual(tiny["train.model"])

      const metrics = JSON.parse(readFileSync(join(dirOf(first, "metrics"), "metrics.json"), "utf8")) as Array<{ step: number; values: Record<string, number> }>
      expect(metrics.map((r) => r.step)).toEqual([2, 4])
      for (const row of metrics) {
        expect(row.values["is@mnist-lenet"]).toBeGreaterThanOrEqual(1)
        expect(row.values["is@mnist-lenet"]).toBeLessThanOrEqual(10)
        expect(row.values["fid@mnist-lenet"]).toBeGreaterThan(0)
        expect(Number.isFinite(row.values["fid@mnist-lenet"])).toBe(true)
        expect(Number.isFinite(row.values["kid@mnist-lenet"])).toBe(true)
      }

      // 20 samples of a 10-class generator: 2 columns x 10 rows (one per class) of 28x28 cells (1 px border,
      // 2 px margin), scaled 2x; the interpolation strip: 2 walks (classes 0 and 1) of 3 steps
      const samples = dirOf(first, "samples")
      expect(first.stages.find((s) => s.name === "samples")!.params).toMatchObject({ count: 20 })
      for (const f of ["grid.png", "checkpoints/step-000002.png", "checkpoints/step-000004.png"]) {
        const { width, height } = await sharp(join(samples, f)).metadata()
        expect({ f, width, height }).toEqual({ f, width: (2 * 30 + 2) * 2, height: (10 * 30 + 2) * 2 })
      }
      expect((await sharp(join(samples, "grid.png")).stats()).channels[0]!.stdev).toBeGreaterThan(1) // not blank
      expect((await sharp(join(samples, "interpolation.png")).metadata()).height).toBeGreaterThan((await sharp(join(samples, "interpolation.png")).metadata()).width! / 3)
      expect(readFileSync(join(samples, "progress.gif")).subarray(0, 6).toString("latin1")).toBe("GIF89a")
      for (const f of ["losses.png", "is.png", "fid.png", "kid.png"]) expect(existsSync(join(dirOf(first, "curves"), f))).toBe(true)

      const again = await Effect.runPromise(runPipeline(cgan, { services: layerTensorBackend(), root, storeDir, set: asSet(tiny) }))
      expect(Object.values(statuses(again)).every((s) => s === "cached")).toBe(true)
      const moreSamples = await Effect.runPromise(runPipeline(cgan, { services: layerTensorBackend(), root, storeDir, set: asSet({ ...tiny, "metrics.samples": 60, "metrics.sampleCap": 60 }) }))
      expect(statuses(moreSamples)).toEqual({ data: "cached", classifier: "cached", reference: "cached", train: "cached", metrics: "ran", samples: "cached", curves: "ran" })
    } finally {
      rmSync(storeDir, { recursive: true, force: true })
    }
  }, 120_000)
})
