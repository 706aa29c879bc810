/**
 * age-cgan-faces on a tiny config: every stage runs (aged faces + identities, age classifier, identity embedding,
 * Age-cGAN with its encoder, per-checkpoint re-aging), the metrics and pictures exist per checkpoint, a rerun is all
 * cache hits, and an evaluation param reruns only the evaluation.
 */
import { layerTensorBackend } from "@ganflow/backend"
import { describe, expect, it } from "vitest"
import { Effect } from "effect"
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import sharp from "sharp"
import { findWorkspaceRoot, runPipeline, type Json } from "@ganflow/core"
import ageFaces from "../src/age-cgan-faces.ts"
import { asOverrides, dirOf, statuses } from "./run-summary-views.ts"

const root = findWorkspaceRoot()
/** 48 built-in aged faces at 32x32 and 4 identities x 6 ages; narrow networks; 4 steps with a checkpoint every 2. */
const tiny: Record<string, Json> = {
  "data.synthetic": { count: 48, identities: 4 },
  "data.holdoutFraction": 0.25,
  "ages.steps": 3,
  "ages.batchSize": 8,
  "ages.width": 4,
  "identity.steps": 3,
  "identity.batchSize": 8,
  "identity.width": 4,
  "identity.featureSize": 8,
  "train.model": { resolution: 32, ngf: 4, nef: 4, encoderDenseUnits: 8 },
  "train.steps": 4,
  "train.batchSize": 8,
  "train.checkpointEvery": 2,
  "train.sampleEvery": 2,
  "train.sampleCount": 12,
  "evaluation.faces": 3,
  "evaluation.optimiseSteps": 2,
  "evaluation.samples": 8,
}

describe("age-cgan-faces pipeline", () => {
  it("trains Age-cGAN with its encoder on the built-in aged faces, re-ages held-out faces per checkpoint with metrics and pictures, caches", async () => {
    const storeDir = mkdtempSync(join(tmpdir(), "ganflow-age-cgan-faces-"))
    try {
      const first = await Effect.runPromise(runPipeline(ageFaces, { services: layerTensorBackend(), root, storeDir, overrides: asOverrides(tiny) }))
      expect(statuses(first)).toEqual({ data: "ran", ages: "ran", identity: "ran", train: "ran", evaluation: "ran" })
      const train = dirOf(first, "train")
      for (const f of ["generator/model.json", "encoder/model.json", "checkpoints/step-000002/model.json", "checkpoints/step-000002/encoder/model.json"]) expect(existsSync(join(train, f)), f).toBe(true)

      const evaluation = dirOf(first, "evaluation")
      const m = JSON.parse(readFileSync(join(evaluation, "metrics.json"), "utf8")) as { rows: Array<{ step: number; values: Record<string, number> }>; chance: number; columns: string[] }
      expect(m.rows.map((r) => r.step)).toEqual([2, 4])
      expect(m.chance).toBeCloseTo(1 / 6, 12)
      expect(m.columns).toEqual(["input", "reconstruction", "0-18", "19-29", "30-39", "40-49", "50-59", "60+"])
      for (const row of m.rows) {
        expect(row.values["age-accuracy@age-cnn"]).toBeGreaterThanOrEqual(0)
        expect(row.values["age-accuracy@age-cnn"]).toBeLessThanOrEqual(1)
        expect(row.values["sample-age-accuracy@age-cnn"]).toBeGreaterThanOrEqual(0)
        expect(row.values["sample-age-accuracy@age-cnn"]).toBeLessThanOrEqual(1)
        expect(row.values["identity-distance@identity-cnn"]).toBeGreaterThan(0)
        expect(row.values["identity-distance-between-faces@identity-cnn"]).toBeGreaterThan(0)
        expect(Number.isFinite(row.values["fid@random-cnn-seed0"])).toBe(true)
        // two Adam steps on z from E(x) do not make the identity loss worse by much (they usually lower it)
        expect(row.values["identity-loss-after-optimisation"]).toBeLessThan(row.values["identity-loss-before-optimisation"]! * 1.5)
      }
      // 3 faces x (input, reconstruction, 6 ages) of 32x32 with 2 px padding, scaled 2x
      const meta = await sharp(join(evaluation, "aging.png")).metadata()
      expect([meta.width, meta.height]).toEqual([(8 * 34 + 2) * 2, (3 * 34 + 2) * 2])
      expect(existsSync(join(evaluation, "checkpoints", "step-000002.png"))).toBe(true)

      const again = await Effect.runPromise(runPipeline(ageFaces, { services: layerTensorBackend(), root, storeDir, overrides: asOverrides(tiny) }))
      expect(Object.values(statuses(again)).every((s) => s === "cached")).toBe(true)
      const more = await Effect.runPromise(runPipeline(ageFaces, { services: layerTensorBackend(), root, storeDir, overrides: asOverrides({ ...tiny, "evaluation.optimiseSteps": 3 }) }))
      expect(statuses(more)).toEqual({ data: "cached", ages: "cached", identity: "cached", train: "cached", evaluation: "ran" })
    } finally {
      rmSync(storeDir, { recursive: true, force: true })
    }
  }, 180_000)
})
