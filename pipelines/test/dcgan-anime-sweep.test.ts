/**
 * `ganflow sweep` on dcgan-anime (tiny config, through the real CLI): a 2 x 2 grid x 3 seeds sweep computes data and
 * reference statistics once, is killed with SIGKILL part-way, and its rerun finishes only the missing variants (the
 * finished ones are all cache hits) and prints the mean ± std table; a variant whose learning rate blows up fails
 * and is listed with its error while the other finishes; bad definitions exit 2 with the axis and value named and
 * nothing run.
 */
import { describe, expect, it } from "vitest"
import { spawn, spawnSync } from "node:child_process"
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { tinyAnimeParams } from "./tiny-anime-params.ts"
import { findWorkspaceRoot, LocalSweepRecords, openLocalStore, type RunRecord, type SweepTable } from "@ganflow/core"

const root = findWorkspaceRoot()
const ganflowBin = join(root, "packages/cli/bin/ganflow.mjs")

/** The dcgan-anime test's tiny config, without the interpolation strip. */
const tiny = { ...tinyAnimeParams, "samples.interpolationRows": 0 }

const ganflow = (args: ReadonlyArray<string>) => {
  const r = spawnSync(process.execPath, [ganflowBin, ...args], { cwd: root, encoding: "utf8", timeout: 240_000 })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

const waitFor = async (cond: () => boolean, ms: number, what: string, log: () => string) => {
  const t0 = Date.now()
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}; output so far:\n${log()}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

describe("ganflow sweep on dcgan-anime", () => {
  it("2 x 2 grid x 3 seeds: data and reference once, killed with SIGKILL and rerun finishing only the missing variants, mean ± std table, JSON/CSV and HTML report", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ganflow-sweep-"))
    const store = join(dir, "store")
    const params = join(dir, "tiny.json")
    writeFileSync(params, JSON.stringify(tiny))
    const sweep = ["sweep", "dcgan-anime", "--params", params, "--grid", "train.generatorLearningRate=1e-4,2e-4", "--grid", "train.loss=bce,hinge", "--seeds", "0..2", "--only", "fid,samples", "--store", store]
    try {
      // the first attempt, one variant at a time, killed once three variants have finished
      let out = ""
      const child = spawn(process.execPath, [ganflowBin, ...sweep, "--jobs", "1"], { cwd: root, stdio: ["ignore", "pipe", "pipe"] })
      child.stdout!.on("data", (d) => (out += String(d)))
      child.stderr!.on("data", (d) => (out += String(d)))
      const records = new LocalSweepRecords(store)
      const finished = () => {
        const id = records.sweepIds()[0]
        return id === undefined ? [] : records.readSweep(id)!.variants.filter((v) => v.status === "ok")
      }
      await waitFor(() => finished().length >= 3, 120_000, "three finished variants", () => out)
      child.kill("SIGKILL")
      await new Promise((r) => child.once("exit", r))
      const before = new Set(finished().map((v) => v.id))
      expect(before.size).toBeGreaterThanOrEqual(3)
      expect(before.size).toBeLessThan(12)

      // the rerun continues the same record: the finished variants are all hits, the others run
      const rerun = ganflow([...sweep, "--jobs", "2"])
      expect(rerun.status).toBe(0)
      expect(rerun.stdout).toMatch(new RegExp(`continuing: ${before.size} of 12 variants had finished`))
      const [id] = records.sweepIds()
      const record = records.readSweep(id!)!
      expect(record.attempts).toBe(2)
      expect(record.variants.every((v) => v.status === "ok")).toBe(true)
      for (const v of record.variants) {
        if (before.has(v.id)) expect({ variant: v.id, ran: v.ran }).toEqual({ variant: v.id, ran: 0 })
        else expect({ variant: v.id, ran: v.ran > 0 }).toEqual({ variant: v.id, ran: true })
      }

      // data and reference computed once for the whole sweep, across both attempts
      const runs = openLocalStore(store)
      const all = runs.runs.runIds().map((r) => runs.runs.readRun(r) as unknown as RunRecord)
      for (const stage of ["data", "reference"]) expect({ stage, ran: all.flatMap((r) => r.stages).filter((s) => s.name === stage && s.status === "ran").length }).toEqual({ stage, ran: 1 })
      expect(rerun.stdout).toMatch(/computed once for all variants: data, reference/)
      expect(rerun.stdout).toMatch(/stage executions: 60 in 12 variants; \d+ ran, \d+ answered from the cache/)

      // the table: four configurations, three seeds each, mean ± std of the best and final FID
      expect(rerun.stdout).toMatch(/generatorLearningRate\s+loss\s+seeds\s+failed\s+fid best\s+fid final\s+kid best\s+kid final/)
      const rows = rerun.stdout.split("\n").filter((l) => /^\s+\d\s+0\.000[12]\s+(bce|hinge)\s+3\s+0\s+\S+ ± \S+/.test(l))
      expect(rows).toHaveLength(4)
      const json = ganflow(["sweep-report", "latest", "--store", store, "--json", "--sort", "fid:final"])
      expect(json.status).toBe(0)
      const table = JSON.parse(json.stdout) as SweepTable
      expect(table.sortedBy).toEqual({ metric: "fid.fid@random-cnn-seed0", statistic: "final" })
      expect(table.rows.map((r) => r.seeds)).toEqual([[0, 1, 2], [0, 1, 2], [0, 1, 2], [0, 1, 2]])
      const finals = table.rows.map((r) => r.metrics["fid.fid@random-cnn-seed0"]!.final.mean)
      expect([...finals].sort((a, b) => a - b)).toEqual(finals)
      for (const r of table.rows) expect(r.metrics["fid.fid@random-cnn-seed0"]!.final.std).toBeGreaterThan(0)
      const csv = ganflow(["sweep-report", id!, "--store", store, "--csv"])
      expect(csv.stdout.split("\n")[0]).toMatch(/^configuration,train.generatorLearningRate,train.loss,seeds,failures,not_run,.*fid.fid@random-cnn-seed0 best mean/)
      const html = readFileSync(join(store, "reports", `sweep-${id}.html`), "utf8")
      expect(html).toContain("Params that differ")
      expect((html.match(/<polygon fill="#/g) ?? []).length).toBeGreaterThanOrEqual(8) // a min–max band per configuration, FID and KID
      expect((html.match(/<img src="[^"]*checkpoints\/step-00000[24]\.png"/g) ?? []).length).toBe(4) // each configuration's best grid

      const listed = ganflow(["sweeps", "--store", store])
      expect(listed.stdout).toMatch(new RegExp(`${id}\\s+ok\\s+dcgan-anime\\s+12 variants \\(4 configurations\\): 12 ok, 0 failed, 0 not run`))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 300_000)

  it("a variant whose learning rate blows up fails and is listed with its error; the other finishes (exit 1)", () => {
    const dir = mkdtempSync(join(tmpdir(), "ganflow-sweep-fail-"))
    try {
      const params = join(dir, "tiny.json")
      writeFileSync(params, JSON.stringify(tiny))
      const r = ganflow(["sweep", "dcgan-anime", "--params", params, "--grid", "train.generatorLearningRate=2e-4,1e9", "--only", "fid", "--store", join(dir, "store")])
      expect(r.status).toBe(1)
      expect(r.stdout).toMatch(/v01 generatorLearningRate=0.0002: ok/)
      expect(r.stdout).toMatch(/v02 generatorLearningRate=1000000000: failed: \w+: stage \w+ failed/)
      expect(r.stdout).toMatch(/^\s+1\s+0.0002\s+1\s+0\s+\d/m)
      expect(r.stdout).toMatch(/^\s+2\s+1000000000\s+0\s+1\s+-/m)
      expect(r.stderr).toMatch(/sweep dcgan-anime-\w+: 1 variant did not finish:\n\s+v02 train.generatorLearningRate=1000000000: /)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 120_000)

  it("bad definitions exit 2 naming the axis and value, and run nothing", () => {
    const dir = mkdtempSync(join(tmpdir(), "ganflow-sweep-bad-"))
    const store = join(dir, "store")
    try {
      const cases: Array<[ReadonlyArray<string>, RegExp]> = [
        [["--grid", "train.generatorLearningRat=1e-4,2e-4"], /sweep axis train.generatorLearningRat \(every value\): train.params.generatorLearningRat: unknown key \(did you mean generatorLearningRate\?\)/],
        [["--grid", "trian.loss=bce"], /sweep axis trian.loss, value "bce": no stage named trian \(did you mean train\?\)/],
        [["--grid", "train.loss="], /sweep axis train.loss \(grid\) is empty: give at least one value/],
        [["--grid", "train.loss=bce,wassersteinish"], /sweep axis train.loss, value "wassersteinish": train.params.loss: must be /],
        [["--grid", "train.batchSize=8,-1"], /sweep axis train.batchSize, value -1: train.params.batchSize: must be positive \(was -1\)/],
        [["--seeds", "0..2", "--seed-param", "train.sead"], /seed param train.sead: train has no numeric param sead/],
      ]
      for (const [args, message] of cases) {
        const r = ganflow(["sweep", "dcgan-anime", ...args, "--store", store])
        expect({ args, status: r.status }).toEqual({ args, status: 2 })
        expect(r.stderr).toMatch(message)
        expect(r.stderr).toMatch(/nothing was run/)
      }
      const file = join(dir, "bad.json")
      writeFileSync(file, JSON.stringify({ grid: { "train.loss": ["bce"] }, zip: { "train.generatorLearningRate": [1e-4, 2e-4], "train.discriminatorLearningRate": [1e-4] } }))
      const r = ganflow(["sweep", "dcgan-anime", "--file", file, "--store", store])
      expect(r.status).toBe(2)
      expect(r.stderr).toMatch(/zip axes must have as many values each: train.generatorLearningRate has 2, train.discriminatorLearningRate has 1/)
      expect(existsSync(store)).toBe(false)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 120_000)
})
