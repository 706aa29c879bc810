/**
 * A second, independent audit of issue 11 ("never silently wrong") through the `ganflow` CLI: behaviour-level
 * checks (exit code class, no false "ok", no stack trace, `ganflow verify` clean afterwards) for the repros the
 * first suite (integrity.test.ts) does not cover the same way: read-only index folder, every inode/space level,
 * a corrupt checkpoint whose object an earlier output shares, checkpoint retention N/all and --older-than, and a
 * live real training run under `gc --keep-latest`.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { execFile, execFileSync, spawn } from "node:child_process"
import {
  chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync,
} from "node:fs"
import { join } from "node:path"
import { copyStageModule, ganflowBin, makeWorkspace, repoRoot, waitFor } from "./test-workspace.ts"

let ws: ReturnType<typeof makeWorkspace>
let store: string
beforeEach(() => {
  ws = makeWorkspace()
  store = ws.path(".ganflow")
  ws.write("data/in.txt", "one\ntwo\n")
  ws.write(
    "pipelines/src/p.ts",
    `${copyStageModule}// a "training" stage: a checkpoint every step, held while GANFLOW_TEST_HOLD exists
const fit = defineStage({
  name: "fit",
  params: type({ steps: "number.integer = 3", scale: "number = 1" }),
  inputs: { src: upstream() },
  resumeOmits: ["steps"],
  run: ({ inputs, outDir, params }) => Effect.gen(function* () {
    const checkpoints = yield* StageCheckpoints
    const text = readFileSync(inputs.src.path("out.txt"), "utf8")
    const start = checkpoints.latest()
    let w = start === undefined ? 0 : Number(readFileSync(join(start.dir, "w.txt"), "utf8"))
    for (let step = (start?.step ?? 0) + 1; step <= params.steps; step++) {
      w += text.length * params.scale
      const dir = checkpoints.scratch()
      writeFileSync(join(dir, "w.txt"), String(w))
      checkpoints.save(step, dir, { step })
      const hold = process.env.GANFLOW_TEST_HOLD
      if (hold && step === 2) {
        writeFileSync(hold + ".reached", "")
        while (existsSync(hold)) yield* Effect.sleep(50)
      }
    }
    mkdirSync(join(outDir, "model"))
    writeFileSync(join(outDir, "model", "w.txt"), String(w))
    return { steps: params.steps, checkpoints: checkpoints.list().map((c) => c.step) }
  }),
})
const a = copy.as("a", { inputs: { src: file("data/in.txt") } })
export default pipeline({
  name: "p",
  stages: [a, fit.as("fit", { inputs: { src: a } })],
})
`,
  )
})
afterEach(() => ws.cleanup())

type Result = { code: number; stdout: string; stderr: string }
const ganflow = (args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) =>
  new Promise<Result>((resolve) => {
    execFile(process.execPath, [ganflowBin, ...args], { cwd: options.cwd ?? ws.root, env: { ...process.env, ...options.env } }, (err, stdout, stderr) =>
      resolve({ code: err === null ? 0 : typeof err.code === "number" ? err.code : 1, stdout, stderr }),
    )
  })

/** Files under `dir`, relative. */
const walk = (dir: string, prefix = ""): string[] =>
  existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
        d.isDirectory() ? walk(join(dir, d.name), `${prefix}${d.name}/`) : [`${prefix}${d.name}`],
      )
    : []

/** The stage outputs of the latest run record: instance -> output digest. */
const latestOutputs = (storeDir: string) => {
  const runs = readdirSync(join(storeDir, "runs")).sort()
  const record = JSON.parse(readFileSync(join(storeDir, "runs", runs.at(-1)!), "utf8")) as { status: string; stages: Array<{ name: string; status: string; outputDigest: string }> }
  return { status: record.status, outputs: Object.fromEntries(record.stages.map((s) => [s.name, s.outputDigest])), statuses: record.stages.map((s) => s.status) }
}

/** Flip one byte of `path` (chmod'ing it writable if needed) and restore its mtime and mode, as silent corruption would. */
const flipByte = (path: string, random: () => number) => {
  const before = statSync(path)
  const bytes = readFileSync(path)
  const at = Math.floor(random() * bytes.length)
  bytes[at] = bytes[at]! ^ (1 + Math.floor(random() * 255))
  chmodSync(path, 0o644)
  writeFileSync(path, bytes)
  chmodSync(path, before.mode & 0o777)
  utimesSync(path, before.atime, before.mtime)
}

/** Whether this process may mount (root in a container may not). */
const mountWorks = (() => {
  const dir = join(repoRoot, ".test-work", `mount-probe-${process.pid}`)
  mkdirSync(dir, { recursive: true })
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", dir], { stdio: "ignore" })
    execFileSync("umount", [dir], { stdio: "ignore" })
    return true
  } catch {
    return false
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})()
const noMount = mountWorks ? false : "mount is not permitted here (needs root with CAP_SYS_ADMIN)"

describe("no false success", () => {
  it.skipIf(noMount)("a read-only objects, index or tmp folder fails the stage that hit it, naming the folder as read-only (mkdir -p there reports ENOENT); a read-only runs folder fails a run that ran stages (exit 3); verify stays clean", async () => {
    expect((await ganflow(["run", "p"])).code).toBe(0)
    for (const sub of ["objects", "index", "tmp"]) {
      const dir = join(store, sub)
      execFileSync("mount", ["--bind", dir, dir])
      try {
        execFileSync("mount", ["-o", "remount,ro,bind", dir])
        const r = await ganflow(["run", "p", "--set", `a.suffix=${sub}`])
        expect(r.code, r.stdout + r.stderr).not.toBe(0)
        expect(r.stdout).not.toMatch(/ganflow: ok/)
        expect(r.stderr).toMatch(/read-only|EROFS/)
        expect(r.stderr).toContain(`${store}/${sub}`)
        expect(r.stderr).toContain("fit: upstream a failed")
        expect(r.stderr).not.toMatch(/^\s+at /m)
        const record = latestOutputs(store)
        expect(record.status).toBe("failed")
        expect(record.statuses).not.toContain("pending")
      } finally {
        execFileSync("umount", [dir])
      }
      const verify = await ganflow(["verify"])
      expect(verify.code, verify.stdout).toBe(0)
    }
    // stages that ran but whose run cannot be recorded: not "ok" (runs, report and diff would silently lack it)
    const runs = join(store, "runs")
    execFileSync("mount", ["--bind", runs, runs])
    try {
      execFileSync("mount", ["-o", "remount,ro,bind", runs])
      const r = await ganflow(["run", "p", "--set", "a.suffix=runs"])
      expect(r.code, r.stdout + r.stderr).toBe(3)
      expect(r.stdout).not.toMatch(/ganflow: ok/)
      expect(r.stderr).toMatch(new RegExp(`${runs}/.*read-only.*the stages that ran are stored`))
    } finally {
      execFileSync("umount", [runs])
    }
    const again = await ganflow(["run", "p", "--set", "a.suffix=runs"])
    expect(again.stdout).toMatch(/= a\s+cached/)
    expect((await ganflow(["verify"])).code).toBe(0)
  }, 120_000)

  it.skipIf(noMount)("out of inodes or space at every level: a run is ok with every stage accounted for, or fails naming the cause; verify is clean after", async () => {
    const dir = ws.path("small")
    mkdirSync(dir)
    const seen = new Set<string>()
    for (const [inodes, size] of [[8, "1m"], [24, "1m"], [400, "8k"], [400, "1m"]] as const) {
      execFileSync("mount", ["-t", "tmpfs", "-o", `size=${size},nr_inodes=${inodes}`, "tmpfs", dir])
      try {
        const r = await ganflow(["run", "p", "--store", dir])
        if (r.code === 0) {
          expect(r.stdout).toMatch(/ganflow: ok/)
          expect(latestOutputs(dir).statuses.every((s) => s === "ran" || s === "cached")).toBe(true)
          seen.add("ok")
        } else {
          expect(r.stdout + r.stderr).not.toMatch(/ganflow: ok/)
          expect(r.stderr).toMatch(/full|inodes|ENOSPC|cannot be written/)
          expect(r.stderr).not.toMatch(/^\s+at /m)
          seen.add("failed")
        }
        const v = await ganflow(["verify", "--store", dir])
        expect(v.code, v.stdout + v.stderr).toBe(0)
      } finally {
        execFileSync("umount", [dir])
      }
    }
    expect([...seen].sort()).toEqual(["failed", "ok"])
  }, 180_000)
})

describe("checkpoints", () => {
  it("a corrupt newest checkpoint (its object shared with an earlier output) is skipped on resume; the run resumes from the newest valid one and verify is clean after", async () => {
    expect((await ganflow(["run", "p"])).code).toBe(0)
    const ckey = readdirSync(join(store, "checkpoints"))[0]!
    const object = lstatSync(join(store, "checkpoints", ckey, "step-3", "w.txt"))
    const objectPath = walk(join(store, "objects")).map((f) => join(store, "objects", f)).find((p) => lstatSync(p).ino === object.ino)!
    flipByte(objectPath, () => 0.5)
    const r = await ganflow(["run", "p", "--set", "fit.steps=5"])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout + r.stderr).toMatch(/step 3.*corrupt|corrupt.*step 3/)
    const fitDir = (JSON.parse(readFileSync(join(store, "runs", readdirSync(join(store, "runs")).sort().at(-1)!), "utf8")) as { stages: Array<{ name: string; dir: string }> }).stages.find((s) => s.name === "fit")!.dir
    expect(readFileSync(join(fitDir, "model", "w.txt"), "utf8")).toBe(String(8 * 5))
    const after = await ganflow(["verify"])
    expect(after.code, after.stdout + after.stderr).toBe(0)
  }, 60_000)
})

describe("gc", () => {
  it("gc --keep-latest while a real training run (vanilla-gan-mnist, tiny) is live removes none of its checkpoints, and its snapshots list every one", async () => {
    const gst = ws.path("gan-store")
    const tiny = ["--only", "train", "--store", gst, "--set", "data.count=64", "--set", "train.batchSize=8", "--set", "train.checkpointEvery=2"]
    const earlier = await ganflow(["run", "vanilla-gan-mnist", ...tiny, "--set", "train.steps=4", "--set", "train.seed=1"], { cwd: repoRoot })
    expect(earlier.code, earlier.stderr).toBe(0)
    const child = spawn(process.execPath, [ganflowBin, "run", "vanilla-gan-mnist", ...tiny, "--set", "train.steps=24"], { cwd: repoRoot, stdio: "ignore" })
    const exited = new Promise<number | null>((r) => child.once("exit", r))
    const liveSteps = () =>
      readdirSync(join(gst, "checkpoints")).flatMap((c) => readdirSync(join(gst, "checkpoints", c)).filter((f) => f.endsWith(".json")).map((f) => `${c}/${f}`))
    const before = new Set(liveSteps())
    try {
      await waitFor(() => liveSteps().filter((f) => !before.has(f)).length >= 2, 120_000, "two checkpoints of the live training run")
      const saved = liveSteps().filter((f) => !before.has(f))
      const gc = await ganflow(["gc", "--keep-latest", "--store", gst])
      expect(gc.code, gc.stderr).toBe(0)
      expect(child.exitCode, "the training run was still live while gc ran").toBe(null)
      const after = new Set(liveSteps())
      for (const f of saved) expect(after.has(f), `${f} survived gc`).toBe(true)
      expect(await exited).toBe(0)
    } finally {
      child.kill("SIGKILL")
    }
    const record = latestOutputs(gst)
    expect(record.status).toBe("ok")
    const train = readdirSync(join(gst, "manifests")).map((m) => JSON.parse(readFileSync(join(gst, "manifests", m), "utf8"))).find((m) => m.instance === "train" && m.value.step === 24)
    expect(train.value.checkpoints).toEqual(Array.from({ length: 12 }, (_, i) => 2 * (i + 1)))
    expect((await ganflow(["verify", "--store", gst])).code).toBe(0)
  }, 240_000)

  it("checkpoint retention: default keeps the last (and any a metric refers to), N keeps the last N, all keeps all; --older-than drops old runs", async () => {
    expect((await ganflow(["run", "p", "--set", "fit.steps=6"])).code).toBe(0)
    const ckey = readdirSync(join(store, "checkpoints"))[0]!
    const steps = () => readdirSync(join(store, "checkpoints", ckey)).filter((f) => f.endsWith(".json")).sort()
    expect(steps()).toHaveLength(6)
    expect((await ganflow(["gc", "--keep-checkpoints", "all"])).code).toBe(0)
    expect(steps()).toHaveLength(6)
    expect((await ganflow(["gc", "--keep-checkpoints", "3"])).code).toBe(0)
    expect(steps()).toEqual(["step-4.json", "step-5.json", "step-6.json"])
    expect((await ganflow(["gc"])).code).toBe(0)
    expect(steps()).toEqual(["step-6.json"])
    const bad = await ganflow(["gc", "--keep-checkpoints", "some"])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain("--keep-checkpoints")
    const runs = () => readdirSync(join(store, "runs")).length
    expect(runs()).toBe(1)
    expect((await ganflow(["gc", "--older-than", "30d"])).code).toBe(0)
    expect(runs()).toBe(1)
    await new Promise((r) => setTimeout(r, 1100))
    expect((await ganflow(["gc", "--older-than", "1s"])).code).toBe(0)
    expect(runs()).toBe(0)
    expect((await ganflow(["verify"])).code).toBe(0)
  }, 60_000)
})
