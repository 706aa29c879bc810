import { describe, expect, it } from "vitest"
import sharp from "sharp"
import { SeededRandom } from "@ganflow/data"
import { imagesFromFloats, interpolateLatents, interpolationLatentBatch, LatentInterpolationInvalid, renderInterpolationStrip } from "../src/index.ts"

const norm = (z: ArrayLike<number>) => Math.sqrt(Array.from(z).reduce((s, v) => s + v * v, 0))
const normals = (random: SeededRandom, n: number) => Float32Array.from({ length: n }, () => random.normal())

describe("interpolateLatents", () => {
  it("returns `steps` latents whose first and last are exactly the endpoints, in both modes", () => {
    const random = new SeededRandom(7)
    const a = normals(random, 64)
    const b = normals(random, 64)
    for (const mode of ["slerp", "linear"] as const) {
      const path = interpolateLatents(a, b, 9, { mode })
      expect(path).toHaveLength(9)
      expect(path[0]).toEqual(a)
      expect(path[8]).toEqual(b)
      expect(path[0]).not.toBe(a) // copies, not aliases
    }
  })

  it("keeps unit vectors on the unit sphere and moves at constant angular speed", () => {
    const a = new Float32Array([1, 0, 0])
    const b = new Float32Array([0, 0.6, 0.8])
    const path = interpolateLatents(a, b, 5)
    for (const z of path) expect(norm(z)).toBeCloseTo(1, 6)
    // Ω = 90°, so step s sits at s * 22.5° from a
    path.forEach((z, s) => expect(Math.acos(Math.min(1, z[0]!))).toBeCloseTo((s * Math.PI) / 8, 5))
    // linear interpolation cuts through the interior instead
    expect(norm(interpolateLatents(a, b, 3, { mode: "linear" })[1]!)).toBeCloseTo(Math.SQRT1_2, 6)
  })

  it("interpolates norms between the endpoints' for Gaussian latents, where linear interpolation shrinks them", () => {
    const random = new SeededRandom(3)
    const a = normals(random, 128)
    const b = normals(random, 128)
    const [lo, hi] = [Math.min(norm(a), norm(b)), Math.max(norm(a), norm(b))]
    for (const z of interpolateLatents(a, b, 11)) {
      expect(norm(z)).toBeGreaterThanOrEqual(lo - 1e-4)
      expect(norm(z)).toBeLessThanOrEqual(hi + 1e-4)
    }
    const midLinear = norm(interpolateLatents(a, b, 3, { mode: "linear" })[1]!)
    expect(midLinear).toBeLessThan(0.8 * lo) // nearly orthogonal in 128 dims: about 1/sqrt(2) of the norm
  })

  it("falls back to the straight line for parallel, antiparallel and zero endpoints", () => {
    const a = new Float32Array([1, 2, 3])
    const cases = [new Float32Array([2, 4, 6]), new Float32Array([-1, -2, -3]), new Float32Array(3)]
    for (const b of cases) {
      const mid = interpolateLatents(a, b, 3)[1]!
      for (let i = 0; i < 3; i++) expect(mid[i]).toBeCloseTo((a[i]! + b[i]!) / 2, 6)
      expect(Array.from(mid).every(Number.isFinite)).toBe(true)
    }
  })

  it("rejects mismatched lengths and fewer than two steps with a typed error naming the field", () => {
    expect(() => interpolateLatents(new Float32Array(3), new Float32Array(4), 5)).toThrow(LatentInterpolationInvalid)
    expect(() => interpolateLatents(new Float32Array(3), new Float32Array(3), 1)).toThrow("latent interpolation: steps must be an integer >= 2 (was 1)")
  })
})

describe("interpolationLatentBatch", () => {
  it("lays out rows of walks between seeded standard-normal endpoints, reproducibly", () => {
    const options = { latentDim: 16, rows: 3, steps: 5, seed: 42 }
    const batch = interpolationLatentBatch(options)
    expect(batch).toHaveLength(3 * 5 * 16)
    expect(interpolationLatentBatch(options)).toEqual(batch)
    expect(interpolationLatentBatch({ ...options, seed: 43 })).not.toEqual(batch)
    // endpoints come from SeededRandom(seed).normal() in the order a0, b0, a1, b1, … (what the trainer's sampleLatents draws)
    const random = new SeededRandom(42)
    const at = (row: number, step: number) => batch.subarray((row * 5 + step) * 16, (row * 5 + step + 1) * 16)
    for (let r = 0; r < 3; r++) {
      const a = normals(random, 16)
      const b = normals(random, 16)
      expect(at(r, 0)).toEqual(a)
      expect(at(r, 4)).toEqual(b)
      expect(at(r, 2)).toEqual(interpolateLatents(a, b, 5)[2])
    }
    const linear = interpolationLatentBatch({ ...options, mode: "linear" })
    expect(linear.subarray(0, 16)).toEqual(batch.subarray(0, 16))
    expect(linear.subarray(2 * 16, 3 * 16)).not.toEqual(batch.subarray(2 * 16, 3 * 16))
  })

  it("rejects a non-positive latentDim or rows", () => {
    expect(() => interpolationLatentBatch({ latentDim: 0, rows: 1, steps: 3, seed: 0 })).toThrow("latentDim must be a positive integer (was 0)")
    expect(() => interpolationLatentBatch({ latentDim: 4, rows: 1.5, steps: 3, seed: 0 })).toThrow("rows must be a positive integer (was 1.5)")
  })
})

describe("renderInterpolationStrip", () => {
  it("renders rows * steps images as a PNG grid with `steps` columns", async () => {
    const [rows, steps, h, w] = [2, 6, 4, 5]
    const pixels = new Float32Array(rows * steps * h * w * 3)
    for (let n = 0; n < rows * steps; n++) pixels.fill(n / (rows * steps), n * h * w * 3, (n + 1) * h * w * 3)
    const images = imagesFromFloats(pixels, [rows * steps, h, w, 3], "sigmoid")
    const png = await renderInterpolationStrip(images, { steps, padding: 1, scale: 2 })
    const meta = await sharp(png).metadata()
    expect([meta.format, meta.width, meta.height]).toEqual(["png", steps * (w + 1) * 2 + 2, rows * (h + 1) * 2 + 2])
    // the first image of the second row starts the second line of cells
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true })
    const px = (x: number, y: number) => data[(y * info.width + x) * info.channels]!
    expect(px(2, (h + 1) * 2 + 2)).toBe(Math.round((steps / (rows * steps)) * 255))
    await expect(renderInterpolationStrip(images, { steps: 5 })).rejects.toThrow("images count 12 is not a positive multiple of steps 5")
  })
})
