import { describe, expect, it } from "vitest"
import { parseArguments } from "../src/index.ts"

describe("parseArguments", () => {
  it("reads repeated --set in both spellings (as Nx forwards them), --only lists and flags", () => {
    const a = parseArguments(["run", "dcgan-anime", "--set", "train.lr=1e-4", "--set=data.dir=../shared/datasets/anime-faces-64", "--only", "data,train", "--watch", "-j", "2"])
    expect(a).toMatchObject({
      command: "run",
      positionals: ["dcgan-anime"],
      set: [
        { _tag: "Assignment", source: "--set train.lr=1e-4", stage: "train", path: ["lr"], value: 1e-4 },
        { _tag: "Assignment", source: "--set data.dir=../shared/datasets/anime-faces-64", stage: "data", path: ["dir"], value: "../shared/datasets/anime-faces-64" },
      ],
      only: ["data", "train"],
      watch: true,
      jobs: 2,
    })
  })
  it("rejects unknown options and bad --jobs with a message", () => {
    expect(() => parseArguments(["run", "x", "--sett", "a=b"])).toThrow("Unknown option '--sett'")
    expect(() => parseArguments(["run", "x", "--jobs", "0"])).toThrow("--jobs must be a positive integer (was 0)")
    expect(() => parseArguments(["run", "x", "--set", "steps=3"])).toThrow("--set steps=3: expected stage.param=value")
  })
  it("reads diff's --all (off by default)", () => {
    expect(parseArguments(["diff", "a", "b"]).all).toBe(false)
    expect(parseArguments(["diff", "a", "b", "--all"])).toMatchObject({ command: "diff", positionals: ["a", "b"], all: true })
  })
})

describe("--gpus", () => {
  it("takes a positive integer and rejects anything else with the flag's name", () => {
    expect(parseArguments(["run", "dcgan-anime", "--gpus", "2"]).gpus).toBe(2)
    expect(parseArguments(["run", "dcgan-anime"]).gpus).toBeUndefined()
    expect(() => parseArguments(["run", "dcgan-anime", "--gpus", "0"])).toThrow(/--gpus must be a positive integer \(was 0\)/)
  })
})

describe("--executor slurm and its options", () => {
  it("reads placement and per-job resources", () => {
    const args = parseArguments(["run", "demo", "--executor", "slurm", "--partition", "gpu", "--account", "lab", "--qos", "high", "--time", "1:30:00", "--mem", "16G", "--cpus", "4", "--set", "top.k=3"])
    expect(args).toMatchObject({ executor: "slurm", slurm: { partition: "gpu", account: "lab", qos: "high", time: "1:30:00", memory: "16G", cpus: 4 } })
    expect(parseArguments(["run", "demo"])).toMatchObject({ executor: "local", slurm: {} })
  })
  it("rejects a bad executor, Slurm values and Slurm options without --executor slurm, naming the flag", () => {
    expect(() => parseArguments(["run", "demo", "--executor", "k8s"])).toThrow("--executor must be local or slurm (was k8s)")
    expect(() => parseArguments(["run", "demo", "--partition", "gpu"])).toThrow("--partition is a Slurm option: add --executor slurm")
    expect(() => parseArguments(["run", "demo", "--executor", "slurm", "--mem", "lots"])).toThrow(/--mem must be Slurm's notation/)
    expect(() => parseArguments(["run", "demo", "--executor", "slurm", "--time", "1h"])).toThrow(/--time must be Slurm's notation/)
    expect(() => parseArguments(["run", "demo", "--executor", "slurm", "--cpus", "0"])).toThrow("--cpus must be a positive integer (was 0)")
    expect(() => parseArguments(["exec-stage", "demo", "--stage", "top", "--key", "abc"])).toThrow(/--key must be a cache key/)
  })
})

describe("--remote / --pull-all", () => {
  it("apply to run (and --remote to status); elsewhere, or --pull-all without --remote, are errors naming them", () => {
    expect(parseArguments(["run", "dcgan-anime", "--remote", "lab", "--pull-all"])).toMatchObject({ remote: "lab", pullAll: true })
    expect(parseArguments(["status", "dcgan-anime", "--remote", "lab"])).toMatchObject({ remote: "lab", pullAll: false })
    expect(parseArguments(["run", "dcgan-anime"])).toMatchObject({ remote: undefined, pullAll: false })
    expect(() => parseArguments(["diff", "a", "b", "--remote", "lab"])).toThrow("--remote applies to run, status and gc (was given to diff)")
    expect(() => parseArguments(["run", "dcgan-anime", "--pull-all"])).toThrow("--pull-all applies to run --remote <name>")
    expect(() => parseArguments(["status", "dcgan-anime", "--remote", "lab", "--pull-all"])).toThrow("--pull-all applies to run --remote <name>")
  })
})
