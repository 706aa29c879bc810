import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join, resolve } from "node:path"
import { type RunRecord, openLocalStore, type Store } from "@ganflow/core"
import { imagesFromFloats, renderImageGrid } from "@ganflow/viz"
import { renderRunDiffReport, seriesFromStepTable, writeRunDiffReport } from "../src/index.ts"

let dir: string
let runA: RunRecord
let runB: RunRecord

const png = (grey: number) => renderImageGrid(imagesFromFloats(new Float32Array(12).fill(grey), [1, 2, 2, 3], "sigmoid"))
const write = (path: string, content: string | Buffer) => {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, content)
}
const stepLog = (losses: number[]) => losses.map((d, i) => JSON.stringify({ step: i + 1, time: 1.7e9 + i, dLoss: d, gLoss: 1 - d })).join("\n") + "\n"

const run = (id: string, lr: number, stages: Array<Partial<RunRecord["stages"][number]> & { name: string }>, extra: Partial<RunRecord> = {}): RunRecord => ({
  id, pipeline: "dcgan", status: "ok", startedAt: "2026-11-23T00:00:00Z", durationMs: 2000, profile: null, overrides: [`train.lr=${lr}`],
  host: { node: "v20", platform: "linux", cpus: 2 },
  stages: stages.map((s) => ({ stage: s.name, upstreams: [], status: "ran", reasons: [], durationMs: 10, metrics: {}, env: {}, params: {}, ...s })),
  ...extra,
})

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "viz-diff-"))
  const out = (key: string) => join(dir, "store", "out", key)
  // data: the same cached output in both runs
  write(join(out("data"), "preview.png"), await png(0.5))
  write(join(out("data"), "chart.svg"), '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>')
  write(join(out("data"), "chart.png"), await png(0.1))
  // train: different outputs; step-2 only in B, only-a.png only in A
  write(join(out("trainA"), "samples", "step-1.png"), await png(0.2))
  write(join(out("trainA"), "samples", "only a.png"), await png(0.3))
  write(join(out("trainA"), "steps.jsonl"), stepLog([0.9, 0.7, 0.6]))
  write(join(out("trainB"), "samples", "step-1.png"), await png(0.8))
  write(join(out("trainB"), "samples", "step-2.png"), await png(0.9))
  write(join(out("trainB"), "steps.jsonl"), stepLog([0.8, 0.5]))
  write(join(out("evalA"), "metrics.json"), JSON.stringify([{ checkpoint: "step-1", step: 1, values: { fid: 80 } }, { checkpoint: "step-3", step: 3, values: { fid: 50 } }]))
  write(join(out("evalB"), "metrics.json"), JSON.stringify([{ checkpoint: "step-1", step: 1, values: { fid: 70 } }, { checkpoint: "step-2", step: 2, values: { fid: 40 } }]))
  const data = { name: "data", stage: "faces", dir: out("data"), outputDigest: "d1", params: { size: 64 } }
  runA = run("20261123-000000-000-dcgan-aaaa", 0.0002, [
    { ...data },
    { name: "train", stage: "train-gan", dir: out("trainA"), outputDigest: "tA", params: { lr: 0.0002, steps: 3 } },
    { name: "eval", stage: "fid", dir: out("evalA"), outputDigest: "eA", metrics: { fid: 50 } },
  ])
  runB = run("20261123-000100-000-dcgan-bbbb", 0.0001, [
    { ...data, status: "cached" },
    { name: "train", stage: "train-gan", dir: out("trainB"), outputDigest: "tB", reasons: ["params changed: lr 0.0002 -> 0.0001"], params: { lr: 0.0001, steps: 3 } },
    { name: "eval", stage: "fid", dir: out("evalB"), outputDigest: "eB", metrics: { fid: 40 } },
    { name: "render", stage: "gif", dir: out("gone"), outputDigest: "r" },
  ])
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe("renderRunDiffReport", () => {
  it("heads the page with both runs and lists only the differing params first, all of them on demand", () => {
    const html = renderRunDiffReport(runA, runB, join(dir, "store", "reports"))
    expect(html).toContain("<code>20261123-000000-000-dcgan-aaaa</code>")
    expect(html).toContain("<code>20261123-000100-000-dcgan-bbbb</code>")
    const differ = html.match(/<table class="params-differ">([\s\S]*?)<\/table>/)![1]!
    expect(differ).toContain(`<tr class="differs"><td>train.lr</td><td><code>0.0002</code></td><td><code>0.0001</code></td></tr>`)
    expect(differ).not.toContain("train.steps")
    const all = html.match(/<table class="params-all">([\s\S]*?)<\/table>/)![1]!
    expect(all).toContain(`<tr class="same"><td>train.steps</td><td><code>3</code></td><td><code>3</code></td></tr>`)
    expect(html).toContain("All params (3, 1 differ)")
  })

  it("shows metrics with the difference and stage statuses with whether outputs are identical", () => {
    const html = renderRunDiffReport(runA, runB, join(dir, "store", "reports"))
    expect(html).toContain("<tr><td>eval</td><td>fid</td><td>50</td><td>40</td><td>−10</td><td>−20 %</td></tr>")
    const stages = html.match(/<table class="stages">([\s\S]*?)<\/table>/)![1]!
    expect(stages).toMatch(/<td>data<\/td>.*<td>identical<\/td>/)
    expect(stages).toMatch(/<td>train<\/td>.*params changed: lr 0.0002 -&gt; 0.0001.*<td class="differs">differs<\/td>/)
    expect(stages).toMatch(/<td>render<\/td><td>gif<\/td><td class="none">not in this run<\/td>/)
    expect(html).toContain("Output of B is no longer in the store")
  })

  it("pairs pictures by their path in the stage folder, A left and B right, and marks what one side lacks", () => {
    const base = join(dir, "store", "reports")
    const html = renderRunDiffReport(runA, runB, base)
    const pair = (path: string) => html.match(new RegExp(`<div class="pair" data-path="${path}">(.*?)</div>(?=\\n|$)`))?.[1] ?? ""
    const step1 = pair("samples/step-1.png")
    expect(step1.indexOf('src="../out/trainA/samples/step-1.png"')).toBeGreaterThan(0)
    expect(step1.indexOf('src="../out/trainB/samples/step-1.png"')).toBeGreaterThan(step1.indexOf("trainA"))
    expect(pair("samples/step-2.png")).toContain("not in A")
    expect(pair("samples/only a.png")).toContain('src="../out/trainA/samples/only%20a.png"')
    expect(pair("samples/only a.png")).toContain("not in B")
    expect(pair("preview.png")).toContain("identical in A and B")
    expect(step1).not.toContain("identical")
    const links = [...html.matchAll(/src="([^"]+)"/g)].map((m) => decodeURIComponent(m[1]!))
    expect(links).toHaveLength(8) // chart.svg x2, preview x2, step-1 x2, only a (A), step-2 (B)
    expect(pair("chart.svg")).toContain("identical in A and B")
    expect(html).not.toContain('data-path="chart.png"') // the PNG twin of an SVG chart is not shown again
    for (const link of links) expect(existsSync(resolve(base, link)), link).toBe(true)
  })

  it("overlays both runs' log curves per field (A solid, B dashed) and skips clock fields", () => {
    const html = renderRunDiffReport(runA, runB, join(dir, "store", "reports"))
    const svgs = [...html.matchAll(/<svg[\s\S]*?<\/svg>/g)].map((m) => m[0])
    const chart = (title: string) => svgs.find((s) => s.includes(`>${title}<`))
    const d = chart("train: steps.jsonl — dLoss")!
    expect(d).toContain(">A: dLoss<")
    expect(d).toContain(">B: dLoss<")
    expect(d.match(/<polyline[^>]*>/g)!.map((p) => p.includes("stroke-dasharray"))).toEqual([false, true])
    expect(chart("train: steps.jsonl — gLoss")).toBeDefined()
    expect(chart("train: steps.jsonl — time")).toBeUndefined()
    const fid = chart("eval: metrics.json — fid")!
    expect(fid).toContain(">A: fid<")
    expect(fid).toContain(">B: fid<")
  })
})

describe("seriesFromStepTable", () => {
  it("reads numeric fields and `values` of rows with a step; anything else gives nothing", () => {
    expect(seriesFromStepTable(JSON.stringify([{ step: 1, checkpoint: "a", loss: 2, values: { fid: 9 } }, { step: 5, values: { fid: 7 } }, { nostep: 1 }]))).toEqual([
      { name: "loss", points: [[1, 2]] },
      { name: "fid", points: [[1, 9], [5, 7]] },
    ])
    expect(seriesFromStepTable('{"format":"layers-model"}')).toEqual([])
    expect(seriesFromStepTable("not json")).toEqual([])
  })
})

describe("writeRunDiffReport", () => {
  it("writes reports/diff-<A>-vs-<B>.html into the store and returns its path", async () => {
    const store = openLocalStore(join(dir, "store"))
    const path = await writeRunDiffReport({ runA, runB, store })
    expect(path).toBe(join(dir, "store", "reports", `diff-${runA.id}-vs-${runB.id}.html`))
    expect(readFileSync(path, "utf8")).toContain("A: dLoss")
  })
})
