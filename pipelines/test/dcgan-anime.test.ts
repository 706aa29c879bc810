/**
 * dcgan-anime on a tiny config: every stage runs and writes what the README promises, a rerun is all cache hits,
 * a metric param reruns only the metric stages — in process, and through `ganflow run --watch` with the params
 * file edited while it watches.
 */
import { layerTensorBackend } from "@ganflow/backend"
import { describe, expect, it } from "vitest"
import { Effect } from "effect"
import { spawn } from "node:child_process"
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import sharp from "sharp"
import { findWorkspaceRoot, runPipeline, type Json, type RunSummary } from "@ganflow/core"
import anime from "../src/dcgan-anime.ts"
import { asOverrides, dirOf, statuses } from "./run-summary-views.ts"
import { tinyAnimeParams } from "./tiny-anime-params.ts"

const root = findWorkspaceRoot()
const ganflowBin = join(root, "packages/cli/bin/ganflow.mjs")

const tiny = tinyAnimeParams

const waitFor = async (cond: () => boolean, ms: number, what: string, log: () => string) => {
  const t0 = Date.now()
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}; output so far:\n${log()}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

describe("dcgan-anime pipeline", () => {
  it("trains on the built-in faces, renders grids/GIF/curves/demo, caches, and reruns only the metric stages when a metric param changes (also under --watch)", async () => {
    const storeDir = mkdtempSync(join(tmpdir(), "ganflow-anime-"))
    const paramsFile = join(storeDir, "params.json")
    try {
      const first = await Effect.runPromise(runPipeline(anime, { services: layerTensorBackend(), root, storeDir, overrides: asOverrides(tiny) }))
      expect(Object.values(statuses(first)).every((s) => s === "ran")).toBe(true)

      // the generator of every checkpoint, scored and drawn
      const metrics = JSON.parse(readFileSync(join(dirOf(first, "fid"), "metrics.json"), "utf8")) as Array<{ step: number; values: Record<string, number> }>
      expect(metrics.map((r) => r.step)).toEqual([2, 4])
      for (const row of metrics) expect(row.values["fid@random-cnn-seed0"]).toBeGreaterThan(0)
      expect(first.stages.find((s) => s.name === "fid")!.metricSeries!["fid@random-cnn-seed0"]!.map(([step]) => step)).toEqual([2, 4])
      const samples = dirOf(first, "samples")
      for (const f of ["grid.png", "checkpoints/step-000002.png", "checkpoints/step-000004.png", "interpolation.png"]) {
        const { width, height } = await sharp(join(samples, f)).metadata()
        expect({ f, width, height }).toEqual({ f, ...(f === "interpolation.png" ? { width: (3 * 34 + 2) * 2, height: (34 + 2) * 2 } : { width: (2 * 34 + 2) * 2, height: (2 * 34 + 2) * 2 }) })
      }
      const stats = await sharp(join(samples, "grid.png")).stats()
      expect(stats.channels[0]!.stdev).toBeGreaterThan(1) // not a blank picture
      expect(readFileSync(join(samples, "progress.gif")).subarray(0, 6).toString("latin1")).toBe("GIF89a")
      for (const f of ["losses.png", "fid.png", "kid.png"]) expect(existsSync(join(dirOf(first, "curves"), f))).toBe(true)
      expect(readFileSync(join(dirOf(first, "demo"), "index.html"), "utf8")).toContain("DCGAN on anime faces")

      // nothing changed: all cache hits; a metric param: only the metric stages
      const again = await Effect.runPromise(runPipeline(anime, { services: layerTensorBackend(), root, storeDir, overrides: asOverrides(tiny) }))
      expect(Object.values(statuses(again)).every((s) => s === "cached")).toBe(true)
      const fidOnly = await Effect.runPromise(runPipeline(anime, { services: layerTensorBackend(), root, storeDir, overrides: asOverrides({ ...tiny, "fid.metrics": ["fid"] }) }))
      expect(statuses(fidOnly)).toEqual({ data: "cached", reference: "cached", train: "cached", fid: "ran", samples: "cached", curves: "ran", demo: "cached" })

      // the same through the CLI in watch mode, editing the params file while it watches
      writeFileSync(paramsFile, JSON.stringify(tiny))
      let out = ""
      const child = spawn(process.execPath, [ganflowBin, "run", "dcgan-anime", "--watch", "--params", paramsFile, "--store", storeDir], { cwd: root, stdio: ["ignore", "pipe", "pipe"] })
      child.stdout!.on("data", (d) => (out += String(d)))
      child.stderr!.on("data", (d) => (out += String(d)))
      const count = (re: RegExp) => (out.match(re) ?? []).length
      try {
        await waitFor(() => count(/watching for changes/g) >= 1, 90_000, "the first watched run", () => out)
        expect(count(/running/g)).toBe(0) // everything cached from the runs above
        expect(out).toMatch(/samples\/grid\.png\s+\S+grid\.png/) // where the results are
        expect(out).toMatch(/report\s+\S+\.html/)
        writeFileSync(paramsFile, JSON.stringify({ ...tiny, "fid.samples": 16, "fid.sampleCap": 16, "fid.kidSubsetSize": 8 }))
        await waitFor(() => count(/watching for changes/g) >= 2, 90_000, "the rerun after the params edit", () => out)
        expect(out).toMatch(/> fid\s+running: params changed: .*samples 32 -> 16/)
        for (const stage of ["data", "reference", "train", "samples", "demo"]) expect(out).not.toMatch(new RegExp(`> ${stage}\\s+running`))
      } finally {
        child.kill("SIGINT")
        await new Promise((r) => child.once("exit", r))
      }
    } finally {
      rmSync(storeDir, { recursive: true, force: true })
    }
  }, 300_000)
})
