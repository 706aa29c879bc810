import { describe, expect, it } from "vitest"
import { drawMismatchedCaptions, isMismatchedCaption } from "../src/caption-table.ts"
import { generateCaptionedAnimeFaces } from "../src/captioned-anime-faces.ts"
import { SeededRandom } from "../src/seeded-random.ts"

describe("captions of the built-in anime faces", () => {
  const { dataset, table } = generateCaptionedAnimeFaces({ count: 60, seed: 3, size: 32, captionsPerFace: 3 })

  it("k captions per face, deterministic by seed, varied in wording", () => {
    expect(dataset.shape).toEqual([60, 32, 32, 3])
    expect(table.captions.length).toBe(180)
    expect(Array.from(table.image.subarray(0, 6))).toEqual([0, 0, 0, 1, 1, 1])
    expect(generateCaptionedAnimeFaces({ count: 60, seed: 3, size: 32, captionsPerFace: 3 }).table.captions).toEqual(table.captions)
    expect(generateCaptionedAnimeFaces({ count: 60, seed: 4, size: 32, captionsPerFace: 3 }).table.captions).not.toEqual(table.captions)
    expect(new Set(table.captions).size).toBeGreaterThan(150)
    // the three captions of one face are phrased independently
    const firstWords = new Set(table.captions.map((c) => c.split(" ").slice(0, 2).join(" ")))
    expect(firstWords.size).toBeGreaterThan(5)
  })

  it("a caption states only what its face has, and lists what it states", () => {
    const synonyms: Record<string, string[]> = {
      black: ["black"], brown: ["brown", "chestnut"], blonde: ["blonde", "golden", "yellow"], orange: ["orange", "ginger"], red: ["red", "crimson"],
      pink: ["pink"], purple: ["purple", "violet"], blue: ["blue"], aqua: ["aqua", "cyan", "teal"], green: ["green"], white: ["white", "silver"],
      yellow: ["yellow", "golden", "amber"],
    }
    for (const [c, text] of table.captions.entries()) {
      const face = table.attributes![table.image[c]!]!
      const stated = table.stated![c]!
      expect(stated.length).toBeGreaterThan(0)
      if (stated.includes("hairColor")) expect(synonyms[face.hairColor]!.some((w) => text.includes(`${w} hair`) || text.includes(`${w} bob`) || text.includes(`${w} twin`))).toBe(true)
      if (stated.includes("eyeColor")) {
        expect(face.eyesClosed).toBe(false)
        expect(synonyms[face.eyeColor]!.some((w) => text.includes(`${w} eyes`))).toBe(true)
      }
      if (stated.includes("eyesClosed")) expect(text).toMatch(/closed/)
      if (stated.includes("blush")) expect(face.blush).toBe(true)
      if (stated.includes("accessory")) expect(face.accessory).not.toBe("none")
      if (stated.includes("hairStyle") && face.hairStyle === "twintails") expect(text).toMatch(/twin ?tails/)
    }
    const counts = (name: string) => table.stated!.filter((s) => s.includes(name as never)).length
    expect(counts("hairColor")).toBeGreaterThan(140)
    expect(counts("eyeColor")).toBeGreaterThan(100)
    expect(counts("hairStyle")).toBeGreaterThan(70)
  })

  it("mismatched captions state something their image lacks; seeded", () => {
    const wrong = drawMismatchedCaptions(table, undefined, new SeededRandom(1), "captions.json")
    expect(drawMismatchedCaptions(table, undefined, new SeededRandom(1), "captions.json")).toEqual(wrong)
    const full = { ...table, mismatched: wrong }
    for (let c = 0; c < wrong.length; c++) {
      expect(isMismatchedCaption(full, undefined, c, wrong[c]!)).toBe(true)
      const own = table.attributes![table.image[c]!]!
      const other = table.attributes![table.image[wrong[c]!]!]!
      expect(table.stated![wrong[c]!]!.some((name) => own[name] !== other[name] || (name === "eyeColor" && own.eyesClosed))).toBe(true)
    }
    // a face's own captions never mismatch it
    expect(isMismatchedCaption(full, undefined, 0, 1)).toBe(false)
  })

  it("HDF5-style tables without attributes mismatch by class", () => {
    const t = { captions: ["a", "b", "c"], image: Int32Array.from([0, 1, 2]), classes: ["x", "y"] }
    const labels = Uint8Array.from([0, 0, 1])
    const wrong = drawMismatchedCaptions(t, labels, new SeededRandom(2), "f")
    expect(Array.from(wrong)).toEqual([2, 2, wrong[2]])
    expect([0, 1]).toContain(wrong[2])
    expect(() => drawMismatchedCaptions(t, Uint8Array.from([0, 0, 0]), new SeededRandom(2), "f")).toThrow(/f: no caption mismatches caption 0/)
  })
})
