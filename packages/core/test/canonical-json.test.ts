import { describe, expect, it } from "vitest"
import { cacheKey, canonicalJson, type KeyRecord } from "../src/index.ts"

describe("canonicalJson", () => {
  it("sorts keys at every depth and drops undefined", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 0, y: null }], c: "x" }, u: undefined })).toBe('{"a":{"c":"x","d":[1,{"y":null,"z":0}]},"b":1}')
  })
  it("writes -0 as 0 and rejects values JSON cannot hold", () => {
    expect(canonicalJson(-0)).toBe("0")
    expect(() => canonicalJson({ lr: Number.NaN })).toThrow("$.lr: NaN cannot be stored as JSON")
    expect(() => canonicalJson({ f: () => 1 })).toThrow("$.f: a function")
  })
})

describe("cacheKey", () => {
  const params = { lr: 0.0002, beta1: 0.5, steps: 1000 }
  const record: KeyRecord = {
    stage: "train-dcgan",
    version: 1,
    code: { digest: "c0de".repeat(16), files: {}, packages: {} },
    params,
    inputs: {
      data: { kind: "upstream", stage: "faces", digest: "da7a".repeat(16) },
      cfg: { kind: "file", path: "cfg.json", digest: "f11e".repeat(16) },
      none: { kind: "none" },
    },
  }
  it("is pinned: a change to the key recipe must be a deliberate store format bump", () => {
    expect(cacheKey(record)).toBe("dd02e1c173c5f724d456a5de9133bb2a04883a0cb67ede7f65f04299223971cd")
  })
  it("ignores param order and the paths of inputs, but not their digests or params", () => {
    const reordered = { ...record, params: { steps: 1000, beta1: 0.5, lr: 0.0002 } }
    expect(cacheKey(reordered)).toBe(cacheKey(record))
    const moved = { ...record, inputs: { ...record.inputs, cfg: { kind: "file" as const, path: "elsewhere/cfg.json", digest: "f11e".repeat(16) } } }
    expect(cacheKey(moved)).toBe(cacheKey(record))
    expect(cacheKey({ ...record, params: { ...params, lr: 0.0001 } })).not.toBe(cacheKey(record))
    expect(cacheKey({ ...record, code: { ...record.code, digest: "beef".repeat(16) } })).not.toBe(cacheKey(record))
  })
})
