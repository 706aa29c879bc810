/**
 * stackgan-faces on a tiny config: Stage-I and Stage-II train as separate stages, caption agreement is computed
 * for both, FID per Stage-II checkpoint, the Stage-II grid shows each Stage-I image beside its refinement, and a
 * Stage-II param reruns Stage-II and what reads it — never Stage-I.
 */
import { layerTensorBackend } from "@ganflow/backend"
import { findWorkspaceRoot, runPipeline, type Json } from "@ganflow/core"
import { Effect } from "effect"
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import sharp from "sharp"
import { describe, expect, it } from "vitest"
import stackgan from "../src/stackgan-faces.ts"
import { asOverrides, dirOf, statuses } from "./run-summary-views.ts"

const root = findWorkspaceRoot()

const tiny: Record<string, Json> = {
  "data.synthetic": { count: 40, captionsPerFace: 2 },
  "encoder.steps": 3,
  "encoder.batchSize": 16,
  "encoder.dim": 16,
  "stage1.model": { resolution: 32, ngf: 2, ndf: 2, embeddingDim: 16 },
  "stage1.steps": 2,
  "stage1.batchSize": 8,
  "stage1.checkpointEvery": 2,
  "stage2.model": { inputResolution: 32, resolution: 64, ngf: 4, ndf: 2, residualBlocks: 1, embeddingDim: 16 },
  "stage2.steps": 4,
  "stage2.batchSize": 8,
  "stage2.checkpointEvery": 2,
  "classifier.steps": 3,
  "classifier.batchSize": 16,
  "agreement1.captions": 10,
  "agreement2.captions": 10,
  "reference.sampleCap": 40,
  "fid.samples": 20,
  "fid.sampleCap": 20,
  "fid.batchSize": 10,
  "fid.kidSubsetSize": 10,
  "fid.kidSubsets": 5,
  "samples1.captions": ["a girl with long red hair", "a girl with short black hair"],
  "samples1.columns": 2,
  "samples2.captions": ["a girl with long red hair", "a girl with short black hair"],
  "samples2.columns": 2,
  "samples2.interpolationPairs": 1,
  "samples2.interpolationSteps": 3,
}

describe("stackgan-faces pipeline", () => {
  it("trains Stage-I then Stage-II on its images, scores both, renders Stage-I/Stage-II pairs, and a Stage-II param never retrains Stage-I", async () => {
    const storeDir = mkdtempSync(join(tmpdir(), "ganflow-stackgan-"))
    try {
      const run = (extra: Record<string, Json> = {}) => Effect.runPromise(runPipeline(stackgan, { services: layerTensorBackend(), root, storeDir, overrides: asOverrides({ ...tiny, ...extra }) }))
      const first = await run()
      expect(Object.values(statuses(first)).every((s) => s === "ran")).toBe(true)

      const stage2 = dirOf(first, "stage2")
      for (const f of ["generator/model.json", "checkpoints/step-000004/model.json", "stage1-generator/model.json", "conditioning.gfemb"]) expect(existsSync(join(stage2, f))).toBe(true)
      expect(JSON.parse(readFileSync(join(stage2, "generator/gan.json"), "utf8"))).toMatchObject({ architecture: "stackgan-stage2", inputs: ["stage1_image", "text_embedding", "condition_noise"], sampleShape: [64, 64, 3] })
      expect(readFileSync(join(dirOf(first, "stage1"), "steps.jsonl"), "utf8")).toContain("generator/conditioning-kl")
      for (const stage of ["agreement1", "agreement2"]) {
        const a = JSON.parse(readFileSync(join(dirOf(first, stage), "agreement.json"), "utf8")) as { checkpoints: Array<{ step: number; overall: number }> }
        expect(a.checkpoints.map((r) => r.step)).toEqual(stage === "agreement1" ? [2] : [2, 4])
      }
      const fid = JSON.parse(readFileSync(join(dirOf(first, "fid"), "metrics.json"), "utf8")) as Array<{ step: number; values: Record<string, number> }>
      expect(fid.map((r) => r.step)).toEqual([2, 4])
      for (const r of fid) expect(Number.isFinite(r.values["fid@random-cnn-seed0"])).toBe(true)

      // Stage-I grid: 2 captions x 2 samples at 32 px; Stage-II: 2 captions x 2 samples x (Stage-I upscaled, Stage-II) at 64 px
      const band = 2 * 15 + 6
      const g1 = await sharp(join(dirOf(first, "samples1"), "grid.png")).metadata()
      expect({ w: g1.width, h: g1.height }).toEqual({ w: 2 * 34 * 2 + 4, h: 2 * (34 * 2 + 4 + band) })
      const g2 = await sharp(join(dirOf(first, "samples2"), "grid.png")).metadata()
      expect({ w: g2.width, h: g2.height }).toEqual({ w: 4 * 66 * 2 + 4, h: 2 * (66 * 2 + 4 + band) })
      expect(existsSync(join(dirOf(first, "samples2"), "interpolation.png"))).toBe(true)

      const changed = await run({ "stage2.klWeight": 1 })
      expect(statuses(changed)).toEqual({
        data: "cached", encoder: "cached", stage1: "cached", stage2: "ran", classifier: "cached", agreement1: "cached", agreement2: "ran", reference: "cached", fid: "ran", samples1: "cached", samples2: "ran",
      })
    } finally {
      rmSync(storeDir, { recursive: true, force: true })
    }
  }, 300_000)
})
