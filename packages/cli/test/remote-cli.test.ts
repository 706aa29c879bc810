/**
 * The remote-cache commands as users drive them, through the `ganflow` launcher in child processes: remotes
 * configured in ganflow.json, a real run pushed to an s3rver process and to a shared folder, pulled into an
 * empty store where the rerun is all hits; bad setups exit 2 naming the remote and write nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { execFile } from "node:child_process"
import { createHash } from "node:crypto"
import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { copyStageModule, ganflowBin, makeWorkspace } from "../../core/test/test-workspace.ts"
import { s3rverCredentials, startS3rver, type S3rverProcess } from "../../remote/test/s3rver-process.ts"

let ws: ReturnType<typeof makeWorkspace>
let s3: S3rverProcess

const ganflow = (args: string[], env: Record<string, string> = {}) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [ganflowBin, ...args], { cwd: ws.root, env: { ...process.env, ...s3rverCredentials, ...env } }, (err, stdout, stderr) =>
      resolve({ code: err === null ? 0 : typeof err.code === "number" ? err.code : 1, stdout, stderr }),
    )
  })

beforeAll(async () => {
  s3 = await startS3rver()
  ws = makeWorkspace()
  ws.write("data/in.txt", "one\ntwo\n")
  ws.write("data/other.txt", "other\n")
  ws.write("pipelines/src/p.ts", `${copyStageModule}export default pipeline({
  name: "p",
  stages: [copy.as("a", { inputs: { src: file("data/in.txt") } }), copy.as("c", { inputs: { src: file("data/other.txt") }, params: { suffix: "!" } })],
})
`)
  // a stage whose output differs on every execution, so two machines computing one key push different entries
  ws.write("pipelines/src/stamp.ts", `${copyStageModule}import { randomBytes } from "node:crypto"
const stamp = defineStage({
  name: "stamp",
  params: type({}),
  run: ({ outDir }) => Effect.sync(() => {
    writeFileSync(join(outDir, "stamp.bin"), randomBytes(4096))
    writeFileSync(join(outDir, "same.txt"), "identical on every machine")
    return null
  }),
})
export default pipeline({ name: "stamp", stages: [stamp.as("s")] })
`)
  mkdirSync(ws.path("nfs"))
}, 30_000)
afterAll(async () => {
  await s3?.stop()
  ws?.cleanup()
})

describe("ganflow remote add | list | remove", () => {
  it("keeps remotes in ganflow.json without secrets, and refuses bad ones leaving the file as it was", async () => {
    expect((await ganflow(["remote", "list"])).stdout).toContain("no remotes in")
    expect(await ganflow(["remote", "add", "lab", `file://${ws.path("nfs")}`])).toMatchObject({ code: 0 })
    const added = await ganflow(["remote", "add", "s3lab", "s3://gan-cache/lab/ganflow", "--endpoint", s3.endpoint, "--region", "us-east-1"])
    expect(added.stdout).toContain("added remote s3lab")
    expect(added.code).toBe(0)
    const list = await ganflow(["remote", "list"])
    expect(list.stdout).toMatch(new RegExp(`^lab +file://${ws.path("nfs")}$`, "m"))
    expect(list.stdout).toMatch(new RegExp(`^s3lab +s3://gan-cache/lab/ganflow  \\(endpoint ${s3.endpoint}, region us-east-1\\)$`, "m"))
    const config = readFileSync(ws.path("ganflow.json"), "utf8")
    expect(config).not.toContain(s3rverCredentials.AWS_SECRET_ACCESS_KEY)

    const withSecret = await ganflow(["remote", "add", "leak", "s3://AKIA:secret@gan-cache/x", "--endpoint", s3.endpoint])
    expect(withSecret.code).toBe(2)
    expect(withSecret.stderr).toContain("credentials never go in a remote URL")
    expect((await ganflow(["remote", "add", "lab", "file:///elsewhere"])).stderr).toContain("remote lab: already configured")
    const unreachable = await ganflow(["remote", "add", "down", "s3://gan-cache/x", "--endpoint", "http://127.0.0.1:9"])
    expect(unreachable.code).toBe(2)
    expect(unreachable.stderr).toContain("remote down (s3://gan-cache/x) is unreachable")
    expect(readFileSync(ws.path("ganflow.json"), "utf8")).toBe(config)

    expect(await ganflow(["remote", "add", "tmp", `file://${ws.path("nfs")}`])).toMatchObject({ code: 0 })
    expect(await ganflow(["remote", "remove", "tmp"])).toMatchObject({ code: 0 })
    expect(readFileSync(ws.path("ganflow.json"), "utf8")).toBe(config)
  }, 60_000)
})

describe("bad setups: a clear error naming the remote, exit 2, nothing written", () => {
  const store = () => ws.path(`store-${Math.random().toString(36).slice(2)}`)
  it("unknown remote", async () => {
    const s = store()
    const r = await ganflow(["pull", "nosuch", "--store", s])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('unknown remote "nosuch"')
    expect(existsSync(s)).toBe(false)
  }, 30_000)
  it("unreachable endpoint", async () => {
    expect(await ganflow(["remote", "add", "down", "s3://gan-cache/x", "--endpoint", "http://127.0.0.1:9", "--no-check"])).toMatchObject({ code: 0 })
    const s = store()
    const r = await ganflow(["push", "down", "--store", s])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/remote down \(s3:\/\/gan-cache\/x\) is unreachable: .*ECONNREFUSED/)
    expect(existsSync(s)).toBe(false)
  }, 30_000)
  it("wrong credentials", async () => {
    const s = store()
    const r = await ganflow(["pull", "s3lab", "--store", s], { AWS_ACCESS_KEY_ID: "WRONG", AWS_SECRET_ACCESS_KEY: "WRONG" })
    expect(r.code).toBe(2)
    expect(r.stderr).toContain("remote s3lab (s3://gan-cache/lab/ganflow) denied access")
    expect(r.stderr).toContain("InvalidAccessKeyId")
    expect(existsSync(s)).toBe(false)
  }, 30_000)
  it("a run the remote does not have", async () => {
    expect(await ganflow(["remote", "add", "empty", `file://${ws.path("nfs-empty")}`, "--no-check"])).toMatchObject({ code: 0 })
    mkdirSync(ws.path("nfs-empty"), { recursive: true })
    const s = store()
    const r = await ganflow(["pull", "empty", "20261204-000000-000-p-none", "--store", s])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(`remote empty (file://${ws.path("nfs-empty")}) has no run record 20261204-000000-000-p-none`)
  }, 30_000)
  it("a shared folder that is not there (an unmounted share is never created)", async () => {
    expect(await ganflow(["remote", "add", "gone", `file://${ws.path("not-mounted")}`, "--no-check"])).toMatchObject({ code: 0 })
    const s = store()
    const r = await ganflow(["push", "gone", "--store", s])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(`remote gone (file://${ws.path("not-mounted")}) has no folder`)
    expect(existsSync(s)).toBe(false)
    expect(existsSync(ws.path("not-mounted"))).toBe(false)
  }, 30_000)
})

describe("ganflow push / pull", () => {
  // the remotes the first test adds (added here too when run alone; "already configured" otherwise)
  beforeAll(async () => {
    await ganflow(["remote", "add", "lab", `file://${ws.path("nfs")}`])
    await ganflow(["remote", "add", "s3lab", "s3://gan-cache/lab/ganflow", "--endpoint", s3.endpoint, "--region", "us-east-1"])
  }, 30_000)
  it.each(["lab", "s3lab"])("a run pushed to %s and pulled into an empty store is all hits there", async (remote) => {
    const first = await ganflow(["run", "p"])
    expect(first.code).toBe(0)
    const pushed = await ganflow(["push", remote])
    expect(pushed.code).toBe(0)
    expect(pushed.stdout).toMatch(new RegExp(`ganflow push ${remote}: 2 entries \\(2 objects, \\d+ B\\), \\d+ run records uploaded`))
    const again = await ganflow(["push", remote])
    expect(again.stderr).toBe("")
    expect(again.stdout).toContain(": 0 entries (0 objects, 0 B), 0 run records uploaded; 2 entries were there already")

    const fresh = ws.path(`pulled-${remote}`)
    const runId = /record \S+\/runs\/(\S+)\.json/.exec(first.stdout)![1]!
    const pulled = await ganflow(["pull", remote, runId, "--store", fresh])
    expect(pulled.code).toBe(0)
    expect(pulled.stderr).toBe("")
    expect(pulled.stdout).toMatch(/: 2 entries \(2 objects, \d+ B\), 1 run records downloaded/)
    const rerun = await ganflow(["run", "p", "--store", fresh])
    expect(rerun.code).toBe(0)
    expect(rerun.stdout).toMatch(/^\s+=\s+a\s+cached$/m)
    expect(rerun.stdout).toMatch(/^\s+=\s+c\s+cached$/m)
  }, 60_000)

  it.each(["lab", "s3lab"])("two machines pushing the same key to %s at once end with one complete entry", async (remote) => {
    const stores = [ws.path(`machine-a-${remote}`), ws.path(`machine-b-${remote}`)]
    for (const store of stores) {
      const r = await ganflow(["run", "stamp", "--store", store])
      expect(r.stderr + r.stdout).toContain("ganflow: ok")
    }
    const key = readdirSync(join(stores[0]!, "manifests"))[0]!
    expect(readdirSync(join(stores[1]!, "manifests"))).toEqual([key])
    const [a, b] = stores.map((store) => readFileSync(join(store, "out", key.slice(0, -5), "stamp.bin")))
    expect(a!.equals(b!)).toBe(false)

    const pushes = await Promise.all(stores.map((store) => ganflow(["push", remote, "--store", store])))
    expect(pushes.map((p) => p.code)).toEqual([0, 0])
    const fresh = ws.path(`race-pulled-${remote}`)
    const pulled = await ganflow(["pull", remote, "--store", fresh])
    expect(pulled.code).toBe(0)
    expect(pulled.stderr).toBe("")
    const got = readFileSync(join(fresh, "out", key.slice(0, -5), "stamp.bin"))
    expect(got.equals(a!) || got.equals(b!)).toBe(true)
    expect((await ganflow(["verify", "--store", fresh])).code).toBe(0)
  }, 60_000)

  it("gc --remote removes old objects no entry names, leaves young ones (a push in progress) and every entry", async () => {
    const orphan = (content: string, ageMs: number) => {
      const digest = createHash("sha256").update(content).digest("hex")
      const path = ws.path(`nfs/objects/${digest.slice(0, 2)}/${digest.slice(2)}`)
      mkdirSync(dirname(path), { recursive: true })
      writeFileSync(path, content)
      const t = new Date(Date.now() - ageMs)
      utimesSync(path, t, t)
      return path
    }
    const old = orphan("left by a push two hours ago that never published its manifest", 2 * 3_600_000)
    const young = orphan("uploaded a second ago by a push still running", 1_000)
    const r = await ganflow(["gc", "--remote", "lab"])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/ganflow gc --remote lab: removed 1 objects \(62 B\), 0 broken entries, 0 abandoned uploads; 3 entries kept/)
    expect(existsSync(old)).toBe(false)
    expect(existsSync(young)).toBe(true)
    const fresh = ws.path("after-gc")
    const pulled = await ganflow(["pull", "lab", "--store", fresh])
    expect(pulled.code).toBe(0)
    expect(pulled.stdout).toMatch(/: 3 entries/)
    expect((await ganflow(["verify", "--store", fresh])).code).toBe(0)
  }, 30_000)
})
