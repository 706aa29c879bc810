/**
 * `ganflow run --executor slurm` as real processes on the local one-node cluster: the demo pipeline's stages run
 * as Slurm jobs (job ids in the run record), a rerun is all hits and submits nothing, a param change submits
 * exactly the stages it reaches; `exec-stage` refuses a key that is not the driver's, naming the difference; a
 * job cancelled with scancel fails its stage naming the job; a stage with `retries: 1` whose node fails once
 * succeeds; the jobs of a driver killed with kill -9 are cancelled by the next run; bad setups exit 2 with
 * nothing written; dcgan-anime (tiny) runs as seven jobs the same way. One test at a time (the retry test takes the node down).
 */
import { spawn, spawnSync } from "node:child_process"
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs"
import { hostname } from "node:os"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, describe, expect, inject, it } from "vitest"

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../../..")
const ganflow = join(repo, "packages/cli/bin/ganflow.mjs")
const slurmEnv = { ...process.env, SLURM_CONF: inject("slurmConf") }
const node = hostname().split(".")[0]!

interface Finished {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** `ganflow args…` in `cwd`, to its end. */
const runGanflow = (cwd: string, args: ReadonlyArray<string>, env: NodeJS.ProcessEnv = slurmEnv): Finished => {
  const result = spawnSync(process.execPath, [ganflow, ...args], { cwd, env, encoding: "utf8", timeout: 120_000 })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

/** `ganflow args…` in the background; `waitFor(text)` resolves once its output contains `text`. */
const startGanflow = (cwd: string, args: ReadonlyArray<string>) => {
  const child = spawn(process.execPath, [ganflow, ...args], { cwd, env: slurmEnv })
  let output = ""
  const waiters: Array<{ text: string; resolve: () => void }> = []
  const onData = (chunk: Buffer) => {
    output += chunk.toString("utf8")
    for (const w of waiters.filter((w) => output.includes(w.text))) {
      waiters.splice(waiters.indexOf(w), 1)
      w.resolve()
    }
  }
  child.stdout.on("data", onData)
  child.stderr.on("data", onData)
  const ended = new Promise<Finished>((done) => child.on("close", (code) => done({ code, stdout: output, stderr: "" })))
  const waitFor = (text: string, ms = 60_000) =>
    new Promise<void>((done, fail) => {
      if (output.includes(text)) return done()
      const timer = setTimeout(() => fail(new Error(`timed out waiting for "${text}"; output so far:\n${output}`)), ms)
      waiters.push({ text, resolve: () => (clearTimeout(timer), done()) })
    })
  return { child, ended, waitFor, output: () => output }
}

/** The run record a CLI run printed (`record <path>`). */
const runRecordOf = (output: string) => {
  const path = /record (\S+\.json)/.exec(output)?.[1]
  if (path === undefined) throw new Error(`no run record in:\n${output}`)
  return JSON.parse(readFileSync(path, "utf8")) as { stages: Array<{ name: string; status: string; error?: string; executor?: { name: string; jobIds: Array<string> } }> }
}

const slurm = (command: string, ...args: Array<string>) => spawnSync(command, args, { env: slurmEnv, encoding: "utf8" })

/** The state sacct (the job completion log) has for a job, or squeue's while it is known there. */
const jobState = (jobId: string) =>
  (slurm("squeue", "-h", "-j", jobId, "-o", "%T").stdout.trim() || slurm("sacct", "--completion", "-n", "-P", "-j", jobId, "-o", "state").stdout.trim().split("\n")[0]) ?? ""

/** The state a job ends in (waiting up to 20 s while it is still COMPLETING, as a cancelled job is for a moment). */
const endState = (jobId: string) => {
  for (let i = 0; i < 100; i++) {
    const state = jobState(jobId)
    if (state !== "COMPLETING" && state !== "RUNNING") return state
    spawnSync("sleep", ["0.2"])
  }
  return jobState(jobId)
}

const work = join(repo, ".test-work", `slurm-executor-${process.pid}`)
afterAll(() => rmSync(work, { recursive: true, force: true }))

/** A workspace with one pipeline file (under the repository, so `@ganflow/core` resolves). */
const workspace = (name: string, pipelineSource: string) => {
  const root = join(work, name)
  mkdirSync(join(root, "pipelines", "src"), { recursive: true })
  writeFileSync(join(root, "package.json"), JSON.stringify({ name: `ws-${name}`, private: true, type: "module", workspaces: [] }))
  writeFileSync(join(root, "pipelines", "src", `${name}.ts`), pipelineSource)
  return root
}

/**
 * A pipeline whose `wait` stage prints `started`, then (until `marker` exists) creates it and sleeps: its first
 * run can be cancelled or lose its node, its next run finishes at once. `retries` is the stage's option.
 */
const waitingPipeline = (name: string, retries: number) =>
  workspace(
    name,
    `import { Effect } from "effect"
import { type } from "arktype"
import { existsSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { defineStage, pipeline, StageEvents } from "@ganflow/core"
const wait = defineStage({
  name: "wait",
  params: type({ marker: "string" }),
  retries: ${retries},
  run: ({ params, outDir }) => Effect.gen(function* () {
    const { log } = yield* StageEvents
    log("started")
    if (!existsSync(params.marker)) {
      writeFileSync(params.marker, "")
      yield* Effect.sleep("60 seconds")
    }
    writeFileSync(join(outDir, "done.txt"), "done")
    log("finished")
    return null
  }),
})
export default pipeline({ name: "${name}", stages: [wait.as("wait", { params: { marker: ${JSON.stringify(join(work, name, "marker"))} } })] })
`,
  )

/** A driver running `waitingPipeline(name)`, once its job runs the stage: the workspace, the driver and the job id. */
const waitingRun = async (name: string, retries: number) => {
  const root = waitingPipeline(name, retries)
  const driver = startGanflow(root, ["run", name, "--executor", "slurm"])
  await driver.waitFor("wait: started")
  return { root, driver, jobId: runningJobOf(name) }
}

describe("ganflow run --executor slurm", () => {
  it("runs the demo's stages as Slurm jobs; a rerun submits none; a param change submits what it reaches; exec-stage refuses another key", () => {
    const store = join(work, "demo-store")
    const first = runGanflow(repo, ["run", "demo", "--executor", "slurm", "--store", store, "--partition", "debug", "--mem", "200M", "--time", "5"])
    expect(first.stderr + first.stdout).toContain("ganflow: ok")
    expect(first.code).toBe(0)
    const ran = runRecordOf(first.stdout)
    expect(ran.stages.map((s) => [s.name, s.status, s.executor?.name])).toEqual([
      ["corpus", "ran", "slurm"],
      ["counts", "ran", "slurm"],
      ["top", "ran", "slurm"],
      ["stats", "ran", "slurm"],
      ["summary", "ran", "slurm"],
    ])
    const jobIds = ran.stages.map((s) => s.executor!.jobIds[0]!)
    expect(new Set(jobIds).size).toBe(5)
    for (const jobId of jobIds) expect(jobState(jobId)).toBe("COMPLETED")
    // the stage's log lines came from the job's log
    expect(first.stdout).toContain("summary: wrote")

    const again = runGanflow(repo, ["run", "demo", "--executor", "slurm", "--store", store])
    expect(again.code).toBe(0)
    expect(runRecordOf(again.stdout).stages.every((s) => s.status === "cached" && s.executor === undefined)).toBe(true)

    const changed = runGanflow(repo, ["run", "demo", "--executor", "slurm", "--store", store, "--set", "top.k=3"])
    expect(changed.code).toBe(0)
    const reached = runRecordOf(changed.stdout).stages.filter((s) => s.executor !== undefined).map((s) => [s.name, s.status])
    expect(reached).toEqual([
      ["top", "ran"],
      ["summary", "ran"],
    ])

    // a node whose code differs from the driver's refuses, naming the file (the driver's record, one file changed)
    const topKey = runRecordOf(first.stdout) as unknown as { stages: Array<{ name: string; key: string }> }
    const key = topKey.stages.find((s) => s.name === "top")!.key
    const record = JSON.parse(readFileSync(join(store, "slurm", "records", `${key}.json`), "utf8"))
    const file = Object.keys(record.code.files).find((f: string) => f.endsWith("top-words.ts"))!
    record.code.files[file] = "0".repeat(64)
    record.code.digest = "1".repeat(64)
    const otherRecord = join(work, "other-record.json")
    writeFileSync(otherRecord, JSON.stringify(record))
    const refused = runGanflow(repo, ["exec-stage", "pipelines/src/demo.ts", "--stage", "top", "--key", "f".repeat(64), "--record", otherRecord, "--store", store])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain(`exec-stage top: this node computes key ${key}, the driver ${"f".repeat(64)}: code changed: ${file}`)
    // and one whose params differ names them
    const params = runGanflow(repo, ["exec-stage", "pipelines/src/demo.ts", "--stage", "top", "--key", key, "--record", join(store, "slurm", "records", `${key}.json`), "--store", store, "--set", "top.k=4"])
    expect(params.code).toBe(2)
    expect(params.stderr).toContain("params changed: k 5 -> 4")
  })

  it("runs dcgan-anime (tiny) as Slurm jobs: every stage a job with its id recorded, a rerun submits none, samples.count reaches only samples", () => {
    const store = join(work, "anime-store")
    mkdirSync(work, { recursive: true })
    const tiny = join(work, "anime-tiny.json")
    writeFileSync(tiny, JSON.stringify({
      "data.synthetic": { kind: "anime-faces", count: 64 }, "reference.sampleCap": 64,
      "train.model": { architecture: "dcgan", options: { resolution: 32, ngf: 8, ndf: 8 } }, "train.steps": 4, "train.batchSize": 8, "train.checkpointEvery": 2,
      "fid.samples": 32, "fid.sampleCap": 32, "fid.batchSize": 16, "fid.kidSubsetSize": 16, "fid.kidSubsets": 5,
      "samples.count": 4, "samples.interpolationRows": 1, "samples.interpolationSteps": 3, "demo.sampleCount": 4,
    }))
    const args = ["run", "dcgan-anime", "--executor", "slurm", "--store", store, "--params", tiny, "--backend", "native", "--threads", "1"]
    const first = runGanflow(repo, args)
    expect(first.stderr + first.stdout).toContain("ganflow: ok")
    const ran = runRecordOf(first.stdout).stages
    expect(ran.map((s) => [s.name, s.status, s.executor?.name])).toEqual(
      ["data", "reference", "train", "fid", "samples", "curves", "demo"].map((name) => [name, "ran", "slurm"]),
    )
    const jobIds = ran.map((s) => s.executor!.jobIds[0]!)
    expect(new Set(jobIds).size).toBe(7)
    for (const jobId of jobIds) expect(jobState(jobId)).toBe("COMPLETED")
    expect(first.stdout).toMatch(/samples\/grid\.png\s+\S+grid\.png/)

    const again = runGanflow(repo, args)
    expect(again.code).toBe(0)
    expect(runRecordOf(again.stdout).stages.every((s) => s.status === "cached" && s.executor === undefined)).toBe(true)

    const changed = runGanflow(repo, [...args, "--set", "samples.count=2"])
    expect(changed.code).toBe(0)
    expect(runRecordOf(changed.stdout).stages.filter((s) => s.executor !== undefined).map((s) => [s.name, s.status])).toEqual([["samples", "ran"]])
  })

  it("fails a stage whose job is cancelled with scancel, naming the job", async () => {
    const { root, driver, jobId } = await waitingRun("cancelled", 0)
    expect(slurm("scancel", jobId).status).toBe(0)
    const end = await driver.ended
    expect(end.code).toBe(1)
    expect(end.stdout).toContain(`Slurm job ${jobId} (ganflow:cancelled:wait) was CANCELLED`)
    const record = runRecordOf(end.stdout)
    expect(record.stages[0]).toMatchObject({ status: "failed", executor: { name: "slurm", jobIds: [jobId] } })
    expect(record.stages[0]!.error).toContain(`Slurm job ${jobId}`)
    const manifests = join(root, ".ganflow", "manifests")
    expect(existsSync(manifests) ? readdirSync(manifests) : []).toEqual([]) // nothing committed
  })

  it("cancels its jobs when the driver gets SIGTERM, and ends interrupted (130)", async () => {
    const { root, driver, jobId } = await waitingRun("interrupted", 0)
    driver.child.kill("SIGTERM")
    const end = await driver.ended
    expect(end.code).toBe(130)
    expect(endState(jobId)).toMatch(/^CANCELLED/)
    expect(runRecordOf(end.stdout).stages[0]).toMatchObject({ status: "interrupted", executor: { jobIds: [jobId] } })
    expect(readdirSync(join(root, ".ganflow", "slurm", "jobs"))).toEqual([])
  })

  it("does not retry a stage whose code failed, even with retries", () => {
    const root = workspace(
      "broken",
      `import { Effect } from "effect"
import { type } from "arktype"
import { defineStage, pipeline } from "@ganflow/core"
const broken = defineStage({ name: "broken", params: type({}), retries: 2, run: () => Effect.fail(new Error("ValueError: bad input in data/faces")) })
export default pipeline({ name: "broken", stages: [broken.as("broken")] })
`,
    )
    const end = runGanflow(root, ["run", "broken", "--executor", "slurm"])
    expect(end.code).toBe(1)
    const stage = runRecordOf(end.stdout).stages[0]!
    expect(stage.executor!.jobIds).toHaveLength(1)
    expect(stage.error).toMatch(new RegExp(`Slurm job ${stage.executor!.jobIds[0]} \\(ganflow:broken:broken\\) FAILED: exit code 1; last lines of .*\\n.*ValueError: bad input in data/faces`))
  })

  it("asks --gres=gpu:N for the stages that declare GPUs, and no GPU for the others", () => {
    const root = workspace(
      "gres",
      `import { Effect } from "effect"
import { type } from "arktype"
import { defineStage, pipeline, StageEvents } from "@ganflow/core"
const show = defineStage({
  name: "show",
  params: type({ tag: "string" }),
  run: () => Effect.flatMap(StageEvents, ({ log }) => Effect.sync(() => log("gpus=" + (process.env["CUDA_VISIBLE_DEVICES"] ?? "none")))),
})
export default pipeline({ name: "gres", stages: [show.as("two", { params: { tag: "two" }, resources: { gpu: 2 } }), show.as("none", { params: { tag: "none" } })] })
`,
    )
    const end = runGanflow(root, ["run", "gres", "--executor", "slurm", "--partition", "gpu"])
    expect(end.code).toBe(0)
    expect(end.stdout).toContain("two: gpus=0,1")
    expect(end.stdout).toContain("none: gpus=none")
  })

  it("submits a stage with retries: 1 again after its node failed, and it succeeds", async () => {
    const { driver, jobId: first } = await waitingRun("retried", 1)
    expect(slurm("scontrol", "update", `NodeName=${node}`, "State=DOWN", "Reason=ganflow-executor-test").status).toBe(0)
    await driver.waitFor("lost its node (NODE_FAIL); submitting it again")
    slurm("scontrol", "update", `NodeName=${node}`, "State=RESUME") // slurmd may have brought it back already
    const end = await driver.ended
    expect(end.stdout).toContain("ganflow: ok")
    expect(end.code).toBe(0)
    const stage = runRecordOf(end.stdout).stages[0]!
    expect(stage.status).toBe("ran")
    expect(stage.executor!.jobIds).toHaveLength(2)
    expect(stage.executor!.jobIds[0]).toBe(first)
  })

  it("cancels the jobs of a driver killed with kill -9 when the next run starts, and never uses a partial entry", async () => {
    const { root, driver, jobId: orphan } = await waitingRun("orphaned", 0)
    driver.child.kill("SIGKILL")
    await driver.ended
    expect(jobState(orphan)).toBe("RUNNING") // the driver is gone, its job is not
    const rerun = runGanflow(root, ["run", "orphaned", "--executor", "slurm"])
    expect(rerun.stderr).toContain(`cancelled Slurm job ${orphan} (stage wait) of a driver that is gone`)
    expect(rerun.code).toBe(0)
    expect(endState(orphan)).toMatch(/^CANCELLED/)
    const stage = runRecordOf(rerun.stdout).stages[0]!
    expect(stage.status).toBe("ran")
    expect(stage.executor!.jobIds).not.toContain(orphan)
    expect(readdirSync(join(root, ".ganflow", "slurm", "jobs"))).toEqual([])
  })

  it("with --remote: the driver downloads the remote hits a job reads and uploads what the job committed", () => {
    const root = workspace(
      "remote",
      `import { Effect } from "effect"
import { type } from "arktype"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { defineStage, file, fileInput, pipeline, upstream } from "@ganflow/core"
const read = defineStage({ name: "read", params: type({}), inputs: { src: fileInput() }, run: ({ inputs, outDir }) => Effect.sync(() => writeFileSync(join(outDir, "out.txt"), readFileSync(inputs.src.path, "utf8"))) })
const shout = defineStage({ name: "shout", params: type({ bang: "string = '!'" }), inputs: { text: upstream() }, run: ({ inputs, outDir, params }) => Effect.sync(() => writeFileSync(join(outDir, "out.txt"), readFileSync(inputs.text.path("out.txt"), "utf8").toUpperCase() + params.bang)) })
const a = read.as("a", { inputs: { src: file("in.txt") } })
const b = shout.as("b", { inputs: { text: a } })
export default pipeline({ name: "remote", stages: [a, b], results: ["b/out.txt"] })
`,
    )
    writeFileSync(join(root, "in.txt"), "hello\n")
    const remoteDir = join(work, "remote-cache")
    mkdirSync(remoteDir, { recursive: true })
    expect(runGanflow(root, ["remote", "add", "lab", `file://${remoteDir}`]).code).toBe(0)
    const first = runGanflow(root, ["run", "remote", "--executor", "slurm", "--remote", "lab"])
    expect(first.code).toBe(0)
    expect(runRecordOf(first.stdout).stages.map((s) => s.executor?.name)).toEqual(["slurm", "slurm"])
    // a fresh store, a param change: a comes from the remote (downloaded: b reads it), b runs as a job and is uploaded
    rmSync(join(root, ".ganflow"), { recursive: true, force: true })
    const changed = runGanflow(root, ["run", "remote", "--executor", "slurm", "--remote", "lab", "--set", "b.bang=?"])
    expect(changed.code).toBe(0)
    expect(runRecordOf(changed.stdout).stages.map((s) => [s.name, s.status, s.executor?.name])).toEqual([
      ["a", "cached", undefined],
      ["b", "ran", "slurm"],
    ])
    rmSync(join(root, ".ganflow"), { recursive: true, force: true })
    const fresh = runGanflow(root, ["run", "remote", "--executor", "slurm", "--remote", "lab", "--set", "b.bang=?"])
    expect(fresh.code).toBe(0)
    expect(runRecordOf(fresh.stdout).stages.map((s) => s.status)).toEqual(["cached", "cached"])
    const result = /b\/out\.txt\s+(\S+)/.exec(fresh.stdout)![1]!
    expect(readFileSync(resolve(root, result), "utf8")).toBe("HELLO\n?")
  })

  it("exits 2 naming a partition that does not exist, or a machine without sbatch, with nothing written", () => {
    const root = waitingPipeline("badsetup", 0)
    const partition = runGanflow(root, ["run", "badsetup", "--executor", "slurm", "--partition", "nosuchpartition"])
    expect(partition.code).toBe(2)
    expect(partition.stderr).toContain("Slurm partition nosuchpartition does not exist")
    const bin = join(work, "node-only")
    mkdirSync(bin, { recursive: true })
    if (!existsSync(join(bin, "node"))) spawnSync("ln", ["-s", process.execPath, join(bin, "node")])
    const noSbatch = runGanflow(root, ["run", "badsetup", "--executor", "slurm"], { ...slurmEnv, PATH: bin })
    expect(noSbatch.code).toBe(2)
    expect(noSbatch.stderr).toContain("sbatch is not on PATH")
    // ganflow.json's slurm defaults apply (the command line overrides them), and a typo in them is named
    writeFileSync(join(root, "ganflow.json"), JSON.stringify({ slurm: { partition: "configpartition", time: "5" } }))
    const fromConfig = runGanflow(root, ["run", "badsetup", "--executor", "slurm"])
    expect(fromConfig.code).toBe(2)
    expect(fromConfig.stderr).toContain("Slurm partition configpartition does not exist")
    writeFileSync(join(root, "ganflow.json"), JSON.stringify({ slurm: { partitoin: "debug" } }))
    const typo = runGanflow(root, ["run", "badsetup", "--executor", "slurm"])
    expect(typo.code).toBe(2)
    expect(typo.stderr).toContain("partitoin")
    expect(existsSync(join(root, ".ganflow"))).toBe(false)
  })

  it("ganflow sweep --executor slurm: a stage every variant shares is one job, each variant's own stages are jobs with its params", () => {
    const store = join(work, "sweep-store")
    const swept = runGanflow(repo, ["sweep", "demo", "--grid", "top.k=3,4", "--executor", "slurm", "--store", store, "--partition", "debug", "--mem", "200M", "--time", "5", "--jobs", "2"])
    expect(swept.stderr + swept.stdout).toMatch(/stage executions: 10 in 2 variants; 7 ran, 3 answered from the cache \(saved\); computed once for all variants: corpus, counts, stats/)
    expect(swept.code).toBe(0)
    const sweepRecord = JSON.parse(readFileSync(join(store, "sweeps", readdirSync(join(store, "sweeps"))[0]!), "utf8")) as { variants: Array<{ runId: string; config: { "top.k": number } }> }
    const runs = sweepRecord.variants.map((v) => JSON.parse(readFileSync(join(store, "runs", `${v.runId}.json`), "utf8")) as { stages: Array<{ name: string; status: string; params: { k?: number }; executor?: { jobIds: string[] } }> })
    const jobs = runs.flatMap((r) => r.stages.flatMap((st) => st.executor?.jobIds ?? []))
    expect(new Set(jobs).size).toBe(7)
    for (const [i, run] of runs.entries()) expect(run.stages.find((st) => st.name === "top")!.params.k).toBe(sweepRecord.variants[i]!.config["top.k"])
    for (const jobId of jobs) expect(jobState(jobId)).toBe("COMPLETED")
  })
})

/** The id of the one job of pipeline `name` that squeue shows running. */
function runningJobOf(name: string): string {
  const lines = slurm("squeue", "-h", "-t", "RUNNING", "-n", `ganflow:${name}:wait`, "-o", "%i").stdout.trim().split("\n").filter((l) => l !== "")
  expect(lines).toHaveLength(1)
  return lines[0]!
}
