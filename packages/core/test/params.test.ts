import { describe, expect, it } from "vitest"
import { type } from "arktype"
import {
  applyOverrides, assignment, closestKey, describeOverride, editDistance, flattenParams, mergeParams, type ParamOverride, paramsPatch,
  parseAssignment, validateParams,
} from "../src/index.ts"

const schema = type({ lr: "number = 0.0002", beta1: "0 <= number < 1 = 0.5", steps: "number.integer >= 1 = 100", loss: "'bce' | 'hinge' = 'bce'" })

/** Nested objects, an array of objects, a defaulted sub-object and a discriminated union, none with `"+": "reject"`. */
const nested = type({
  samples: "number.integer > 0 = 10",
  sampleCap: "number.integer > 0 = 10",
  adam: type({ beta1: "number = 0.5", beta2: "number = 0.999" }).default(() => ({})),
  model: type({ architecture: "'dcgan'", "options?": { "resolution?": "28 | 32 | 64", "ngf?": "number" } }).or({
    architecture: "'vanilla'",
    "options?": { "hidden?": "number", "imageShape?": "number[]" },
  }),
  "layers?": type({ units: "number", activation: "string" }).array(),
})

const problemsOf = (input: unknown) => {
  const r = validateParams("fid", nested, input)
  return r.ok ? [] : r.problems
}

describe("params", () => {
  it("fills defaults", () => {
    expect(validateParams("train", schema, { steps: 5 })).toEqual({ ok: true, params: { lr: 0.0002, beta1: 0.5, steps: 5, loss: "bce" } })
  })
  it("names the path and the bad value", () => {
    const r = validateParams("train", schema, { lr: "fast", loss: "l2", extra: 1 })
    expect(r.ok).toBe(false)
    const problems = (r as { problems: string[] }).problems
    expect(problems).toContain('train.params.lr: must be a number (was "fast")')
    expect(problems.some((p) => p.startsWith("train.params.loss: must be") && p.includes('(was "l2")'))).toBe(true)
    expect(problems).toContain("train.params.extra: unknown key (not in the stage's params)")
  })
  it("rejects unknown keys at every depth even when the schema does not say so, suggesting the closest key", () => {
    expect(problemsOf({ samplez: 2000, model: { architecture: "dcgan" } })).toEqual(["fid.params.samplez: unknown key (did you mean samples?)"])
    expect(problemsOf({ sampleCapp: 5, model: { architecture: "dcgan" } })).toEqual(["fid.params.sampleCapp: unknown key (did you mean sampleCap?)"])
    // depth 2: a defaulted sub-object, and a union branch picked by its discriminant
    expect(problemsOf({ adam: { betta1: 0.9 }, model: { architecture: "dcgan" } })).toEqual(["fid.params.adam.betta1: unknown key (did you mean beta1?)"])
    expect(problemsOf({ adam: { beta: 0.9 }, model: { architecture: "dcgan" } })).toEqual(["fid.params.adam.beta: unknown key (not in the stage's params)"]) // beta1 or beta2: a tie
    expect(problemsOf({ model: { architecture: "dcgan", optoins: {} } })).toEqual(["fid.params.model.optoins: unknown key (did you mean options?)"])
    // depth 3: the suggestion comes from the branch the data chose (hidden is vanilla's, not dcgan's)
    expect(problemsOf({ model: { architecture: "dcgan", options: { resolutoin: 32 } } })).toEqual(["fid.params.model.options.resolutoin: unknown key (did you mean resolution?)"])
    expect(problemsOf({ model: { architecture: "dcgan", options: { hiden: 3 } } })).toEqual(["fid.params.model.options.hiden: unknown key (not in the stage's params)"])
    expect(problemsOf({ model: { architecture: "vanilla", options: { hiden: 3 } } })).toEqual(["fid.params.model.options.hiden: unknown key (did you mean hidden?)"])
    // inside an array of objects
    expect(problemsOf({ model: { architecture: "dcgan" }, layers: [{ units: 3, activation: "relu" }, { units: 3, activaton: "relu" }] })).toEqual([
      "fid.params.layers.1.activation: must be a string (was missing)",
      "fid.params.layers.1.activaton: unknown key (did you mean activation?)",
    ])
    expect(problemsOf({ model: { architecture: "dcgan", options: { resolution: 48 } } })).toEqual(["fid.params.model.options.resolution: must be 28, 32 or 64 (was 48)"])
  })
  it("points a key given at the wrong depth to where it belongs, in the branch the data chose", () => {
    expect(problemsOf({ resolution: 32, model: { architecture: "dcgan" } })).toEqual(["fid.params.resolution: unknown key (did you mean model.options.resolution?)"])
    expect(problemsOf({ model: { architecture: "dcgan", resolution: 32 } })).toEqual(["fid.params.model.resolution: unknown key (did you mean options.resolution?)"])
    expect(problemsOf({ hidden: 3, model: { architecture: "dcgan" } })).toEqual(["fid.params.hidden: unknown key (not in the stage's params)"]) // vanilla's
    expect(problemsOf({ hidden: 3, model: { architecture: "vanilla" } })).toEqual(["fid.params.hidden: unknown key (did you mean model.options.hidden?)"])
    expect(problemsOf({ beta1: 0, model: { architecture: "vanilla" } })).toEqual(["fid.params.beta1: unknown key (did you mean adam.beta1?)"])
  })
  it("suggests a key only when it is close and unambiguous", () => {
    expect(editDistance("samplez", "samples")).toBe(1)
    expect(editDistance("titel", "title")).toBe(1) // a swap of neighbours is one edit
    expect(editDistance("Samples", "samples")).toBe(0)
    expect(closestKey("samplez", ["samples", "sampleCap", "metrics"])).toBe("samples")
    expect(closestKey("titel", ["title", "subtitle"])).toBe("title")
    expect(closestKey("lr", ["steps", "loss"])).toBe(undefined) // 2 edits is too many for a 2-letter key
    expect(closestKey("zzzzzz", ["samples", "steps"])).toBe(undefined)
    expect(closestKey("ab", ["ac", "ad"])).toBe(undefined) // a tie says nothing
  })
  it("parses --set values as JSON when they are JSON, as strings otherwise", () => {
    const set = (text: string) => {
      const o = parseAssignment(text)
      return typeof o === "string" ? o : o._tag === "Assignment" ? { stage: o.stage, path: o.path, value: o.value } : o
    }
    expect(set("train.lr=1e-4")).toEqual({ stage: "train", path: ["lr"], value: 0.0001 })
    expect(set("data.dir=../shared/datasets/anime-faces-64")).toEqual({ stage: "data", path: ["dir"], value: "../shared/datasets/anime-faces-64" })
    expect(set("train.opt.betas=[0.5,0.999]")).toEqual({ stage: "train", path: ["opt", "betas"], value: [0.5, 0.999] })
    expect(set("lr=1")).toBe("--set lr=1: expected stage.param=value")
    expect(set("train.lr")).toBe("--set train.lr: expected stage.param=value")
    expect(set("train..lr=1")).toBe("--set train..lr=1: expected stage.param=value")
  })
  it("merges patches key by key, while --set replaces whole values, in the order given", () => {
    const params = { steps: 5, model: { architecture: "dcgan", options: { resolution: 32, ngf: 32 } }, tricks: { realLabel: 0.9 } }
    const patch = paramsPatch("profile full", { train: { model: { options: { resolution: 64 } }, "adam.beta1": 0 }, "fid.samples": 9 }) as ParamOverride
    expect(patch).toEqual({ _tag: "Patch", source: "profile full", patch: { train: { model: { options: { resolution: 64 } }, adam: { beta1: 0 } }, fid: { samples: 9 } } })
    expect(applyOverrides("train", params, [patch])).toEqual({ ...params, model: { architecture: "dcgan", options: { resolution: 64, ngf: 32 } }, adam: { beta1: 0 } })
    const whole = assignment("train.model", { architecture: "vanilla" }) as ParamOverride
    const steps = parseAssignment("train.steps=7") as ParamOverride
    expect(applyOverrides("train", params, [patch, whole, steps])).toEqual({ ...params, steps: 7, model: { architecture: "vanilla" }, adam: { beta1: 0 } })
    expect(applyOverrides("data", params, [patch, whole])).toBe(params)
    expect(mergeParams({ a: [1, 2], b: { c: 1 } }, { a: [3], b: { d: 2 } })).toEqual({ a: [3], b: { c: 1, d: 2 } })
    expect(describeOverride(patch)).toEqual(["train.model.options.resolution=64", "train.adam.beta1=0", "fid.samples=9"])
    expect(describeOverride(parseAssignment("data.dir=../faces") as ParamOverride)).toEqual(["data.dir=../faces"])
    expect(describeOverride(assignment("demo.title", "3") as ParamOverride)).toEqual(['demo.title="3"'])
    expect(paramsPatch("--params p.json", [1])).toMatch(/^--params p\.json: must be a JSON object/)
    expect(paramsPatch("--params p.json", { samples: 3 })).toBe("--params p.json: samples must be an object of that stage's params (was 3)")
  })
  it("flattens nested params for diffs", () => {
    expect(flattenParams({ a: { b: 1, c: [1, 2] }, d: "x" })).toEqual({ "a.b": 1, "a.c": [1, 2], d: "x" })
  })
})
