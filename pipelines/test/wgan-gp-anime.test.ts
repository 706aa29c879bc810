/** wgan-gp-anime on a tiny config: the layer-norm critic trains with the gradient penalty, every output is written,
 * the penalty is logged, and a metric param reruns only the metric stages. */
import { layerTensorBackend } from "@ganflow/backend"
import { describe, expect, it } from "vitest"
import { Effect } from "effect"
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { findWorkspaceRoot, runPipeline, type Json, type RunSummary } from "@ganflow/core"
import { readStepLog } from "@ganflow/trainers"
import wgan from "../src/wgan-gp-anime.ts"
import { asOverrides, dirOf, statuses } from "./run-summary-views.ts"

const root = findWorkspaceRoot()
const tiny: Record<string, Json> = {
  "data.synthetic": { kind: "anime-faces", count: 32 },
  "reference.sampleCap": 32,
  "train.model": { architecture: "dcgan", options: { resolution: 32, ngf: 8, ndf: 8 }, critic: "wgan-layer-norm" },
  "train.steps": 2,
  "train.discriminatorSteps": 2,
  "train.batchSize": 8,
  "train.checkpointEvery": 1,
  "fid.samples": 16,
  "fid.sampleCap": 16,
  "fid.batchSize": 16,
  "fid.kidSubsetSize": 8,
  "fid.kidSubsets": 3,
  "samples.count": 4,
  "samples.interpolationRows": 1,
  "samples.interpolationSteps": 3,
  "demo.sampleCount": 4,
}

describe("wgan-gp-anime pipeline", () => {
  it("trains WGAN-GP with a layer-norm critic, writes every output, and reruns only the metric stages on a metric param", async () => {
    const storeDir = mkdtempSync(join(tmpdir(), "ganflow-wgan-"))
    try {
      const first = await Effect.runPromise(runPipeline(wgan, { services: layerTensorBackend(), root, storeDir, overrides: asOverrides(tiny) }))
      expect(Object.values(statuses(first)).every((s) => s === "ran")).toBe(true)
      const log = readStepLog(join(dirOf(first, "train"), "steps.jsonl"))
      expect(log.map((r) => r.step)).toEqual([1, 2])
      for (const r of log) expect(r.gradientPenalty).toBeGreaterThan(0) // the penalty is computed and logged
      const rows = JSON.parse(readFileSync(join(dirOf(first, "fid"), "metrics.json"), "utf8")) as Array<{ step: number }>
      expect(rows.map((r) => r.step)).toEqual([1, 2])
      for (const f of ["grid.png", "progress.gif", "interpolation.png"]) expect(existsSync(join(dirOf(first, "samples"), f))).toBe(true)
      for (const f of ["losses.png", "fid.png"]) expect(existsSync(join(dirOf(first, "curves"), f))).toBe(true)
      const again = await Effect.runPromise(runPipeline(wgan, { services: layerTensorBackend(), root, storeDir, overrides: asOverrides({ ...tiny, "fid.metrics": ["fid"] }) }))
      expect(statuses(again)).toEqual({ data: "cached", reference: "cached", train: "cached", fid: "ran", samples: "cached", curves: "ran", demo: "cached" })
    } finally {
      rmSync(storeDir, { recursive: true, force: true })
    }
  }, 180_000)
})
