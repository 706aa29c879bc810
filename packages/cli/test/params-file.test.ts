import { describe, expect, it } from "vitest"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { overridesFromParamsFile, overridesOf } from "../src/params-file.ts"

describe("--params file", () => {
  const dir = mkdtempSync(join(tmpdir(), "ganflow-params-"))
  const file = (name: string, text: string) => {
    const path = join(dir, name)
    writeFileSync(path, text)
    return path
  }

  it("turns a JSON object of stage.param values into --set overrides that come before the command line's", () => {
    const path = file("ok.json", JSON.stringify({ "fid.samples": 2000, "train.model": { architecture: "dcgan" }, "data.dir": "faces" }))
    expect(overridesFromParamsFile(path)).toEqual(["fid.samples=2000", 'train.model={"architecture":"dcgan"}', 'data.dir="faces"'])
    expect(overridesOf({ paramsFile: path, set: ["fid.samples=10"] }).at(-1)).toBe("fid.samples=10")
    expect(overridesOf({ paramsFile: undefined, set: ["a.b=1"] })).toEqual(["a.b=1"])
  })

  it("names the file and the problem when it is missing, not JSON, not an object, or has a bad key", () => {
    expect(() => overridesFromParamsFile(join(dir, "nope.json"))).toThrow(/--params .*nope\.json: no such file/)
    expect(() => overridesFromParamsFile(file("bad.json", "{ fid.samples: 3"))).toThrow(/bad\.json: not valid JSON/)
    expect(() => overridesFromParamsFile(file("list.json", "[1, 2]"))).toThrow(/list\.json: must be a JSON object/)
    expect(() => overridesFromParamsFile(file("key.json", JSON.stringify({ samples: 3 })))).toThrow(/key\.json: key "samples" is not of the form stage\.param/)
    rmSync(dir, { recursive: true, force: true })
  })
})
