import { describe, expect, it } from "vitest"
import { diffRuns, formatRunDiff, type RunRecord } from "../src/index.ts"

const run = (id: string, lr: number, fid: number, trainOut: string): RunRecord => ({
  id, pipeline: "p", status: "ok", startedAt: "", durationMs: 1, profile: null, overrides: [], host: { node: "v20", platform: "linux", cpus: 2 },
  stages: [
    { name: "data", stage: "image-source", upstreams: [], status: "cached", reasons: [], durationMs: 1, outputDigest: "a".repeat(64), metrics: { images: 100 }, env: {}, params: { size: 32, dir: "" } },
    { name: "train", stage: "train-gan", upstreams: ["data"], status: "ran", reasons: [], durationMs: 1, outputDigest: trainOut, metrics: { fid }, env: {}, params: { lr, steps: 100 } },
  ],
})
const a = run("run-a", 0.0002, 50.5, "b".repeat(64))
const b = run("run-b", 0.0001, 40, "c".repeat(64))

describe("diffRuns", () => {
  it("compares params, metrics (with B − A) and stage outputs of two runs", () => {
    const d = diffRuns(a, b)
    expect(d.params).toEqual([
      { key: "data.dir", a: '""', b: '""', differs: false },
      { key: "data.size", a: "32", b: "32", differs: false },
      { key: "train.lr", a: "0.0002", b: "0.0001", differs: true },
      { key: "train.steps", a: "100", b: "100", differs: false },
    ])
    expect(d.metrics).toEqual([
      { key: "data.images", a: "100", b: "100", differs: false, delta: 0 },
      { key: "train.fid", a: "50.5000", b: "40", differs: true, delta: -10.5 },
    ])
    expect(d.outputs.map((r) => [r.key, r.differs])).toEqual([["data", false], ["train", true]])
  })
})

describe("formatRunDiff", () => {
  it("shows only what differs by default, and counts what is the same", () => {
    const text = formatRunDiff(diffRuns(a, b), ["run-a", "run-b"], { all: false })
    expect(text.split("\n").filter((l) => l !== "")).toEqual([
      "A run-a",
      "B run-b",
      "params: 1 of 4 differ",
      "             A             B",
      "  train.lr   0.0002        0.0001",
      "metrics: 1 of 2 differ",
      "             A             B",
      "  train.fid  50.5000       40            (B − A -10.5000)",
      "outputs: 1 of 2 differ",
      "             A             B",
      "  train      bbbbbbbbbbbb  cccccccccccc",
      "the same in both: 3 params, 1 metric, 1 stage output (--all lists them)",
    ])
  })
  it("--all lists every row and stars the differing ones", () => {
    const text = formatRunDiff(diffRuns(a, b), ["run-a", "run-b"], { all: true })
    expect(text).toMatch(/^ {4}data\.size +32 +32$/m)
    expect(text).toMatch(/^ {2}\* train\.lr +0\.0002 +0\.0001$/m)
    expect(text).toMatch(/^ {4}data +aaaaaaaaaaaa +aaaaaaaaaaaa$/m)
    expect(text).not.toContain("--all lists them")
  })
  it("says so when nothing differs", () => {
    expect(formatRunDiff(diffRuns(a, a), ["run-a", "run-a"], { all: false })).toContain("no differences in params, metrics or outputs")
  })
})
