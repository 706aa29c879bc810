import { describe, expect, it } from "vitest"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { parseAssignment, type ParamOverride } from "@ganflow/core"
import { overridesFromParamsFile, overridesOf } from "../src/params-file.ts"

describe("--params file", () => {
  const dir = mkdtempSync(join(tmpdir(), "ganflow-params-"))
  const file = (name: string, text: string) => {
    const path = join(dir, name)
    writeFileSync(path, text)
    return path
  }

  it("reads a deep-partial params object (dotted keys as shorthand) that comes before the command line's --set", () => {
    const path = file("ok.json", JSON.stringify({ fid: { samples: 2000 }, "train.model": { architecture: "dcgan" }, train: { steps: 3 }, "data.dir": "faces" }))
    const patch = overridesFromParamsFile(path)
    expect(patch).toEqual({ _tag: "Patch", source: `--params ${path}`, patch: { fid: { samples: 2000 }, train: { model: { architecture: "dcgan" }, steps: 3 }, data: { dir: "faces" } } })
    const set = parseAssignment("fid.samples=10") as ParamOverride
    expect(overridesOf({ paramsFile: path, set: [set] })).toEqual([patch, set])
    expect(overridesOf({ paramsFile: undefined, set: [set] })).toEqual([set])
  })

  it("names the file and the problem when it is missing, not JSON, not an object, or has a bad key", () => {
    expect(() => overridesFromParamsFile(join(dir, "nope.json"))).toThrow(/--params .*nope\.json: no such file/)
    expect(() => overridesFromParamsFile(file("bad.json", "{ fid.samples: 3"))).toThrow(/bad\.json: not valid JSON/)
    expect(() => overridesFromParamsFile(file("list.json", "[1, 2]"))).toThrow(/list\.json: must be a JSON object/)
    expect(() => overridesFromParamsFile(file("key.json", JSON.stringify({ samples: 3 })))).toThrow(/key\.json: samples must be an object of that stage's params \(was 3\)/)
    rmSync(dir, { recursive: true, force: true })
  })
})
