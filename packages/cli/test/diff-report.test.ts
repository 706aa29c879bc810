/**
 * `ganflow diff` as users drive it: two real runs of a small pipeline (a cached data stage that writes a
 * picture, a training-like stage that writes sample grids, a JSONL log and a metric) in a temporary workspace,
 * through the `ganflow` launcher in child processes; then the text diff and the HTML diff report.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { execFile } from "node:child_process"
import { randomBytes } from "node:crypto"
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..")
const ganflowBin = join(repoRoot, "packages/cli/bin/ganflow.mjs")
// inside the repository so that @ganflow/* resolve from the workspace's node_modules
const ws = join(repoRoot, ".test-work", `diff-${process.pid}-${randomBytes(4).toString("hex")}`)

const pipelineSource = `import { Effect } from "effect"
import { type } from "arktype"
import { writeFileSync, mkdirSync } from "node:fs"
import { join } from "node:path"
import { defineStage, pipeline, StageEvents, upstream } from "@ganflow/core"
import { imagesFromFloats, renderImageGrid } from "@ganflow/viz"

const grey = (v: number) => renderImageGrid(imagesFromFloats(new Float32Array(4 * 4 * 3).fill(v), [1, 4, 4, 3], "sigmoid"), { scale: 4 })

const prepare = defineStage({
  name: "prepare",
  params: type({ size: "number = 4" }),
  run: ({ outDir }) => Effect.promise(async () => {
    writeFileSync(join(outDir, "preview.png"), await grey(0.5))
    return null
  }),
})
const train = defineStage({
  name: "train",
  params: type({ lr: "number = 0.1", steps: "number = 4" }),
  inputs: { data: upstream() },
  run: ({ params, outDir }) => Effect.flatMap(StageEvents, ({ metric }) => Effect.promise(async () => {
    mkdirSync(join(outDir, "samples"))
    let loss = 1
    const lines: string[] = []
    for (let step = 1; step <= params.steps; step++) {
      loss *= 1 - params.lr
      lines.push(JSON.stringify({ step, time: Date.now() / 1000, dLoss: loss, gLoss: 1 - loss }))
      if (step % 2 === 0) writeFileSync(join(outDir, "samples", \`step-\${step}.png\`), await grey(loss))
    }
    writeFileSync(join(outDir, "steps.jsonl"), lines.join("\\n") + "\\n")
    metric("final_loss", loss)
    return null
  })),
})
const data = prepare.as("data")
export default pipeline({
  name: "pics",
  stages: [data, train.as("train", { inputs: { data } })],
})
`

const ganflow = (args: string[]) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((done) =>
    execFile(process.execPath, [ganflowBin, ...args], { cwd: ws, env: { ...process.env, NO_COLOR: "1" } }, (err, stdout, stderr) =>
      done({ code: err === null ? 0 : typeof err.code === "number" ? err.code : 1, stdout, stderr }),
    ),
  )

let first: string
let second: string
beforeAll(async () => {
  mkdirSync(join(ws, "pipelines", "src"), { recursive: true })
  writeFileSync(join(ws, "package.json"), JSON.stringify({ name: "test-ws", private: true, type: "module", workspaces: [] }))
  writeFileSync(join(ws, "pipelines", "src", "pics.ts"), pipelineSource)
  const a = await ganflow(["run", "pics"])
  expect(a.code, a.stderr).toBe(0)
  const b = await ganflow(["run", "pics", "--set", "train.lr=0.3", "--set", "train.steps=6"])
  expect(b.code, b.stderr).toBe(0)
  const ids = readdirSync(join(ws, ".ganflow", "runs")).filter((f) => f.endsWith(".json")).sort().map((f) => f.replace(/\.json$/, ""))
  expect(ids).toHaveLength(2)
  ;[first, second] = [ids[0]!, ids[1]!]
}, 60_000)
afterAll(() => rmSync(ws, { recursive: true, force: true }))

describe("ganflow diff", () => {
  it("prints only what differs (params, metrics, outputs), then writes the HTML diff report and prints its path", async () => {
    const { code, stdout, stderr } = await ganflow(["diff", "previous", "latest"])
    expect(code, stderr).toBe(0)
    expect(stdout).toMatch(/^params: 2 of 3 differ$/m)
    expect(stdout).toMatch(/^ {2}train\.lr\s+0\.1\s+0\.3$/m)
    expect(stdout).toMatch(/^ {2}train\.steps\s+4\s+6$/m)
    expect(stdout).toMatch(/^ {2}train\.final_loss\s+0\.656100\s+0\.117649\s+\(B − A -0\.538451\)$/m)
    expect(stdout).toMatch(/^outputs: 1 of 2 differ\n.*\n {2}train\s+[0-9a-f]{12}\s+[0-9a-f]{12}$/m)
    expect(stdout).not.toContain("data.size") // the same in both runs: only counted
    expect(stdout).toContain("the same in both: 1 param, 1 stage output (--all lists them)")
    const path = stdout.match(/^report: (.+)$/m)?.[1]
    expect(path).toBe(join(ws, ".ganflow", "reports", `diff-${first}-vs-${second}.html`))
    const html = readFileSync(path!, "utf8")

    // both runs in the header, the differing params in the first table
    expect(html).toContain(`<code>${first}</code>`)
    expect(html).toContain(`<code>${second}</code>`)
    const differ = html.match(/<table class="params-differ">([\s\S]*?)<\/table>/)![1]!
    expect(differ).toContain("<td>train.lr</td><td><code>0.1</code></td><td><code>0.3</code></td>")
    expect(differ).toContain("<td>train.steps</td><td><code>4</code></td><td><code>6</code></td>")
    expect(differ).not.toContain("data.size")

    // the same sample of both runs side by side, A then B; a sample only B has; the cached picture marked identical
    const pair = (p: string) => html.match(new RegExp(`<div class="pair" data-path="${p}">(.*?)</div>(?=\\n|$)`))?.[1] ?? ""
    const step2 = [...pair("samples/step-2.png").matchAll(/src="([^"]+)"/g)].map((m) => resolve(dirname(path!), decodeURIComponent(m[1]!)))
    expect(step2).toHaveLength(2)
    expect(step2[0]).not.toBe(step2[1])
    expect(readFileSync(step2[0]!)).not.toEqual(readFileSync(step2[1]!))
    expect(pair("samples/step-6.png")).toContain("not in A")
    expect(pair("preview.png")).toContain("identical in A and B")
    const links = [...html.matchAll(/src="([^"]+)"/g)].map((m) => resolve(dirname(path!), decodeURIComponent(m[1]!)))
    expect(links.length).toBe(2 + 2 + 2 + 1) // preview, step-2 and step-4 in both, step-6 in B
    for (const link of links) expect(existsSync(link), link).toBe(true)

    // both runs' losses in one chart, A solid and B dashed; the metric with its difference
    const chart = [...html.matchAll(/<svg[\s\S]*?<\/svg>/g)].map((m) => m[0]).find((s) => s.includes(">train: steps.jsonl — dLoss<"))!
    expect(chart).toContain(">A: dLoss<")
    expect(chart).toContain(">B: dLoss<")
    expect(chart.match(/<polyline[^>]*>/g)!.map((p) => p.includes("stroke-dasharray"))).toEqual([false, true])
    expect(html).toMatch(/<tr><td>train<\/td><td>final_loss<\/td><td>0\.656100<\/td><td>0\.117649<\/td><td>−0\.5385<\/td>/)
  }, 30_000)

  it("--all lists every param, metric and output, starring the differing ones", async () => {
    const { code, stdout, stderr } = await ganflow(["diff", "previous", "latest", "--all"])
    expect(code, stderr).toBe(0)
    expect(stdout).toMatch(/^ {2}\* train\.lr\s+0\.1\s+0\.3$/m)
    expect(stdout).toMatch(/^ {4}data\.size\s+4\s+4$/m)
    expect(stdout).toMatch(/^ {4}data\s+([0-9a-f]{12})\s+\1$/m)
    expect(stdout).not.toContain("--all lists them")
  }, 30_000)

  it("fails with exit code 2 and names the run it cannot find", async () => {
    const { code, stderr } = await ganflow(["diff", "latest", "no-such-run"])
    expect(code).toBe(2)
    expect(stderr).toContain("no-such-run")
  })
})
