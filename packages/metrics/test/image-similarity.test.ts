import { readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { ImagesIncomparable, imagePlanes, type ImagePlanes, meanAbsoluteError, peakSignalNoiseRatio, structuralSimilarity } from "../src/index.ts"

/** Cases written by fixtures/image_similarity_reference.py with Debian's python3-skimage. */
interface Case {
  readonly name: string
  readonly dtype: "uint8" | "float"
  readonly shape: [number, number, number]
  readonly dataRange: number | null
  readonly a: number[]
  readonly b: number[]
  readonly ssim: { readonly wang2004: number; readonly "skimage-default": number }
  readonly psnr: number | "inf"
  readonly l1: number
}
const fixture = JSON.parse(readFileSync(join(import.meta.dirname, "fixtures", "image_similarity.expected.json"), "utf8")) as { skimage: string; cases: Case[] }

const planes = (c: Case, values: number[]): ImagePlanes => {
  const [h, w, ch] = c.shape
  return imagePlanes(c.dtype === "uint8" ? Uint8Array.from(values) : Float64Array.from(values), h, w, ch)
}

describe(`L1, PSNR and SSIM match scikit-image ${fixture.skimage} (structural_similarity, peak_signal_noise_ratio)`, () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      const [a, b] = [planes(c, c.a), planes(c, c.b)]
      const options = c.dataRange === null ? {} : { dataRange: c.dataRange }
      expect(Math.abs(structuralSimilarity(a, b, { variant: "wang2004", ...options }) - c.ssim.wang2004)).toBeLessThanOrEqual(1e-6)
      expect(Math.abs(structuralSimilarity(a, b, { variant: "skimage-default", ...options }) - c.ssim["skimage-default"])).toBeLessThanOrEqual(1e-6)
      const psnr = peakSignalNoiseRatio(a, b, c.dataRange ?? undefined)
      if (c.psnr === "inf") expect(psnr).toBe(Infinity)
      else expect(Math.abs(psnr - c.psnr)).toBeLessThanOrEqual(1e-9)
      expect(Math.abs(meanAbsoluteError(a, b) - c.l1)).toBeLessThanOrEqual(1e-12)
    })
  }

  it("the two variants differ (different windows), and float32 input gives the same value to 1e-6", () => {
    const c = fixture.cases[2]!
    const [a, b] = [planes(c, c.a), planes(c, c.b)]
    expect(Math.abs(structuralSimilarity(a, b, { variant: "wang2004" }) - structuralSimilarity(a, b, { variant: "skimage-default" }))).toBeGreaterThan(0.05)
    const [h, w, ch] = c.shape
    const f32 = structuralSimilarity(imagePlanes(Float32Array.from(c.a), h, w, ch), imagePlanes(Float32Array.from(c.b), h, w, ch), { variant: "skimage-default" })
    expect(Math.abs(f32 - c.ssim["skimage-default"])).toBeLessThanOrEqual(1e-6)
  })

  it("bad pairs are ImagesIncomparable naming the metric: shapes differ, window larger than the image, float values outside [-1, 1] without a range", () => {
    const small = imagePlanes(new Float64Array(6 * 6), 6, 6, 1)
    const other = imagePlanes(new Float64Array(6 * 5), 6, 5, 1)
    expect(() => structuralSimilarity(small, other, { variant: "skimage-default" })).toThrow(ImagesIncomparable)
    expect(() => structuralSimilarity(small, small, { variant: "skimage-default" })).toThrow(/7x7 window exceeds the 6x6 image/)
    expect(() => meanAbsoluteError(small, other)).toThrow(/L1: images differ in shape: 6x6x1 vs 6x5x1/)
    const big = imagePlanes(Float64Array.from([0, 3, 0, 0]), 2, 2, 1)
    expect(() => peakSignalNoiseRatio(big, big)).toThrow(/outside the float range \[-1, 1\]: pass dataRange/)
    expect(peakSignalNoiseRatio(big, imagePlanes(Float64Array.from([0, 2, 0, 0]), 2, 2, 1), 3)).toBeCloseTo(10 * Math.log10(9 / 0.25), 12)
  })
})
