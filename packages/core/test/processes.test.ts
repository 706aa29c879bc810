/**
 * The engine as users drive it, through the `ganflow` CLI in child processes: kill -9 mid-stage, two
 * concurrent runs, exit codes and messages for bad input, and watch mode.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { execFile, spawn, type ChildProcess } from "node:child_process"
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { copyStageModule, ganflowBin, makeWorkspace, waitFor } from "./test-workspace.ts"

let ws: ReturnType<typeof makeWorkspace>
beforeEach(() => {
  ws = makeWorkspace()
  ws.write("data/in.txt", "one\ntwo\n")
  ws.write("data/other.txt", "other\n")
  ws.write(
    "pipelines/src/p.ts",
    `${copyStageModule}const slow = defineStage({
  name: "slow",
  params: type({ n: "number = 1" }),
  inputs: { src: upstream() },
  run: ({ inputs, outDir }) => Effect.gen(function* () {
    writeFileSync(join(outDir, "partial.txt"), "partial")
    const marker = process.env.GANFLOW_TEST_MARKER
    if (marker) writeFileSync(marker, String(process.pid))
    yield* Effect.sleep(Number(process.env.GANFLOW_TEST_SLOW_MS ?? "0"))
    const hold = process.env.GANFLOW_TEST_HOLD
    while (hold && existsSync(hold)) yield* Effect.sleep(50)
    writeFileSync(join(outDir, "slow.txt"), readFileSync(inputs.src.path("out.txt"), "utf8").toUpperCase())
    return null
  }),
})
const a = copy.as("a", { inputs: { src: file("data/in.txt") } })
export default pipeline({
  name: "p",
  stages: [
    a,
    slow.as("b", { inputs: { src: a } }),
    copy.as("c", { inputs: { src: file("data/other.txt") } }),
  ],
})
`,
  )
})
afterEach(() => ws.cleanup())

const ganflow = (args: string[], env: Record<string, string> = {}) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [ganflowBin, ...args], { cwd: ws.root, env: { ...process.env, ...env } }, (err, stdout, stderr) =>
      resolve({ code: err === null ? 0 : typeof err.code === "number" ? err.code : 1, stdout, stderr }),
    )
  })

const statuses = (stdout: string) =>
  Object.fromEntries([...stdout.matchAll(/^\s+([=>✓✗-])\s+(\w+)\s/gm)].map((m) => [m[2], m[1]]))

describe("ganflow CLI", () => {
  it("kill -9 mid-stage: the rerun uses no partial entry, reruns that stage, and finished stages are hits", async () => {
    const marker = ws.path("started.pid")
    const child = spawn(process.execPath, [ganflowBin, "run", "p", "--jobs", "1"], {
      cwd: ws.root,
      env: { ...process.env, GANFLOW_TEST_MARKER: marker, GANFLOW_TEST_SLOW_MS: "60000" },
      stdio: "ignore",
    })
    await waitFor(() => existsSync(marker), 60_000, "stage b to start")
    child.kill("SIGKILL")
    await new Promise((r) => child.once("exit", r))
    expect(readdirSync(ws.path(".ganflow/tmp")).some((d) => d.startsWith("b-"))).toBe(true)
    const again = await ganflow(["run", "p"])
    expect(again.code).toBe(0)
    const s = statuses(again.stdout)
    expect(s["a"]).toBe("=")
    expect(s["b"]).toBe("✓")
    expect(again.stdout).toMatch(/> b\s+running: never run before/)
    const gc = await ganflow(["gc"])
    expect(gc.code).toBe(0)
    expect(readdirSync(ws.path(".ganflow/tmp"))).toEqual([])
    expect(readdirSync(ws.path(".ganflow/locks"))).toEqual([])
  }, 120_000)

  it("two concurrent runs of the same pipeline both succeed and leave a consistent store", async () => {
    const env = { GANFLOW_TEST_SLOW_MS: "1500" }
    const [r1, r2] = await Promise.all([ganflow(["run", "p"], env), ganflow(["run", "p"], env)])
    expect([r1.code, r2.code, r1.stderr + r2.stderr]).toEqual([0, 0, ""])
    const third = await ganflow(["run", "p"])
    expect(Object.values(statuses(third.stdout))).toEqual(["=", "=", "="])
    for (const m of readdirSync(ws.path(".ganflow/manifests"))) JSON.parse(readFileSync(ws.path(`.ganflow/manifests/${m}`), "utf8"))
    expect(readdirSync(ws.path(".ganflow/tmp"))).toEqual([])
    const status = await ganflow(["status", "p", "--json"])
    expect(JSON.parse(status.stdout).map((s: { state: string }) => s.state)).toEqual(["cached", "cached", "cached"])
  }, 120_000)

  it("bad params, a missing input file and a failing stage: clear errors, non-zero exits, nothing written for invalid runs", async () => {
    const bad = await ganflow(["run", "p", "--set", "b.n=fast"])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('b.params.n: must be a number (was "fast")')
    expect(existsSync(ws.path(".ganflow"))).toBe(false)
    const unknown = await ganflow(["run", "nope"])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain("pipeline nope: no such pipeline (known: p)")
    ws.write("pipelines/src/q.ts", readFileSync(ws.path("pipelines/src/p.ts"), "utf8").replace('file("data/in.txt")', 'file("data/missing.txt")').replace('name: "p"', 'name: "q"'))
    const missing = await ganflow(["run", "q"])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain("stage a: input src: file data/missing.txt does not exist")
    expect(existsSync(ws.path(".ganflow"))).toBe(false)
  }, 120_000)

  it("status explains what is stale; runs and diff show records side by side", async () => {
    expect((await ganflow(["run", "p"])).code).toBe(0)
    expect((await ganflow(["run", "p", "--set", "a.suffix=!"])).code).toBe(0)
    const st = await ganflow(["status", "p", "--set", "a.suffix=?"])
    expect(st.stdout).toMatch(/a\s+stale: params changed: suffix ! -> \?$/m)
    expect(st.stdout).toMatch(/b\s+blocked: upstream a is not cached/)
    const runs = (await ganflow(["runs"])).stdout.trim().split("\n")
    expect(runs).toHaveLength(2)
    const ids = runs.map((l) => l.split(/\s+/)[0]!)
    const diff = await ganflow(["diff", ids[0]!, ids[1]!])
    expect(diff.code).toBe(0)
    expect(diff.stdout).toMatch(/^ {2}a\.suffix\s+""\s+"!"$/m) // only what differs is listed
  }, 120_000)
})

describe("watch mode", () => {
  it("reruns only the stages whose inputs changed, and interrupts a running stage whose inputs changed", async () => {
    let out = ""
    const hold = ws.path("hold")
    const marker = ws.path("b-started")
    const child: ChildProcess = spawn(process.execPath, [ganflowBin, "run", "p", "--watch"], {
      cwd: ws.root,
      env: { ...process.env, GANFLOW_TEST_SLOW_MS: "0", GANFLOW_TEST_HOLD: hold, GANFLOW_TEST_MARKER: marker },
      stdio: ["ignore", "pipe", "pipe"],
    })
    child.stdout!.on("data", (d) => (out += String(d)))
    child.stderr!.on("data", (d) => (out += String(d)))
    const count = (re: RegExp) => (out.match(re) ?? []).length
    try {
      await waitFor(() => count(/watching for changes/g) >= 1, 60_000, "the first run")
      expect(count(/> a\s+running/g)).toBe(1)
      ws.write("data/other.txt", "changed\n")
      await waitFor(() => count(/watching for changes/g) >= 2, 60_000, "the rerun after a change")
      expect(count(/> c\s+running: input changed: data\/other.txt/g)).toBe(1)
      expect(count(/> a\s+running/g)).toBe(1)
      expect(count(/> b\s+running/g)).toBe(1)
      // b is held running; changing a's input interrupts it, and the restarted run reruns a then b
      writeFileSync(hold, "")
      rmSync(marker, { force: true })
      ws.write("data/in.txt", "three\n")
      await waitFor(() => existsSync(marker), 60_000, "b to rerun")
      rmSync(marker)
      ws.write("data/in.txt", "four\n")
      await waitFor(() => count(/inputs of running stage b changed; restarting it/g) >= 1, 60_000, "the restart")
      await waitFor(() => existsSync(marker), 60_000, "b to start again")
      rmSync(hold)
      await waitFor(() => count(/watching for changes/g) >= 3, 60_000, "the restarted run to finish")
      expect(count(/> b\s+running/g)).toBe(3)
      expect(count(/! b\s+interrupted/g)).toBeGreaterThanOrEqual(1)
      expect(count(/✓ b\s+done/g)).toBe(2)
    } finally {
      child.kill("SIGINT")
      await new Promise((r) => child.once("exit", r))
    }
  }, 150_000)

  it("Ctrl-C ends watch with exit 130; kill -9 of the watcher stops its running child at once", async () => {
    const hold = ws.path("hold")
    const marker = ws.path("b-started")
    writeFileSync(hold, "")
    const start = () =>
      spawn(process.execPath, [ganflowBin, "run", "p", "--watch"], {
        cwd: ws.root,
        env: { ...process.env, GANFLOW_TEST_HOLD: hold, GANFLOW_TEST_MARKER: marker },
        stdio: "ignore",
      })
    const watcher = start()
    await waitFor(() => existsSync(marker), 60_000, "b to start under watch")
    const childPid = Number(readFileSync(marker, "utf8"))
    watcher.kill("SIGKILL")
    await new Promise((r) => watcher.once("exit", r))
    // an orphan is reparented to pid 1, which may reap it late: a zombie (state Z) has stopped running
    const alive = () => {
      try {
        const stat = readFileSync(`/proc/${childPid}/stat`, "utf8")
        return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z"
      } catch {
        return false
      }
    }
    await waitFor(() => !alive(), 20_000, "the orphaned run to stop")
    rmSync(marker)
    const again = start()
    await waitFor(() => existsSync(marker), 60_000, "b to start again")
    again.kill("SIGINT")
    const code = await new Promise<number | null>((r) => again.once("exit", (c) => r(c)))
    expect(code).toBe(130)
    rmSync(hold)
  }, 150_000)
})
