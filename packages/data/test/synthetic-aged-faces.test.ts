import { createHash } from "node:crypto"
import { describe, expect, it } from "vitest"
import { ageGroups } from "../src/age-groups.ts"
import { DataParamsInvalid } from "../src/errors.ts"
import { generateAgedFaces, generateAnimeFaces, generateAnimeFacesWithAttributes } from "../src/synthetic-anime-faces.ts"

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex")

describe("the age attribute of the synthetic faces", () => {
  it("leaves generateAnimeFaces' pixels as they were before age existed (hashes pinned before the change)", () => {
    expect(sha(generateAnimeFaces({ count: 64, seed: 1 }).data)).toBe("00adbecc2bb209284d821ab6ffa658128a9ed22ba60ff8ca504793158d9e1569")
    expect(sha(generateAnimeFaces({ count: 40, seed: 7, size: 32 }).data)).toBe("261a8782b4c9032c453a2db5e16e6fab6b67d929e5c5bb117128fde3f2a09b28")
    expect(generateAnimeFacesWithAttributes({ count: 3, seed: 1 }).attributes.every((a) => !("age" in a))).toBe(true)
  })

  it("draws each face at a group from its own age stream: all six groups occur, labels = groups, deterministic", () => {
    const { dataset, attributes } = generateAgedFaces({ count: 60, seed: 3, size: 32 })
    expect(dataset.labels!.length).toBe(60)
    expect(new Set(dataset.labels).size).toBe(6)
    expect(attributes.map((a) => a.age)).toEqual(Array.from(dataset.labels!, (g) => ageGroups[g]))
    expect(sha(generateAgedFaces({ count: 60, seed: 3, size: 32 }).dataset.data)).toBe(sha(dataset.data))
  })

  it("forcing a group re-ages the same identity: 19-29 is the base drawing, other groups change it visibly", () => {
    const base = generateAnimeFacesWithAttributes({ count: 12, seed: 9, size: 32 })
    const byGroup = ageGroups.map((_, g) => generateAgedFaces({ count: 12, seed: 9, size: 32, ageGroup: g }))
    expect(Buffer.from(byGroup[1]!.dataset.data).equals(Buffer.from(base.dataset.data))).toBe(true)
    for (const [g, aged] of byGroup.entries()) {
      expect(Array.from(aged.dataset.labels!)).toEqual(Array(12).fill(g))
      // same identity: every attribute but the age is the base face's
      expect(aged.attributes.map(({ age: _, ...rest }) => rest)).toEqual(base.attributes)
      if (g === 1) continue
      let diff = 0
      for (let i = 0; i < base.dataset.data.length; i++) diff += Math.abs(aged.dataset.data[i]! - base.dataset.data[i]!)
      expect(diff / base.dataset.data.length, `group ${ageGroups[g]}`).toBeGreaterThan(2) // mean |difference| in 0..255 levels
    }
    // hair greys with age: mean colourfulness (max - min channel) falls from 19-29 to 60+
    const chroma = (d: Uint8Array) => {
      let s = 0
      for (let i = 0; i < d.length; i += 3) s += Math.max(d[i]!, d[i + 1]!, d[i + 2]!) - Math.min(d[i]!, d[i + 1]!, d[i + 2]!)
      return s / (d.length / 3)
    }
    expect(chroma(byGroup[5]!.dataset.data)).toBeLessThan(chroma(byGroup[1]!.dataset.data) - 3)
  })

  it("refuses an age group outside 0..5", () => {
    expect(() => generateAgedFaces({ count: 2, seed: 1, ageGroup: 6 })).toThrow(DataParamsInvalid)
    expect(() => generateAgedFaces({ count: 2, seed: 1, ageGroup: 1.5 })).toThrow(DataParamsInvalid)
  })
})
