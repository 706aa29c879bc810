/**
 * The same params errors when arktype interprets its types instead of compiling them, as the bundled `ganflow` CLI
 * runs it (`packages/cli/bin/arktype-jitless.mjs`): a union then reports every branch, and the error lines must
 * still name the branch the data chose.
 */
import "./arktype-interpreted.ts"
import { describe, expect, it } from "vitest"
import { type } from "arktype"
import { validateParams } from "../src/index.ts"

const schema = type({
  steps: "number.integer > 0 = 1",
  model: type({ architecture: "'dcgan'", "options?": { "resolution?": "28 | 32 | 64", "ngf?": "number" } }).or({
    architecture: "'vanilla'",
    "options?": { "hidden?": "number" },
  }),
})
const problemsOf = (input: unknown) => {
  const r = validateParams("train", schema, input)
  return r.ok ? [] : r.problems
}

describe("params, interpreted", () => {
  it("name the problem inside the union branch the discriminant chose", () => {
    expect(problemsOf({ model: { architecture: "dcgan", options: { resolution: 48 } } })).toEqual(["train.params.model.options.resolution: must be 28, 32 or 64 (was 48)"])
    expect(problemsOf({ model: { architecture: "dcgan", options: { ngff: 8 } } })).toEqual(["train.params.model.options.ngff: unknown key (did you mean ngf?)"])
    expect(problemsOf({ model: { architecture: "vanilla", options: { ngf: 8 } } })).toEqual(["train.params.model.options.ngf: unknown key (not in the stage's params)"])
  })
  it("say which constants the discriminant may be when none matches", () => {
    expect(problemsOf({ model: { architecture: "dcgann" } })).toEqual(['train.params.model.architecture: must be "dcgan" or "vanilla" (was "dcgann")'])
  })
})
