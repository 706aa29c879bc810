import { createHash } from "node:crypto"
import { describe, expect, it } from "vitest"
import { generateAnimeFaces, generateAnimeFacesWithAttributes, hairColorNames, hairStyles } from "../src/synthetic-anime-faces.ts"
import { generateDigits } from "../src/synthetic-digits.ts"
import { generateFurnitureVoxels } from "../src/synthetic-furniture-voxels.ts"

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex")
const itemMean = (data: Uint8Array, item: number, i: number, channel?: number, channels = 1) => {
  let s = 0, n = 0
  for (let k = i * item; k < (i + 1) * item; k++) if (channel === undefined || k % channels === channel) (s += data[k] as number), n++
  return s / n
}

describe("synthetic anime faces", () => {
  it("are deterministic by seed and item-wise independent of count", () => {
    const a = generateAnimeFaces({ count: 6, seed: 5 })
    const b = generateAnimeFaces({ count: 6, seed: 5 })
    expect(sha(a.data)).toBe(sha(b.data))
    const c = generateAnimeFaces({ count: 3, seed: 5 })
    expect(Buffer.from(c.data).equals(Buffer.from(a.data.subarray(0, 3 * 64 * 64 * 3)))).toBe(true)
    expect(sha(generateAnimeFaces({ count: 6, seed: 6 }).data)).not.toBe(sha(a.data))
    expect(a.shape).toEqual([6, 64, 64, 3])
    expect(a.kind).toBe("images")
  })

  it("report the attributes they were drawn with: same pixels, every hair colour and style, visible in the pixels", () => {
    const { dataset, attributes } = generateAnimeFacesWithAttributes({ count: 400, seed: 4, size: 32 })
    expect(sha(dataset.data)).toBe(sha(generateAnimeFaces({ count: 400, seed: 4, size: 32 }).data))
    expect(attributes).toHaveLength(400)
    expect(new Set(attributes.map((a) => a.hairColor))).toEqual(new Set(hairColorNames))
    expect(new Set(attributes.map((a) => a.hairStyle))).toEqual(new Set(hairStyles))
    // the top rows of the crown are hair: white-haired faces are brighter there than black-haired ones
    const crown = (i: number) => itemMean(dataset.data.subarray(i * 32 * 32 * 3, i * 32 * 32 * 3 + 32 * 8 * 3), 32 * 8 * 3, 0)
    const meanOf = (colour: string) => {
      const ids = attributes.flatMap((a, i) => (a.hairColor === colour ? [i] : []))
      return ids.reduce((s, i) => s + crown(i), 0) / ids.length
    }
    expect(meanOf("white")).toBeGreaterThan(meanOf("black") + 40)
  })

  it("look like faces: skin-toned centre, varied hair colours and backgrounds", () => {
    const n = 200
    const ds = generateAnimeFaces({ count: n, seed: 1 })
    const px = (i: number, x: number, y: number) => Array.from(ds.data.subarray(((i * 64 + y) * 64 + x) * 3, ((i * 64 + y) * 64 + x) * 3 + 3))
    let skinLike = 0
    const topColours = new Set<string>()
    for (let i = 0; i < n; i++) {
      // cheek region below the eyes: warm, bright (r >= g >= b-ish)
      const [r, g, b] = px(i, 32, 50) as [number, number, number]
      if (r > 120 && r >= g && g >= b - 10) skinLike++
      const [hr, hg, hb] = px(i, 32, 10) as [number, number, number]
      topColours.add(`${hr >> 5},${hg >> 5},${hb >> 5}`)
    }
    expect(skinLike / n).toBeGreaterThan(0.7)
    expect(topColours.size).toBeGreaterThan(25)
    // not flat images: strong contrast within each face (eyes, outlines)
    for (let i = 0; i < 20; i++) {
      const vals = Array.from(ds.data.subarray(i * 12288, (i + 1) * 12288))
      expect(Math.max(...vals) - Math.min(...vals)).toBeGreaterThan(150)
    }
  })

  it("generate 4,000 faces in a few seconds", () => {
    const t = performance.now()
    const ds = generateAnimeFaces({ count: 4000, seed: 2 })
    const s = (performance.now() - t) / 1000
    expect(ds.shape[0]).toBe(4000)
    console.log(`4,000 synthetic faces in ${s.toFixed(2)} s`)
    expect(s).toBeLessThan(20) // generous: CI machines are shared; typically ~1-3 s
  }, 30_000)
})

describe("synthetic digits", () => {
  it("28x28 gray, balanced labels, deterministic, ink in the centre box", () => {
    const ds = generateDigits({ count: 500, seed: 3 })
    expect(ds.shape).toEqual([500, 28, 28, 1])
    const counts = new Array(10).fill(0)
    for (const l of ds.labels!) counts[l]++
    expect(counts).toEqual(new Array(10).fill(50))
    expect(sha(generateDigits({ count: 500, seed: 3 }).data)).toBe(sha(ds.data))
    for (let i = 0; i < 50; i++) {
      const img = ds.data.subarray(i * 784, (i + 1) * 784)
      let border = 0, ink = 0
      for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) {
        const v = img[y * 28 + x] as number
        ink += v
        if (x < 2 || y < 2 || x > 25 || y > 25) border += v
      }
      expect(ink / 784).toBeGreaterThan(10)
      expect(border).toBeLessThan(ink * 0.05)
    }
    // different digits differ on average: mean image of 1s is thinner than of 8s
    const meanInk = (d: number) => {
      let s = 0, n = 0
      ds.labels!.forEach((l, i) => { if (l === d) { s += itemMean(ds.data, 784, i); n++ } })
      return s / n
    }
    expect(meanInk(8)).toBeGreaterThan(meanInk(1) * 1.4)
  })
})

describe("synthetic furniture voxels", () => {
  it("chairs and tables at 32^3 and 64^3, standing on the floor, deterministic", () => {
    for (const size of [32, 64]) {
      const ds = generateFurnitureVoxels({ count: 20, seed: 4, size })
      expect(ds.shape).toEqual([20, size, size, size])
      expect(ds.kind).toBe("voxels")
      expect(new Set(ds.labels)).toEqual(new Set([0, 1]))
      const item = size ** 3
      for (let i = 0; i < 20; i++) {
        const v = ds.data.subarray(i * item, (i + 1) * item)
        const ones = v.reduce((a, b) => a + b, 0)
        expect(ones).toBeGreaterThan(item * 0.005)
        expect(ones).toBeLessThan(item * 0.4)
        // something touches the floor region (y = axis 1 near 0) and nothing floats above y = size
        let floor = 0
        for (let x = 0; x < size; x++) for (let z = 0; z < size; z++) floor += v[(x * size + Math.floor(size * 0.05)) * size + z] as number
        expect(floor).toBeGreaterThan(0)
      }
      expect(sha(generateFurnitureVoxels({ count: 20, seed: 4, size }).data)).toBe(sha(ds.data))
    }
    const chairs = generateFurnitureVoxels({ count: 5, seed: 1, kinds: ["chair"] })
    expect(Array.from(chairs.labels!)).toEqual([0, 0, 0, 0, 0])
  })

  it("bad params fail with DataParamsInvalid naming the field", () => {
    expect(() => generateFurnitureVoxels({ count: 0, seed: 1 })).toThrow(/count/)
    expect(() => generateAnimeFaces({ count: 1, seed: 1, size: 8 })).toThrow(/size/)
    expect(() => generateDigits({ count: -1, seed: 1 })).toThrow(/count/)
  })
})
