/**
 * srgan-faces on a tiny config: every stage runs (data, content network, SRResNet, SRGAN from its weights, metrics with
 * the bicubic row, strips), a rerun is all cache hits, and a metric param reruns only the metric stage.
 */
import { layerTensorBackend } from "@ganflow/backend"
import { describe, expect, it } from "vitest"
import { Effect } from "effect"
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import sharp from "sharp"
import { findWorkspaceRoot, runPipeline, type Json } from "@ganflow/core"
import srganFaces from "../src/srgan-faces.ts"
import { asOverrides, dirOf, statuses } from "./run-summary-views.ts"

const root = findWorkspaceRoot()
const model = { scale: 4, residualBlocks: 1, filters: 8, ndf: 8, denseUnits: 16, hrSize: 32 }
/** 40 built-in faces at 32x32 (8x8 LR), one residual block of 8 filters, 4 + 2 steps with checkpoints. */
const tiny: Record<string, Json> = {
  "data.size": 32,
  "data.synthetic": { kind: "anime-faces", count: 40 },
  "data.holdoutFraction": 0.2,
  "content.steps": 3,
  "content.batchSize": 8,
  "content.width": 4,
  "srresnet.model": model,
  "srresnet.steps": 4,
  "srresnet.batchSize": 8,
  "srresnet.checkpointEvery": 2,
  "srgan.model": model,
  "srgan.steps": 2,
  "srgan.batchSize": 8,
  "srgan.checkpointEvery": 1,
  "metrics.samples": 8,
  "metrics.batchSize": 4,
  "strips.count": 2,
}

describe("srgan-faces pipeline", () => {
  it("pre-trains SRResNet, fine-tunes SRGAN with the named content network, scores every checkpoint against bicubic, draws strips, caches", async () => {
    const storeDir = mkdtempSync(join(tmpdir(), "ganflow-srgan-faces-"))
    try {
      const first = await Effect.runPromise(runPipeline(srganFaces, { services: layerTensorBackend(), root, storeDir, overrides: asOverrides(tiny) }))
      expect(statuses(first)).toEqual({ data: "ran", content: "ran", srresnet: "ran", srgan: "ran", metrics: "ran", strips: "ran" })
      // the content network is named in the exported generator's description and in the loss keys
      const srgan = dirOf(first, "srgan")
      expect(JSON.parse(readFileSync(join(srgan, "generator", "gan.json"), "utf8")).content).toBe("sharpness-cnn/conv2")
      expect(readFileSync(join(srgan, "steps.jsonl"), "utf8")).toContain('"generator/content@sharpness-cnn/conv2"')

      const table = JSON.parse(readFileSync(join(dirOf(first, "metrics"), "metrics.json"), "utf8")) as { rows: Array<{ model: string; step: number; psnr: number; ssim: number; fid: number }>; border: number; fidKey: string }
      expect(table.rows.map((r) => `${r.model}@${r.step}`)).toEqual(["bicubic@0", "srresnet@2", "srresnet@4", "srgan@1", "srgan@2"])
      expect(table.border).toBe(4)
      expect(table.fidKey).toBe("fid@random-cnn-seed0")
      for (const r of table.rows) {
        expect(r.psnr).toBeGreaterThan(5)
        expect(r.ssim).toBeGreaterThan(-1)
        expect(r.ssim).toBeLessThanOrEqual(1)
        expect(Number.isFinite(r.fid)).toBe(true)
      }
      // bicubic from 8x8 back to 32x32 is far from the faces but not noise
      expect(table.rows[0]!.psnr).toBeGreaterThan(12)

      // strips: 2 faces x 5 columns (LR, bicubic, SRResNet, SRGAN, HR) of 32x32 with 2 px padding, scaled 2x
      const strips = dirOf(first, "strips")
      const meta = await sharp(join(strips, "strips.png")).metadata()
      expect([meta.width, meta.height]).toEqual([(5 * 34 + 2) * 2, (2 * 34 + 2) * 2])
      expect(existsSync(join(strips, "checkpoints", "step-000001.png"))).toBe(true)

      const again = await Effect.runPromise(runPipeline(srganFaces, { services: layerTensorBackend(), root, storeDir, overrides: asOverrides(tiny) }))
      expect(Object.values(statuses(again)).every((s) => s === "cached")).toBe(true)
      const border = await Effect.runPromise(runPipeline(srganFaces, { services: layerTensorBackend(), root, storeDir, overrides: asOverrides({ ...tiny, "metrics.border": 2 }) }))
      expect(statuses(border)).toEqual({ data: "cached", content: "cached", srresnet: "cached", srgan: "cached", metrics: "ran", strips: "cached" })
    } finally {
      rmSync(storeDir, { recursive: true, force: true })
    }
  }, 180_000)
})
