/**
 * Never silently wrong, through the `ganflow` CLI in child processes: engine and store failures fail the run
 * (no false "ok"), tampered views and flipped bytes are found (by the run or by `ganflow verify`), gc leaves a
 * live run's checkpoints alone, damaged run records are named, and a read-only store still serves cached results.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { execFile, spawn, spawnSync } from "node:child_process"
import {
  chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync,
} from "node:fs"
import { join, relative } from "node:path"
import { ganflowBin, makeWorkspace, waitFor } from "./test-workspace.ts"

let ws: ReturnType<typeof makeWorkspace>
beforeEach(() => {
  ws = makeWorkspace()
  ws.write("data/in.txt", "one\ntwo\n")
  ws.write(
    "pipelines/src/p.ts",
    `import { Effect } from "effect"
import { type } from "arktype"
import { existsSync, readFileSync, writeFileSync, mkdirSync } from "node:fs"
import { join } from "node:path"
import { defineStage, file, pipeline, upstream, fileInput, StageCheckpoints, StageEvents } from "@ganflow/core"

const copy = defineStage({
  name: "copy",
  params: type({ suffix: "string = ''", rate: "number = 1" }),
  inputs: { src: fileInput() },
  run: ({ inputs, outDir, params }) => Effect.gen(function* () {
    const { metric } = yield* StageEvents
    writeFileSync(join(outDir, "out.txt"), readFileSync(inputs.src.path, "utf8") + params.suffix)
    metric("size", 8)
    return null
  }),
})
const upper = defineStage({
  name: "upper",
  params: type({ n: "number = 1" }),
  inputs: { src: upstream() },
  run: ({ inputs, outDir }) => Effect.sync(() => {
    writeFileSync(join(outDir, "upper.txt"), readFileSync(inputs.src.path("out.txt"), "utf8").toUpperCase())
    return null
  }),
})
const trainer = defineStage({
  name: "trainer",
  params: type({ steps: "number.integer = 3" }),
  resumeOmits: ["steps"],
  inputs: { src: upstream() },
  run: ({ params, outDir }) => Effect.gen(function* () {
    const checkpoints = yield* StageCheckpoints
    const { log } = yield* StageEvents
    const from = checkpoints.latest()?.step ?? 0
    log(\`resume from \${from}\`)
    for (let step = from + 1; step <= params.steps; step++) {
      const dir = checkpoints.scratch()
      writeFileSync(join(dir, "weights.bin"), "w".repeat(1000) + step)
      checkpoints.save(step, dir, { step })
    }
    const marker = process.env.GANFLOW_TEST_MARKER
    if (marker) writeFileSync(marker, String(process.pid))
    const hold = process.env.GANFLOW_TEST_HOLD
    while (hold && existsSync(hold)) yield* Effect.sleep(50)
    mkdirSync(join(outDir, "g"))
    writeFileSync(join(outDir, "g", "final.txt"), "trained " + params.steps)
    return { steps: params.steps }
  }),
})
const a = copy.as("a", { inputs: { src: file("data/in.txt") } })
export default pipeline({
  name: "p",
  stages: [
    a,
    upper.as("b", { inputs: { src: a } }),
    trainer.as("t", { inputs: { src: a } }),
  ],
  results: ["b/upper.txt", "t/g/final.txt"],
})
`,
  )
})
afterEach(() => {
  for (const m of mounted.splice(0)) spawnSync("umount", ["-l", m])
  ws.cleanup()
})

const ganflow = (args: string[], env: Record<string, string> = {}) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [ganflowBin, ...args], { cwd: ws.root, env: { ...process.env, ...env } }, (err, stdout, stderr) =>
      resolve({ code: err === null ? 0 : typeof err.code === "number" ? err.code : 1, stdout, stderr }),
    )
  })

const statuses = (stdout: string) => Object.fromEntries([...stdout.matchAll(/^\s+([=>✓✗-])\s+(\w+)\s/gm)].map((m) => [m[2], m[1]]))

/** Output folder of a stage in the latest run (from the run record). */
const dirOf = (stage: string): string => {
  const runs = readdirSync(ws.path(".ganflow/runs")).sort()
  const record = JSON.parse(readFileSync(ws.path(`.ganflow/runs/${runs.at(-1)}`), "utf8")) as { stages: Array<{ name: string; dir: string }> }
  return record.stages.find((s) => s.name === stage)!.dir
}

/** Every regular file under `dir`, recursively. */
const filesUnder = (dir: string): string[] =>
  existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? filesUnder(join(dir, d.name)) : d.isFile() ? [join(dir, d.name)] : [])) : []

/** Change one byte of a file in place, keeping its size, mode and mtime (as bit rot or a careful edit would). */
const flipByte = (path: string, at: number, xor: number) => {
  const st = statSync(path)
  chmodSync(path, 0o644)
  const bytes = readFileSync(path)
  bytes[at] = bytes[at]! ^ xor
  writeFileSync(path, bytes)
  chmodSync(path, st.mode & 0o777)
  utimesSync(path, st.atime, st.mtime)
}

const mounted: string[] = []
/** Mount a folder read-only (a bind mount), or a tiny tmpfs; root only. Returns false when mounting is not possible. */
const canMount = (() => {
  if (process.getuid?.() !== 0) return false
  const probe = join(makeWorkspace().root, "probe")
  mkdirSync(probe)
  const ok = spawnSync("mount", ["--bind", probe, probe]).status === 0
  if (ok) spawnSync("umount", [probe])
  return ok
})()
const mountReadOnly = (dir: string) => {
  expect(spawnSync("mount", ["--bind", dir, dir]).status).toBe(0)
  mounted.push(dir)
  expect(spawnSync("mount", ["-o", "remount,ro,bind", dir]).status).toBe(0)
}
const unmount = (dir: string) => {
  spawnSync("umount", [dir])
  mounted.splice(mounted.indexOf(dir), 1)
}

describe("no false ok", () => {
  it("rejects non-finite params before anything runs (exit 2, naming the path)", async () => {
    const r = await ganflow(["run", "p", "--set", "b.n=1e999"])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain("b.params.n: must be a finite number (was Infinity)")
    expect(r.stdout).not.toContain("ok")
    expect(existsSync(ws.path(".ganflow/manifests"))).toBe(false)
  }, 60_000)

  it.skipIf(!canMount)("a read-only objects folder fails the stage that must write (exit 1, naming stage and store); verify stays clean", async () => {
    expect((await ganflow(["run", "p"])).code).toBe(0)
    mountReadOnly(ws.path(".ganflow/objects"))
    const r = await ganflow(["run", "p", "--set", "b.n=7"])
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/✗ b\s+FAILED: stage b failed: .*(read-only|different file systems)/)
    expect(r.stderr).toContain("pipeline p failed")
    expect(r.stdout).not.toMatch(/^ganflow: ok/m)
    const record = JSON.parse(readFileSync(ws.path(`.ganflow/runs/${readdirSync(ws.path(".ganflow/runs")).sort().at(-1)}`), "utf8"))
    expect(record.status).toBe("failed")
    expect(record.stages.map((s: { status: string }) => s.status)).toEqual(["cached", "failed", "cached"])
    unmount(ws.path(".ganflow/objects"))
    expect((await ganflow(["verify"])).code).toBe(0)
  }, 60_000)

  it.skipIf(!canMount)("a read-only store with every stage cached still prints the results; a stage that must run fails in one line", async () => {
    expect((await ganflow(["run", "p"])).code).toBe(0)
    mountReadOnly(ws.path(".ganflow"))
    const cached = await ganflow(["run", "p"])
    expect(cached.code).toBe(0)
    expect(Object.values(statuses(cached.stdout))).toEqual(["=", "=", "="])
    expect(cached.stdout).toMatch(/b\/upper\.txt\s+\S+upper\.txt/)
    expect(cached.stdout).toContain("run record not written")
    expect(cached.stderr).toBe("")
    const stale = await ganflow(["run", "p", "--set", "a.suffix=x"])
    expect(stale.code).toBe(1)
    expect(stale.stdout).toMatch(/✗ a\s+FAILED: .*read-only file system.*--store/)
    expect(stale.stderr).not.toMatch(/at .*\.ts:\d+/) // no stack trace
    unmount(ws.path(".ganflow"))
  }, 60_000)

  it.skipIf(!canMount)("a store out of inodes fails loudly, and nothing half-written is used afterwards", async () => {
    mkdirSync(ws.path("small"))
    expect(spawnSync("mount", ["-t", "tmpfs", "-o", "size=4m,nr_inodes=40", "tmpfs", ws.path("small")]).status).toBe(0)
    mounted.push(ws.path("small"))
    const r = await ganflow(["run", "p", "--store", ws.path("small/store")])
    expect(r.code).not.toBe(0)
    expect(r.stdout + r.stderr).toMatch(/ENOSPC|out of inodes|full/)
    expect(r.stdout).not.toMatch(/^ganflow: ok/m)
    unmount(ws.path("small"))
  }, 60_000)
})

describe("verified reads", () => {
  it("a view file replaced by a tampered copy is relinked from the object store before a stage reads it", async () => {
    expect((await ganflow(["run", "p"])).code).toBe(0)
    const view = join(dirOf("a"), "out.txt")
    const parent = dirOf("a")
    chmodSync(parent, 0o755)
    renameSync(view, `${view}.orig`)
    writeFileSync(view, "TAMPERED\n")
    renameSync(`${view}.orig`, ws.path("aside.txt"))
    const r = await ganflow(["run", "p", "--set", "b.n=2"])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/view \S+ has a out\.txt that is not the stored object .*rebuilt it/)
    expect(readFileSync(join(dirOf("b"), "upper.txt"), "utf8")).toBe("ONE\nTWO\n")
    expect(readFileSync(view, "utf8")).toBe("one\ntwo\n")
    expect((await ganflow(["verify"])).code).toBe(0)
  }, 60_000)

  it("a same-size edit of an output with its mtime restored is found by the next run (ctime) and by verify", async () => {
    expect((await ganflow(["run", "p"])).code).toBe(0)
    const view = join(dirOf("a"), "out.txt")
    flipByte(view, 0, 0x20)
    const v = await ganflow(["verify"])
    expect(v.code).toBe(1)
    expect(v.stdout).toMatch(/corrupt object\s+\S+objects\S+: content hashes to/)
    const r = await ganflow(["run", "p"])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/> a\s+running: cache entry corrupt, recomputing: object for out\.txt is corrupt/)
    expect(readFileSync(join(dirOf("b"), "upper.txt"), "utf8")).toBe("ONE\nTWO\n")
    expect((await ganflow(["verify"])).code).toBe(0)
  }, 60_000)

  it("an edited metric in a manifest is a logged miss, never shown", async () => {
    expect((await ganflow(["run", "p"])).code).toBe(0)
    const manifests = readdirSync(ws.path(".ganflow/manifests")).map((m) => ws.path(`.ganflow/manifests/${m}`))
    const withMetric = manifests.find((m) => readFileSync(m, "utf8").includes('"size": 8'))!
    const text = readFileSync(withMetric, "utf8")
    flipByte(withMetric, text.indexOf('"size": 8') + 8, 0x01) // 8 -> 9
    expect(readFileSync(withMetric, "utf8")).toContain('"size": 9')
    const r = await ganflow(["run", "p"])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/> a\s+running: cache entry corrupt, recomputing: manifest \S+ does not match its seal/)
    const runs = readdirSync(ws.path(".ganflow/runs")).sort()
    const record = JSON.parse(readFileSync(ws.path(`.ganflow/runs/${runs.at(-1)}`), "utf8"))
    expect(record.stages[0].metrics).toEqual({ size: 8 })
  }, 60_000)

  it("a damaged run record is named by runs, report and diff (exit 2, no stack trace); verify --fix removes it", async () => {
    expect((await ganflow(["run", "p"])).code).toBe(0)
    expect((await ganflow(["run", "p", "--set", "a.suffix=!"])).code).toBe(0)
    const runs = readdirSync(ws.path(".ganflow/runs")).sort()
    const damaged = ws.path(`.ganflow/runs/${runs[0]}`)
    flipByte(damaged, 1, 0x5b) // "{\n" -> "{Q" : not JSON
    for (const args of [["runs"], ["report", runs[0]!.slice(0, -5)], ["diff", runs[0]!.slice(0, -5), runs[1]!.slice(0, -5)]]) {
      const r = await ganflow(args)
      expect(r.code).toBe(2)
      expect(r.stdout + r.stderr).toContain(damaged)
      expect(r.stderr).toContain("ganflow verify --fix")
      expect(r.stderr).not.toMatch(/SyntaxError|at .*\.ts:\d+/)
    }
    expect((await ganflow(["verify", "--fix"])).code).toBe(0)
    expect(existsSync(damaged)).toBe(false)
    expect((await ganflow(["runs"])).code).toBe(0)
  }, 60_000)
})

describe("gc", () => {
  it("gc --keep-latest while a training stage is live removes none of its checkpoints; the run then finishes and resumes from them", async () => {
    expect((await ganflow(["run", "p", "--set", "t.steps=2"])).code).toBe(0) // a superseded entry for gc to remove
    const hold = ws.path("hold")
    const marker = ws.path("t-started")
    writeFileSync(hold, "")
    const child = spawn(process.execPath, [ganflowBin, "run", "p", "--set", "a.suffix=!", "--set", "t.steps=4"], {
      cwd: ws.root,
      env: { ...process.env, GANFLOW_TEST_HOLD: hold, GANFLOW_TEST_MARKER: marker },
      stdio: "ignore",
    })
    await waitFor(() => existsSync(marker), 60_000, "t to save its checkpoints")
    const checkpointFiles = () => filesUnder(ws.path(".ganflow/checkpoints")).map((f) => relative(ws.root, f)).sort()
    const before = checkpointFiles()
    expect(before.filter((f) => f.endsWith(".json"))).toHaveLength(4 + 2)
    const gc = await ganflow(["gc", "--keep-latest"])
    expect(gc.code).toBe(0)
    expect(gc.stdout).toMatch(/left alone \d+ keys held by live runs/)
    const after = checkpointFiles()
    // the live run's checkpoint key (a's output changed, so it differs from the first run's) keeps every file
    const liveKey = before.find((f) => f.endsWith("step-4.json"))!.split("/")[2]!
    const liveFiles = before.filter((f) => f.split("/")[2] === liveKey)
    expect(liveFiles.filter((f) => f.endsWith(".json"))).toHaveLength(4)
    expect(after.filter((f) => f.split("/")[2] === liveKey)).toEqual(liveFiles)
    expect(before.length).toBeGreaterThan(after.length) // the superseded run's older checkpoint did go
    const v = await ganflow(["verify"])
    expect(v.code).toBe(0)
    rmSync(hold)
    const code = await new Promise<number | null>((r) => child.once("exit", r))
    expect(code).toBe(0)
    const more = await ganflow(["run", "p", "--set", "a.suffix=!", "--set", "t.steps=5"])
    expect(more.stdout).toContain("t: resume from 4")
  }, 120_000)

  it("gc prunes temp folders of dead runs and keeps the last checkpoint by default", async () => {
    expect((await ganflow(["run", "p", "--set", "t.steps=3"])).code).toBe(0)
    mkdirSync(ws.path(".ganflow/tmp/t-999999-abcd1234/out"), { recursive: true })
    const gc = await ganflow(["gc"])
    expect(gc.code).toBe(0)
    expect(gc.stdout).toMatch(/2 checkpoints, 1 temp folders of dead runs/)
    expect(readdirSync(ws.path(".ganflow/tmp"))).toEqual([])
    const steps = filesUnder(ws.path(".ganflow/checkpoints")).filter((f) => f.endsWith(".json"))
    expect(steps.map((f) => f.split("/").at(-1))).toEqual(["step-3.json"])
    expect((await ganflow(["gc", "--keep-checkpoints", "zero"])).stderr).toContain("--keep-checkpoints must be a positive count, best, all or auto")
    expect((await ganflow(["gc", "--older-than", "soon"])).code).toBe(2)
  }, 60_000)
})

describe("verify: property test", () => {
  it("finds every one of 50 random byte flips (mtime kept) in objects, views, checkpoints, manifests and run records; after --fix a run gives the clean results", async () => {
    expect((await ganflow(["run", "p"])).code).toBe(0)
    const clean = (steps: number) => ({ b: "ONE\nTWO\n", t: `trained ${steps}` })
    let seed = 12345
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
    const pick = <T>(xs: ReadonlyArray<T>): T => xs[Math.floor(random() * xs.length)]!
    const kinds = ["objects", "out", "checkpoints", "manifests", "runs"]
    // ten rounds, each flipping one byte in one file of every kind at once (50 flips in all): verify must name
    // every damaged file of the round, not only the first it meets
    for (let round = 0; round < 10; round++) {
      const candidatesOf = (kind: string) => filesUnder(ws.path(`.ganflow/${kind}`)).filter((f) => statSync(f).size > 0)
      const targets = kinds.map((kind) => {
        expect(candidatesOf(kind).length, `no ${kind} to damage in round ${round}`).toBeGreaterThan(0)
        const target = pick(candidatesOf(kind))
        flipByte(target, Math.floor(random() * statSync(target).size), 1 + Math.floor(random() * 255))
        return { target, inode: lstatSync(target).ino }
      })
      const v = await ganflow(["verify"])
      expect(v.code, `round ${round}: ${targets.map((t) => t.target).join(", ")}`).toBe(1)
      const reported = [...v.stdout.matchAll(/^\s+corrupt\s+\S+\s+(\S+): /gm)].map((m) => m[1]!)
      for (const { target, inode } of targets) {
        const found = reported.some((p) => p === target || target.startsWith(`${p}/`) || (existsSync(p) && lstatSync(p).ino === inode))
        expect(found, `round ${round}: flip in ${target} not reported; verify said:\n${v.stdout}`).toBe(true)
      }
      expect((await ganflow(["verify", "--fix"])).code).toBe(0)
      expect((await ganflow(["verify"])).code).toBe(0)
      // each run trains one step further, so resuming reads (verified) checkpoints and new ones keep coming
      const r = await ganflow(["run", "p", "--set", `t.steps=${4 + round}`])
      expect(r.code, r.stdout + r.stderr).toBe(0)
      expect({ b: readFileSync(join(dirOf("b"), "upper.txt"), "utf8"), t: readFileSync(join(dirOf("t"), "g/final.txt"), "utf8") }).toEqual(clean(4 + round))
    }
  }, 600_000)
})
