/**
 * `ganflow run --remote` as users drive it, through the launcher in child processes: dcgan-anime (tiny config)
 * computed once and uploaded to a shared folder and to an s3rver process; a fresh, empty store is then all hits and
 * downloads only the stages holding the results; a bit flipped in a remote object is detected, never used, and
 * that stage recomputed (its downstream keys follow the recomputed output); bad setups exit 2 writing nothing.
 *
 * The workspace is a temporary one whose `pipelines/src/dcgan-anime.ts` re-exports the repository's pipeline (its
 * package.json lists the repository's packages), so its `ganflow.json` holds the test's remotes and the code
 * fingerprints are the same in every store.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { execFile } from "node:child_process"
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { copyStageModule, ganflowBin, makeWorkspace, repoRoot, waitFor } from "../../core/test/test-workspace.ts"
import { s3rverCredentials, startS3rver, type S3rverProcess } from "../../remote/test/s3rver-process.ts"

let ws: ReturnType<typeof makeWorkspace>
let s3: S3rverProcess

/** dcgan-anime small enough for CI (as pipelines/test/dcgan-anime.test.ts): every stage runs in about a second. */
const tiny = [
  'data.synthetic={"kind":"anime-faces","count":64}',
  "reference.sampleCap=64",
  'train.model={"architecture":"dcgan","options":{"resolution":32,"ngf":8,"ndf":8}}',
  "train.steps=4",
  "train.batchSize=8",
  "train.checkpointEvery=2",
  "fid.samples=32",
  "fid.sampleCap=32",
  "fid.batchSize=16",
  "fid.kidSubsetSize=16",
  "fid.kidSubsets=5",
  "samples.count=4",
  "samples.interpolationRows=1",
  "samples.interpolationSteps=3",
  "demo.sampleCount=4",
].flatMap((s) => ["--set", s])

const ganflow = (args: string[], env: Record<string, string> = {}) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [ganflowBin, ...args], { cwd: ws.root, env: { ...process.env, ...s3rverCredentials, ...env } }, (err, stdout, stderr) =>
      resolve({ code: err === null ? 0 : typeof err.code === "number" ? err.code : 1, stdout, stderr }),
    )
  })

/** Run dcgan-anime (tiny) on `store` with `--remote remote`. */
const run = (store: string, remote: string, ...extra: string[]) => ganflow(["run", "dcgan-anime", "--store", store, "--remote", remote, ...tiny, ...extra])

interface Outcome {
  readonly name: string
  readonly status: string
  readonly key: string
  readonly outputDigest: string
  readonly reasons: ReadonlyArray<string>
  readonly remote?: { readonly downloaded: boolean; readonly objects: number; readonly bytes: number }
}
/** The stages of the run record `stdout` names, by stage. */
const recordOf = (stdout: string): { id: string; stages: Record<string, Outcome> } => {
  const path = /record (\S+\/runs\/(\S+)\.json)/.exec(stdout)
  if (path === null) throw new Error(`no run record in:\n${stdout}`)
  const record = JSON.parse(readFileSync(path[1]!, "utf8")) as { stages: Outcome[] }
  return { id: path[2]!, stages: Object.fromEntries(record.stages.map((s) => [s.name, s])) }
}
type StoredFile = readonly [string, string, number]
/** The manifest of `key` in a store or a shared-folder remote (the same layout). */
const manifestOf = (store: string, key: string) => JSON.parse(readFileSync(join(store, "manifests", `${key}.json`), "utf8")) as { files: StoredFile[]; outputDigest: string }
const objectIn = (root: string, digest: string) => join(root, "objects", digest.slice(0, 2), digest.slice(2))
const statuses = (stages: Record<string, Outcome>) => Object.fromEntries(Object.values(stages).map((s) => [s.name, s.status]))
const results = ["samples", "curves", "demo"]
const allStages = ["data", "reference", "train", "fid", "samples", "curves", "demo"]
/** Flip one bit in the middle of a remote object (a shared folder's file). */
const flipBit = (path: string) => {
  chmodSync(path, 0o644)
  const bytes = readFileSync(path)
  const middle = bytes.length >> 1
  bytes[middle] = bytes[middle]! ^ 0x10
  writeFileSync(path, bytes)
}

beforeAll(async () => {
  s3 = await startS3rver()
  ws = makeWorkspace()
  ws.write("package.json", JSON.stringify({ name: "test-ws", private: true, type: "module", workspaces: ["../../packages/*", "../../pipelines"] }))
  ws.write("pipelines/src/dcgan-anime.ts", `export { default } from ${JSON.stringify(join(repoRoot, "pipelines/src/dcgan-anime.ts"))}\n`)
  mkdirSync(ws.path("nfs"))
  // a stage that says when it started and takes a moment (the remote goes away meanwhile), and one after it
  ws.write("data/in.txt", "in\n")
  ws.write("pipelines/src/slow.ts", `${copyStageModule}
const slow = defineStage({
  name: "slow",
  params: type({}),
  inputs: { src: fileInput() },
  run: ({ inputs, outDir }) => Effect.gen(function* () {
    writeFileSync(${JSON.stringify(ws.path("slow-started"))}, "")
    yield* Effect.sleep("1500 millis")
    writeFileSync(join(outDir, "out.txt"), readFileSync(inputs.src.path, "utf8"))
    return null
  }),
})
const after = defineStage({
  name: "after",
  params: type({}),
  inputs: { prev: upstream() },
  run: ({ inputs, outDir }) => Effect.sync(() => {
    writeFileSync(join(outDir, "out.txt"), readFileSync(inputs.prev.path("out.txt"), "utf8") + "after\\n")
    return null
  }),
})
const a = slow.as("a", { inputs: { src: file("data/in.txt") } })
export default pipeline({ name: "slow", stages: [a, after.as("b", { inputs: { prev: a } })] })
`)
  expect(await ganflow(["remote", "add", "lab", `file://${ws.path("nfs")}`])).toMatchObject({ code: 0 })
  expect(await ganflow(["remote", "add", "s3lab", "s3://gan-cache/runs", "--endpoint", s3.endpoint, "--region", "us-east-1"])).toMatchObject({ code: 0 })
}, 60_000)
afterAll(async () => {
  await s3?.stop()
  ws?.cleanup()
})

describe("ganflow run --remote", () => {
  it.each(["lab", "s3lab"])("uploads what a run computes to %s; a fresh store is then all hits and downloads only the results' stages", async (remote) => {
    const warm = ws.path(`warm-${remote}`)
    const first = await run(warm, remote)
    expect(first.stderr).not.toContain("!")
    expect(first.code).toBe(0)
    expect(Object.values(statuses(recordOf(first.stdout).stages))).toEqual(allStages.map(() => "ran"))

    // a fresh clone's empty store
    const fresh = ws.path(`fresh-${remote}`)
    const hit = await run(fresh, remote)
    expect(hit.code).toBe(0)
    const { id, stages } = recordOf(hit.stdout)
    expect(statuses(stages)).toEqual(Object.fromEntries(allStages.map((s) => [s, "cached"])))
    for (const s of ["data", "reference", "train", "fid"]) expect(hit.stdout).toMatch(new RegExp(`^  = ${s} +cached \\(remote ${remote}: not downloaded\\)$`, "m"))
    for (const s of results) expect(hit.stdout).toMatch(new RegExp(`^  = ${s} +cached \\(remote ${remote}: \\d+ files, [\\d.]+ k?M?B downloaded\\)$`, "m"))
    // the results are there, locally
    for (const result of ["samples/grid.png", "samples/progress.gif", "curves/fid.png", "curves/losses.png", "demo/index.html"]) {
      const [stage, ...rest] = result.split("/")
      expect(existsSync(join(fresh, "out", stages[stage!]!.key, ...rest))).toBe(true)
    }
    // only the results' stages travelled: their entries, no other (the train stage's checkpoints stayed remote)
    expect(readdirSync(join(fresh, "manifests")).sort()).toEqual(results.map((s) => `${stages[s]!.key}.json`).sort())
    // what was downloaded is exactly the results' stages' files
    const needed = new Map(results.flatMap((s) => manifestOf(warm, stages[s]!.key).files.map(([, d, size]) => [d, size] as const)))
    const train = manifestOf(warm, stages["train"]!.key)
    // (the last checkpoint's weights are the generator's, which the demo page holds too)
    const checkpoints = train.files.filter(([rel, digest]) => rel.startsWith("checkpoints/") && !needed.has(digest))
    expect(checkpoints.length).toBeGreaterThan(0)
    for (const [, digest] of checkpoints) expect(existsSync(objectIn(fresh, digest))).toBe(false)
    expect(Object.values(stages).reduce((a, s) => a + (s.remote?.bytes ?? 0), 0)).toBe([...needed.values()].reduce((a, b) => a + b, 0))
    expect(Object.values(stages).filter((s) => s.remote?.downloaded === true).map((s) => s.name).sort()).toEqual([...results].sort())
    // the run record went to the remote too
    const records = ws.path(`records-${remote}`)
    expect(await ganflow(["pull", remote, id, "--store", records])).toMatchObject({ code: 0 })
    expect(existsSync(join(records, "runs", `${id}.json`))).toBe(true)

    // status --remote says the same without running anything
    const status = await ganflow(["status", "dcgan-anime", "--store", ws.path(`status-${remote}`), "--remote", remote, ...tiny])
    expect(status.code).toBe(0)
    for (const s of ["data", "train", "fid"]) expect(status.stdout).toMatch(new RegExp(`^  = ${s} +cached \\(remote ${remote}\\)$`, "m"))
  }, 120_000)

  it("a flipped bit in a remote object of a result's stage: reported, never used, that stage recomputed (reading the train stage it needs), the remote repaired", async () => {
    const warm = await run(ws.path("flip-warm"), "lab")
    expect(warm.code).toBe(0)
    const { stages } = recordOf(warm.stdout)
    const [, gridDigest] = manifestOf(ws.path("nfs"), stages["samples"]!.key).files.find(([rel]) => rel === "grid.png")!
    flipBit(objectIn(ws.path("nfs"), gridDigest))

    const fresh = ws.path("flip-fresh")
    const r = await run(fresh, "lab")
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(`object ${gridDigest} is corrupt`)
    const after = recordOf(r.stdout).stages
    expect(statuses(after)).toEqual({ data: "cached", reference: "cached", train: "cached", fid: "cached", samples: "ran", curves: "cached", demo: "cached" })
    expect(after["samples"]!.reasons.join(" ")).toContain("is corrupt")
    // samples ran, so the train stage it reads was downloaded; fid (read by nothing that ran) was not
    expect(after["train"]!.remote).toMatchObject({ downloaded: true })
    expect(after["fid"]!.remote).toMatchObject({ downloaded: false })
    expect(existsSync(join(fresh, "manifests", `${after["fid"]!.key}.json`))).toBe(false)
    expect((await ganflow(["verify", "--store", fresh])).code).toBe(0)
    // the recomputed entry replaced the broken one: the next fresh store is all hits again
    const again = await run(ws.path("flip-again"), "lab")
    expect(Object.values(statuses(recordOf(again.stdout).stages)).every((s) => s === "cached")).toBe(true)
    expect(again.stdout).not.toContain("corrupt")
  }, 120_000)

  it("a flipped bit in the train stage's remote checkpoint, read by a stage that must run: train recomputed, the stage's key follows the new output", async () => {
    const warmStore = ws.path("train-warm")
    const warm = await run(warmStore, "lab")
    expect(warm.code).toBe(0)
    const { stages } = recordOf(warm.stdout)
    const [, digest] = manifestOf(ws.path("nfs"), stages["train"]!.key).files.find(([rel]) => rel.startsWith("checkpoints/") && rel.endsWith("weights.bin"))!
    flipBit(objectIn(ws.path("nfs"), digest))

    const fresh = ws.path("train-fresh")
    const r = await run(fresh, "lab", "--set", "samples.count=9") // samples must run: it reads train
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(`object ${digest} is corrupt`)
    const after = recordOf(r.stdout).stages
    expect(after["train"]!.status).toBe("ran")
    expect(after["train"]!.reasons.join(" ")).toContain("is corrupt")
    expect(after["samples"]!.status).toBe("ran")
    // never used: the recomputed checkpoint is sound, and what samples' key names is what it read
    expect((await ganflow(["verify", "--store", fresh])).code).toBe(0)
    const samplesKey = JSON.parse(readFileSync(join(fresh, "index", "dcgan-anime", "samples.json"), "utf8")) as { key: string; record: { inputs: { training: { digest: string } } } }
    expect(samplesKey.key).toBe(after["samples"]!.key)
    expect(samplesKey.record.inputs.training.digest).toBe(after["train"]!.outputDigest)
    expect(manifestOf(fresh, after["train"]!.key).outputDigest).toBe(after["train"]!.outputDigest)
  }, 120_000)
})

describe("ganflow run --remote: the remote failing mid-run", () => {
  it("is one warning naming it; the run computes locally, uploads nothing and succeeds", async () => {
    const flaky = await startS3rver()
    // (stop() once: it waits for an exit that a killed process does not report twice)
    let stopped = false
    try {
      expect(await ganflow(["remote", "add", "flaky", "s3://gan-cache/flaky", "--endpoint", flaky.endpoint])).toMatchObject({ code: 0 })
      const running = ganflow(["run", "slow", "--store", ws.path("flaky-store"), "--remote", "flaky"])
      await waitFor(() => existsSync(ws.path("slow-started")), 30_000, "stage a to start")
      await flaky.stop()
      stopped = true
      const r = await running
      expect(r.code).toBe(0)
      expect(r.stdout).toMatch(/^  ! remote flaky \(s3:\/\/gan-cache\/flaky\) is unreachable: .*; this run computes locally and uploads nothing$/m)
      expect(r.stdout.match(/is unreachable/g)).toHaveLength(1)
      expect(statuses(recordOf(r.stdout).stages)).toEqual({ a: "ran", b: "ran" })
    } finally {
      if (!stopped) await flaky.stop()
    }
  }, 60_000)
})

describe("ganflow run --remote: bad setups exit 2 naming the remote, before anything is written", () => {
  const store = () => ws.path(`bad-${Math.random().toString(36).slice(2)}`)
  it("unknown remote, unreachable endpoint, wrong credentials", async () => {
    const s = store()
    const unknown = await run(s, "nosuch")
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('unknown remote "nosuch"')
    expect(await ganflow(["remote", "add", "down", "s3://gan-cache/x", "--endpoint", "http://127.0.0.1:9", "--no-check"])).toMatchObject({ code: 0 })
    const down = await run(s, "down")
    expect(down.code).toBe(2)
    expect(down.stderr).toMatch(/remote down \(s3:\/\/gan-cache\/x\) is unreachable: .*ECONNREFUSED/)
    const wrong = await ganflow(["run", "dcgan-anime", "--store", s, "--remote", "s3lab", ...tiny], { AWS_ACCESS_KEY_ID: "WRONG", AWS_SECRET_ACCESS_KEY: "WRONG" })
    expect(wrong.code).toBe(2)
    expect(wrong.stderr).toContain("remote s3lab (s3://gan-cache/runs) denied access")
    const status = await ganflow(["status", "dcgan-anime", "--store", s, "--remote", "nosuch"])
    expect(status.code).toBe(2)
    expect(status.stderr).toContain('unknown remote "nosuch"')
    expect(existsSync(s)).toBe(false)
  }, 120_000)
})
