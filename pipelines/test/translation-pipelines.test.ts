/**
 * pix2pix-faces and cyclegan-faces on tiny configs: every stage runs on the built-in data and writes what the README
 * promises (grids per checkpoint, GIF, metric rows with FID and, for pix2pix, L1/PSNR/SSIM, curves, the demo page),
 * a rerun is all cache hits, a metric param reruns only the metric stage (and the curves that read it), and bad data
 * (an aligned image that is not twice as wide as high, an empty trainB, pairs of different sizes) fails the data
 * stage naming the file, with nothing cached.
 */
import { layerTensorBackend } from "@ganflow/backend"
import { findWorkspaceRoot, runPipeline, type Json, type RunSummary } from "@ganflow/core"
import { Cause, Effect, Exit } from "effect"
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import sharp from "sharp"
import { describe, expect, it } from "vitest"
import cyclegan from "../src/cyclegan-faces.ts"
import pix2pix from "../src/pix2pix-faces.ts"
import { asOverrides, dirOf, statuses } from "./run-summary-views.ts"

const root = findWorkspaceRoot()
const run = (p: typeof pix2pix, storeDir: string, overrides: Record<string, Json>) =>
  Effect.runPromise(runPipeline(p, { services: layerTensorBackend(), root, storeDir, overrides: asOverrides(overrides) }))
const failure = async (p: typeof pix2pix, storeDir: string, overrides: Record<string, Json>): Promise<string> => {
  const exit = await Effect.runPromiseExit(runPipeline(p, { services: layerTensorBackend(), root, storeDir, overrides: asOverrides(overrides) }))
  if (Exit.isSuccess(exit)) throw new Error("expected the run to fail")
  const err = Cause.failureOption(exit.cause)
  return err._tag === "Some" ? (err.value as Error).message : Cause.pretty(exit.cause)
}
/** Writes a PNG of `width x height`, left half red, right half blue. */
const writePng = async (file: string, width: number, height: number) => {
  const px = Buffer.alloc(width * height * 3)
  for (let p = 0; p < width * height; p++) px.set((p % width) < width / 2 ? [200, 20, 20] : [20, 20, 200], p * 3)
  mkdirSync(join(file, ".."), { recursive: true })
  await sharp(px, { raw: { width, height, channels: 3 } }).png().toFile(file)
}
const metricRows = (summary: RunSummary) => JSON.parse(readFileSync(join(dirOf(summary, "metrics"), "metrics.json"), "utf8")) as Array<{ step: number; checkpoint: string; values: Record<string, number> }>

/** 64 px (6 downsamplings: one test-time dropout block) with 2-filter networks, 4 steps with a checkpoint every 2. */
const tinyPix2pix: Record<string, Json> = {
  "data.synthetic": { trainCount: 6, testCount: 4 },
  "train.generator": { ngf: 2, norm: "instance" },
  "train.discriminator": { ndf: 2, norm: "instance" },
  "train.steps": 4,
  "train.checkpointEvery": 2,
  "grids.count": 2,
  "demo.examples": 2,
}
const tinyCyclegan: Record<string, Json> = {
  "data.cropSize": 16,
  "data.synthetic": { trainCountA: 5, trainCountB: 4, testCount: 3 },
  "train.size": 16,
  "train.generator": { ngf: 2, blocks: 1 },
  "train.discriminator": { ndf: 2, layers: 2 },
  "train.historySize": 2,
  "train.steps": 4,
  "train.learningRateSchedule": { kind: "linear-decay", startStep: 2 },
  "train.checkpointEvery": 2,
  "grids.count": 2,
  "demo.examples": 2,
}

describe("pix2pix-faces pipeline", () => {
  it("trains on built-in sketch -> face pairs, renders grids/GIF/curves/demo, scores FID/L1/PSNR/SSIM per checkpoint, and caches", async () => {
    const storeDir = mkdtempSync(join(tmpdir(), "ganflow-pix2pix-"))
    try {
      const first = await run(pix2pix, storeDir, tinyPix2pix)
      expect(Object.values(statuses(first)).every((s) => s === "ran")).toBe(true)
      const rows = metricRows(first)
      expect(rows.map((r) => r.step)).toEqual([2, 4])
      for (const r of rows) {
        expect(Object.keys(r.values).sort()).toEqual(["fid@random-cnn-seed0", "l1", "psnr", "ssim-skimage", "ssim-wang2004"])
        expect(r.values["psnr"]).toBeGreaterThan(0)
        expect(r.values["ssim-wang2004"]).toBeLessThan(1)
      }
      expect(JSON.parse(readFileSync(join(dirOf(first, "metrics"), "floor.json"), "utf8")).values["fid@random-cnn-seed0"]).toBeGreaterThanOrEqual(0)
      const grids = dirOf(first, "grids")
      // 2 examples side by side, each sketch | output | face: 6 columns of 64 px (+2 px padding), scale 2
      for (const f of ["grid.png", "checkpoints/step-000002.png", "checkpoints/step-000004.png"]) {
        const { width, height } = await sharp(join(grids, f)).metadata()
        expect({ f, width, height }).toEqual({ f, width: (6 * 66 + 2) * 2, height: (66 + 2) * 2 })
      }
      expect(readFileSync(join(grids, "progress.gif")).subarray(0, 6).toString("latin1")).toBe("GIF89a")
      for (const f of ["losses.png", "fid.png", "psnr.png", "ssim-wang2004.png"]) expect(existsSync(join(dirOf(first, "curves"), f))).toBe(true)
      expect(readFileSync(join(dirOf(first, "demo"), "index.html"), "utf8")).toContain("pix2pix: sketch to face")

      const again = await run(pix2pix, storeDir, tinyPix2pix)
      expect(Object.values(statuses(again)).every((s) => s === "cached")).toBe(true)
      const metricOnly = await run(pix2pix, storeDir, { ...tinyPix2pix, "metrics.samples": 2 })
      expect(statuses(metricOnly)).toEqual({ data: "cached", train: "cached", metrics: "ran", grids: "cached", curves: "ran", demo: "cached" })
    } finally {
      rmSync(storeDir, { recursive: true, force: true })
    }
  }, 300_000)

  it("bad pairs fail the data stage naming the file, and nothing is cached: width not 2x height, pair sizes differ", async () => {
    const storeDir = mkdtempSync(join(tmpdir(), "ganflow-pix2pix-bad-"))
    try {
      const aligned = join(storeDir, "facades")
      await writePng(join(aligned, "train", "1.png"), 40, 20)
      await writePng(join(aligned, "train", "2.png"), 30, 20)
      await writePng(join(aligned, "test", "1.png"), 40, 20)
      const overrides = { ...tinyPix2pix, "data.dir": aligned }
      expect(await failure(pix2pix, storeDir, overrides)).toMatch(/train\/2\.png: .*width must be twice its height; it is 30x20/)
      expect(await failure(pix2pix, storeDir, overrides)).toMatch(/2\.png/) // failed again: nothing was cached
      const pairs = join(storeDir, "pairs")
      await writePng(join(pairs, "A", "train", "x.png"), 20, 20)
      await writePng(join(pairs, "B", "train", "x.png"), 24, 20)
      expect(await failure(pix2pix, storeDir, { ...tinyPix2pix, "data.dir": pairs, "data.layout": "folder-pairs" })).toMatch(/B\/train\/x\.png: pair sizes differ/)
    } finally {
      rmSync(storeDir, { recursive: true, force: true })
    }
  }, 120_000)
})

describe("cyclegan-faces pipeline", () => {
  it("trains on built-in colour / sepia-ink domains, renders A -> B -> A | B -> A -> B grids, scores FID both ways, caches; an empty trainB names the folder", async () => {
    const storeDir = mkdtempSync(join(tmpdir(), "ganflow-cyclegan-"))
    try {
      const first = await run(cyclegan, storeDir, tinyCyclegan)
      expect(Object.values(statuses(first)).every((s) => s === "ran")).toBe(true)
      const rows = metricRows(first)
      expect(rows.map((r) => r.step)).toEqual([2, 4])
      for (const r of rows) expect(Object.keys(r.values).sort()).toEqual(["fid-ab@random-cnn-seed0", "fid-ba@random-cnn-seed0"])
      // one example per row: A | G(A) | F(G(A)) | B | F(B) | G(F(B)), 16 px (+2 padding), scale 2
      const { width, height } = await sharp(join(dirOf(first, "grids"), "grid.png")).metadata()
      expect({ width, height }).toEqual({ width: (6 * 18 + 2) * 2, height: (2 * 18 + 2) * 2 })
      for (const f of ["fid-ab.png", "fid-ba.png", "losses.png"]) expect(existsSync(join(dirOf(first, "curves"), f))).toBe(true)
      expect(existsSync(join(dirOf(first, "train"), "checkpoints", "step-000002", "generatorBA", "model.json"))).toBe(true)

      const metricOnly = await run(cyclegan, storeDir, { ...tinyCyclegan, "metrics.reference": "test" })
      expect(statuses(metricOnly)).toEqual({ data: "cached", train: "cached", metrics: "ran", grids: "cached", curves: "ran", demo: "cached" })

      const dir = join(storeDir, "horse2zebra")
      for (const sub of ["trainA", "testA", "testB"]) await writePng(join(dir, sub, "0.png"), 20, 20)
      mkdirSync(join(dir, "trainB"), { recursive: true })
      const bad = { ...tinyCyclegan, "data.dir": dir }
      expect(await failure(cyclegan, storeDir, bad)).toMatch(/trainB: no \.png\/\.jpg\/\.jpeg files/)
      expect(await failure(cyclegan, storeDir, bad)).toMatch(/trainB/)
    } finally {
      rmSync(storeDir, { recursive: true, force: true })
    }
  }, 300_000)
})
