/**
 * text2image-faces on a tiny config: every stage runs, caption agreement and FID are computed per checkpoint, the
 * grid has one row per caption with its caption under it, the interpolation strips exist, a rerun is all cache
 * hits, and a render param reruns only the render stage.
 */
import { layerTensorBackend } from "@ganflow/backend"
import { findWorkspaceRoot, runPipeline, type Json } from "@ganflow/core"
import { Effect } from "effect"
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import sharp from "sharp"
import { describe, expect, it } from "vitest"
import text2image from "../src/text2image-faces.ts"
import { asOverrides, dirOf, statuses } from "./run-summary-views.ts"

const root = findWorkspaceRoot()

/** Small enough for CI: 60 faces, a 3-step encoder and classifier, narrow networks, 4 steps with a checkpoint every 2. */
const tiny: Record<string, Json> = {
  "data.synthetic": { count: 60, captionsPerFace: 2, heldOut: 20 },
  "encoder.steps": 3,
  "encoder.batchSize": 16,
  "encoder.dim": 16,
  "train.model": { resolution: 32, ngf: 4, ndf: 4, embeddingDim: 16 },
  "train.steps": 4,
  "train.batchSize": 8,
  "train.checkpointEvery": 2,
  "classifier.steps": 3,
  "classifier.batchSize": 16,
  "agreement.captions": 20,
  "agreement.batchSize": 10,
  "reference.sampleCap": 60,
  "fid.samples": 20,
  "fid.sampleCap": 20,
  "fid.batchSize": 10,
  "fid.kidSubsetSize": 10,
  "fid.kidSubsets": 5,
  "samples.captions": ["a girl with long red hair and blue eyes", "a girl with short black hair", "a girl with pink twin tails"],
  "samples.columns": 3,
  "samples.interpolationPairs": 1,
  "samples.interpolationSteps": 4,
}

describe("text2image-faces pipeline", () => {
  it("trains GAN-CLS+INT on captioned faces, scores every checkpoint, renders caption rows, caches, and reruns only the render for a render param", async () => {
    const storeDir = mkdtempSync(join(tmpdir(), "ganflow-text2image-"))
    try {
      const run = (extra: Record<string, Json> = {}) => Effect.runPromise(runPipeline(text2image, { services: layerTensorBackend(), root, storeDir, overrides: asOverrides({ ...tiny, ...extra }) }))
      const first = await run()
      expect(statuses(first)).toEqual({ data: "ran", encoder: "ran", train: "ran", classifier: "ran", agreement: "ran", reference: "ran", fid: "ran", samples: "ran" })

      const train = dirOf(first, "train")
      for (const f of ["generator/model.json", "generator/gan.json", "checkpoints/step-000002/model.json", "checkpoints/step-000004/model.json", "conditioning.gfemb", "steps.jsonl"]) expect(existsSync(join(train, f))).toBe(true)
      expect(JSON.parse(readFileSync(join(train, "generator/gan.json"), "utf8"))).toMatchObject({ architecture: "gan-cls", conditioning: "text-embedding", latentDim: 100, embeddingDim: 16, sampleShape: [32, 32, 3] })
      const log = readFileSync(join(train, "steps.jsonl"), "utf8")
      // D has one term (matching-aware), logged as its phase total dLoss
      for (const term of ["dLoss", "generator/adversarial", "generator/interpolation"]) expect(log).toContain(term)

      const agreement = JSON.parse(readFileSync(join(dirOf(first, "agreement"), "agreement.json"), "utf8")) as { checkpoints: Array<{ step: number; overall: number; chanceOverall: number }> }
      expect(agreement.checkpoints.map((r) => r.step)).toEqual([2, 4])
      for (const r of agreement.checkpoints) expect(r.overall).toBeGreaterThanOrEqual(0)
      const fid = JSON.parse(readFileSync(join(dirOf(first, "fid"), "metrics.json"), "utf8")) as Array<{ step: number; values: Record<string, number> }>
      expect(fid.map((r) => r.step)).toEqual([2, 4])
      for (const r of fid) expect(Number.isFinite(r.values["fid@random-cnn-seed0"])).toBe(true)
      // the floor: 20 further built-in faces, never trained on, against the same reference; the gap is last − floor
      const floor = JSON.parse(readFileSync(join(dirOf(first, "fid"), "floor.json"), "utf8")) as { source: string; images: number; values: Record<string, number> }
      expect(floor).toMatchObject({ source: "data:holdout", images: 20 })
      const fidMetrics = first.stages.find((o) => o.name === "fid")!.metrics
      expect(fidMetrics["fid-floor@random-cnn-seed0"]).toBe(floor.values["fid@random-cnn-seed0"])
      expect(fidMetrics["fid-gap@random-cnn-seed0"]).toBeCloseTo(fid.at(-1)!.values["fid@random-cnn-seed0"]! - floor.values["fid@random-cnn-seed0"]!, 9)

      // 3 captions x 3 samples of 32x32 (2 px padding) scaled 2x, a caption band of 2 lines under each row
      const samples = dirOf(first, "samples")
      const rowHeight = (32 + 2) * 2 + 2 * 2
      const band = 2 * 15 + 6
      for (const f of ["grid.png", "checkpoints/step-000002.png", "checkpoints/step-000004.png"]) {
        const { width, height } = await sharp(join(samples, f)).metadata()
        expect({ f, width, height }).toEqual({ f, width: 3 * (32 + 2) * 2 + 2 * 2, height: 3 * (rowHeight + band) })
      }
      const strip = await sharp(join(samples, "interpolation.png")).metadata()
      expect({ width: strip.width, height: strip.height }).toEqual({ width: 4 * (32 + 2) * 2 + 2 * 2, height: rowHeight + band })

      const again = await run()
      expect(Object.values(statuses(again)).every((s) => s === "cached")).toBe(true)
      const wider = await run({ "samples.columns": 4 })
      expect(statuses(wider)).toEqual({ data: "cached", encoder: "cached", train: "cached", classifier: "cached", agreement: "cached", reference: "cached", fid: "cached", samples: "ran" })
    } finally {
      rmSync(storeDir, { recursive: true, force: true })
    }
  }, 300_000)
})
