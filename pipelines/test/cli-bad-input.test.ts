/**
 * The audit's repros on a real pipeline, through the `ganflow` CLI: params that cannot be part of a cache key,
 * unknown or misspelt params at any depth, invalid model options and unreadable data files exit 2 with a message
 * naming the param or file, and leave nothing in the store.
 */
import { describe, expect, it } from "vitest"
import { execFile } from "node:child_process"
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { findWorkspaceRoot } from "@ganflow/core"

const root = findWorkspaceRoot()
const ganflow = (args: string[], env: Record<string, string> = {}) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [join(root, "packages/cli/bin/ganflow.mjs"), ...args], { cwd: root, env: { ...process.env, ...env } }, (err, stdout, stderr) =>
      resolve({ code: err === null ? 0 : typeof err.code === "number" ? err.code : 1, stdout, stderr }),
    )
  })

describe("bad input through the CLI", () => {
  it("vanilla-gan-mnist with lr 1e999 exits 2 naming the param, before anything runs", async () => {
    const store = mkdtempSync(join(tmpdir(), "ganflow-bad-input-"))
    try {
      const r = await ganflow(["run", "vanilla-gan-mnist", "--store", store, "--set", "train.generatorLearningRate=1e999"])
      expect(r.code).toBe(2)
      expect(r.stderr).toContain("must be a finite number (was Infinity)")
      expect(r.stdout).not.toMatch(/^ganflow: ok/m)
      expect(existsSync(join(store, "manifests"))).toBe(false)
    } finally {
      rmSync(store, { recursive: true, force: true })
    }
  }, 60_000)

  it("unknown params and invalid model options exit 2 naming the key (with the closest one), writing nothing", async () => {
    const store = mkdtempSync(join(tmpdir(), "ganflow-bad-params-"))
    const cases: Array<[string[], string]> = [
      [["--set", "fid.samplez=2000"], "fid.params.samplez: unknown key (did you mean samples?)"],
      [["--set", "reference.sampleCapp=5"], "reference.params.sampleCapp: unknown key (did you mean sampleCap?)"],
      [["--set", "demo.titel=x"], "demo.params.titel: unknown key (did you mean title?)"],
      [["--set", "train.model.options.resolution=48"], "train.params.model.options.resolution: must be 28, 32 or 64 (was 48)"],
      [["--set", "train.model.options.ngff=8"], "train.params.model.options.ngff: unknown key (did you mean ngf?)"],
      [["--set", "train.tricks.instanceNorm=true", "--set", 'train.model={"architecture":"gan3d"}'], "train.params.tricks.instanceNorm: must be false unless model.architecture is dcgan"],
      [["--set", "fdi.samples=3"], "--set fdi.samples=3: no stage named fdi (did you mean fid?)"],
    ]
    try {
      for (const [args, message] of cases) {
        const r = await ganflow(["run", "dcgan-anime", "--store", join(store, "s"), ...args])
        expect(r.code, args.join(" ")).toBe(2)
        expect(r.stderr).toContain(message)
        expect(r.stdout).not.toMatch(/running:/)
        // nothing in the store: no objects, manifests or run records (not even the folder)
        expect(existsSync(join(store, "s"))).toBe(false)
      }
      // the same through a --params file, which is merged as a deep-partial object
      const params = join(store, "params.json")
      writeFileSync(params, JSON.stringify({ fid: { samplez: 2000 }, train: { model: { options: { resolution: 48 } } } }))
      const r = await ganflow(["run", "dcgan-anime", "--store", join(store, "s"), "--params", params])
      expect(r.code).toBe(2)
      expect(r.stderr).toContain("fid.params.samplez: unknown key (did you mean samples?)")
      expect(r.stderr).toContain("train.params.model.options.resolution: must be 28, 32 or 64 (was 48)")
      expect(existsSync(join(store, "s"))).toBe(false)
    } finally {
      rmSync(store, { recursive: true, force: true })
    }
  }, 120_000)

  it("a truncated MNIST IDX file exits 2 naming the file; nothing is cached for the data stage", async () => {
    const store = mkdtempSync(join(tmpdir(), "ganflow-bad-idx-"))
    const data = join(store, "digits")
    mkdirSync(data)
    writeFileSync(join(data, "train-images-idx3-ubyte"), Buffer.from([0, 0, 8, 3, 0, 0, 0, 10, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2, 3]))
    writeFileSync(join(data, "train-labels-idx1-ubyte"), Buffer.from([0, 0, 8, 1, 0, 0, 0, 10, 1, 2]))
    try {
      const r = await ganflow(["run", "vanilla-gan-mnist", "--store", join(store, "s"), "--only", "data", "--set", `data.dir=${data}`])
      expect(r.code).toBe(2)
      expect(r.stdout + r.stderr).toContain("train-images-idx3-ubyte")
      expect(r.stderr).not.toMatch(/at .*\.ts:\d+/)
      expect(existsSync(join(store, "s", "manifests")) ? readdirSync(join(store, "s", "manifests")) : []).toEqual([])
    } finally {
      rmSync(store, { recursive: true, force: true })
    }
  }, 60_000)

  it("--backend webgpu with no usable adapter exits 2 with the reason before any stage runs", async () => {
    const store = mkdtempSync(join(tmpdir(), "ganflow-no-gpu-"))
    try {
      const env: Record<string, string> = { VK_ICD_FILENAMES: join(store, "no-such-icd.json"), GANFLOW_WEBGPU_SOFTWARE: "" }
      const r = await ganflow(["run", "dcgan-anime", "--store", store, "--backend", "webgpu"], env)
      expect(r.code).toBe(2)
      expect(r.stderr).toMatch(/webgpu/i)
      expect(r.stderr).toMatch(/Vulkan|adapter|Dawn/)
      expect(r.stdout).not.toMatch(/running:/)
      expect(existsSync(join(store, "manifests"))).toBe(false)
    } finally {
      rmSync(store, { recursive: true, force: true })
    }
  }, 60_000)
})
