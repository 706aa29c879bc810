/**
 * The five GAN pipelines end to end on WebGPU, through SwiftShader (Debian chromium's software Vulkan driver,
 * opted into with GANFLOW_WEBGPU_SOFTWARE=1): each runs through the CLI on a tiny config on webgpu and on cpu;
 * every stage runs and writes its outputs, the first steps' losses agree with the cpu backend's within
 * {@link LOSS_TOLERANCE}, a second webgpu run is all cache hits, and a param change reruns only its stage.
 * Without SwiftShader the test skips with one line — except under CI, where it is required.
 */
import { spawnSync } from "node:child_process"
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { findWorkspaceRoot } from "@ganflow/core"
import { findSwiftShaderManifest } from "@ganflow/backend"

/** |webgpu - cpu| / max(1, |cpu|) for each loss of the first steps: float32 reductions in another order drift. */
const LOSS_TOLERANCE = 1e-3
const FIRST_STEPS = 2

const root = findWorkspaceRoot()
const ganflowBin = join(root, "packages/cli/bin/ganflow.mjs")
const manifest = findSwiftShaderManifest()
const required = process.env["CI"] !== undefined && process.env["CI"] !== ""
if (manifest === undefined && !required) process.stderr.write("[webgpu] skipping the WebGPU pipelines: no SwiftShader Vulkan driver (install Debian's chromium)\n")

/** Tiny configs (SwiftShader is slow) and, per pipeline, one param whose change must rerun only its stage. */
const pipelines: ReadonlyArray<{ name: string; params: Record<string, unknown>; change: [string, unknown, string] }> = [
  {
    name: "dcgan-anime",
    params: {
      "data.synthetic": { kind: "anime-faces", count: 16 }, "reference.sampleCap": 16,
      "train.model": { architecture: "dcgan", options: { resolution: 32, ngf: 4, ndf: 4 } }, "train.steps": 2, "train.batchSize": 4, "train.checkpointEvery": 2,
      "fid.samples": 8, "fid.sampleCap": 8, "fid.batchSize": 8, "fid.kidSubsetSize": 4, "fid.kidSubsets": 2,
      "samples.count": 4, "samples.interpolationRows": 1, "samples.interpolationSteps": 3, "demo.sampleCount": 4,
    },
    change: ["samples.count", 9, "samples"],
  },
  {
    name: "wgan-gp-anime",
    params: {
      "data.size": 32, "data.synthetic": { kind: "anime-faces", count: 16 }, "reference.sampleCap": 16,
      "train.model": { architecture: "dcgan", options: { resolution: 32, ngf: 4, ndf: 4 }, critic: "wgan-layer-norm" },
      "train.steps": 2, "train.discriminatorSteps": 2, "train.batchSize": 4, "train.checkpointEvery": 2,
      "fid.samples": 8, "fid.sampleCap": 8, "fid.batchSize": 8, "fid.kidSubsetSize": 4, "fid.kidSubsets": 2,
      "samples.count": 4, "samples.interpolationRows": 1, "samples.interpolationSteps": 3, "demo.sampleCount": 4,
    },
    change: ["samples.count", 9, "samples"],
  },
  {
    name: "vanilla-gan-mnist",
    params: {
      "data.count": 40, "classifier.steps": 2, "classifier.batchSize": 8, "classifier.trainConvolutions": false, "reference.sampleCap": 40,
      "train.steps": 2, "train.batchSize": 8, "train.checkpointEvery": 2,
      "metrics.samples": 16, "metrics.sampleCap": 16, "metrics.batchSize": 8, "metrics.kidSubsetSize": 8, "metrics.kidSubsets": 2, "metrics.isSplits": 2,
      "samples.count": 4, "samples.interpolationRows": 1, "samples.interpolationSteps": 3,
    },
    change: ["samples.count", 9, "samples"],
  },
  {
    name: "cgan-digits",
    params: {
      "data.count": 40, "classifier.steps": 2, "classifier.batchSize": 8, "classifier.trainConvolutions": false, "reference.sampleCap": 40,
      "train.model": { architecture: "conditional", options: { numClasses: 10, hidden: [16, 16], auxiliaryClassifier: true } },
      "train.steps": 2, "train.batchSize": 10, "train.checkpointEvery": 2,
      "metrics.samples": 20, "metrics.sampleCap": 20, "metrics.batchSize": 10, "metrics.kidSubsetSize": 10, "metrics.kidSubsets": 2, "metrics.isSplits": 2,
      "samples.count": 10, "samples.interpolationRows": 1, "samples.interpolationSteps": 3,
    },
    change: ["samples.count", 20, "samples"],
  },
  {
    name: "3dgan-chairs",
    params: {
      "data.count": 8, "train.model.options.width": 1, "train.batchSize": 2, "train.steps": 2, "train.checkpointEvery": 2,
      "render.count": 2, "render.columns": 2, "render.viewShapes": 1, "render.views": [0], "render.voxelSize": 2,
      "metrics.samples": 2, "metrics.reference": 4, "metrics.batchSize": 2,
    },
    change: ["render.voxelSize", 3, "render"],
  },
]

interface RunRecord { readonly status: string; readonly stages: ReadonlyArray<{ name: string; status: string; dir?: string }> }

/** Runs the CLI and returns the newest run record of the store. */
const ganflowRun = (name: string, store: string, backend: "cpu" | "webgpu", params: Record<string, unknown>): RunRecord => {
  const file = join(store, `params-${backend}.json`)
  writeFileSync(file, JSON.stringify(params))
  const env = { ...process.env, GANFLOW_WEBGPU_SOFTWARE: "1", NODE_OPTIONS: "" }
  const child = spawnSync(process.execPath, [ganflowBin, "run", name, "--backend", backend, "--params", file, "--store", store], { cwd: root, env, encoding: "utf8", timeout: 300_000 })
  expect(child.status, `${name} on ${backend}:\n${child.stdout}\n${child.stderr}`).toBe(0)
  const runs = readdirSync(join(store, "runs")).sort()
  return JSON.parse(readFileSync(join(store, "runs", runs[runs.length - 1]!), "utf8")) as RunRecord
}

const losses = (run: RunRecord): Array<{ dLoss: number; gLoss: number }> => {
  const dir = run.stages.find((s) => s.name === "train")!.dir!
  return readFileSync(join(dir, "steps.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { dLoss: number; gLoss: number }).slice(0, FIRST_STEPS)
}

describe.skipIf(manifest === undefined && !required)("the five pipelines on WebGPU (SwiftShader)", () => {
  for (const p of pipelines) {
    it(`${p.name}: every stage runs on webgpu, losses match cpu's first steps, reruns are cache hits, a param change reruns only its stage`, () => {
      expect(manifest, "SwiftShader's vk_swiftshader_icd.json (Debian chromium-common) is required under CI").toBeDefined()
      const gpuStore = mkdtempSync(join(tmpdir(), `ganflow-webgpu-${p.name}-`))
      const cpuStore = mkdtempSync(join(tmpdir(), `ganflow-cpu-${p.name}-`))
      try {
        const gpu = ganflowRun(p.name, gpuStore, "webgpu", p.params)
        expect(gpu.stages.every((s) => s.status === "ran")).toBe(true)
        for (const s of gpu.stages) expect(existsSync(s.dir!) && readdirSync(s.dir!).length > 0, `${s.name} wrote outputs`).toBe(true)
        const cpu = ganflowRun(p.name, cpuStore, "cpu", p.params)
        const [g, c] = [losses(gpu), losses(cpu)]
        expect(g.length).toBe(FIRST_STEPS)
        for (const [i, step] of g.entries()) {
          for (const k of ["dLoss", "gLoss"] as const) {
            expect(Math.abs(step[k] - c[i]![k]) / Math.max(1, Math.abs(c[i]![k])), `${p.name} step ${i + 1} ${k}: webgpu ${step[k]} vs cpu ${c[i]![k]}`).toBeLessThanOrEqual(LOSS_TOLERANCE)
          }
        }
        const again = ganflowRun(p.name, gpuStore, "webgpu", p.params)
        const statuses = (run: RunRecord) => Object.fromEntries(run.stages.map((s) => [s.name, s.status]))
        expect(statuses(again)).toEqual(Object.fromEntries(gpu.stages.map((s) => [s.name, "cached"])))
        const [key, value, stage] = p.change
        const changed = ganflowRun(p.name, gpuStore, "webgpu", { ...p.params, [key]: value })
        expect(changed.stages.filter((s) => s.status === "ran").map((s) => s.name)).toEqual([stage])
      } finally {
        rmSync(gpuStore, { recursive: true, force: true })
        rmSync(cpuStore, { recursive: true, force: true })
      }
    }, 600_000)
  }
})
