import { describe, expect, it } from "vitest"
import { Effect } from "effect"
import { execFile } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { collectingReporter, findWorkspaceRoot, runPipeline } from "@ganflow/core"
import demo from "../src/demo.ts"
import { parsedSet } from "./run-summary-views.ts"

const root = findWorkspaceRoot()

describe("demo pipeline", () => {
  it("runs, is fully cached on a rerun, and reruns only counts and its downstream when counts' params change", async () => {
    const storeDir = mkdtempSync(join(tmpdir(), "ganflow-demo-"))
    try {
      const first = await Effect.runPromise(runPipeline(demo, { root, storeDir, reporter: collectingReporter() }))
      expect(first.stages.map((s) => s.status)).toEqual(["ran", "ran", "ran", "ran", "ran"])
      const summary = first.stages.find((s) => s.name === "summary")!
      expect(readFileSync(join(summary.dir!, "summary.md"), "utf8")).toMatch(/^# Corpus summary\n\n\d+ lines, \d+ characters\.\n\nTop words: the, /)
      const second = await Effect.runPromise(runPipeline(demo, { root, storeDir }))
      expect(second.stages.map((s) => s.status)).toEqual(["cached", "cached", "cached", "cached", "cached"])
      const third = await Effect.runPromise(runPipeline(demo, { root, storeDir, overrides: parsedSet(["counts.minLength=4"]) }))
      expect(Object.fromEntries(third.stages.map((s) => [s.name, s.status]))).toEqual({ corpus: "cached", counts: "ran", top: "ran", stats: "cached", summary: "ran" })
    } finally {
      rmSync(storeDir, { recursive: true, force: true })
    }
  })

  it("is an Nx target: nx run pipelines:demo forwards --set and --store to ganflow", async () => {
    const storeDir = mkdtempSync(join(tmpdir(), "ganflow-nx-"))
    try {
      const out = await new Promise<string>((resolve, reject) =>
        execFile(
          join(root, "node_modules", ".bin", "nx"),
          ["run", "pipelines:demo", "--set", "top.k=2", "--store", storeDir],
          { cwd: root, env: { ...process.env, NX_DAEMON: "false", NX_TUI: "false", NX_NO_CLOUD: "true" } },
          (err, stdout, stderr) => (err === null ? resolve(stdout) : reject(new Error(`${err.message}\n${stdout}\n${stderr}`))),
        ),
      )
      expect(out).toContain("ganflow: demo (5 stages)")
      expect(out).toMatch(/✓ top\s+done/)
      expect(out).toContain("ganflow: ok in")
    } finally {
      rmSync(storeDir, { recursive: true, force: true })
    }
  }, 120_000)
})
