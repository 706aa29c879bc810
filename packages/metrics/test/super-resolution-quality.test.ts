import { readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { superResolutionQuality } from "../src/maths/super-resolution-quality.ts"

const ref = JSON.parse(readFileSync(join(import.meta.dirname, "fixtures", "sr_y_channel.expected.json"), "utf8")) as Record<string, number> & { height: number; width: number; truth: string; test: string }

describe("PSNR/SSIM on the Y channel with the SR border crop equal scikit-image's (sr_y_channel_reference.py)", () => {
  const truth = new Uint8Array(Buffer.from(ref.truth as unknown as string, "base64"))
  const test = new Uint8Array(Buffer.from(ref.test as unknown as string, "base64"))
  for (const border of [0, 4]) {
    for (const rounding of ["matlab-uint8", "none"] as const) {
      it(`border ${border}, ${rounding}`, () => {
        const key = rounding === "none" ? "float" : "matlab"
        const q = superResolutionQuality(truth, test, ref.height, ref.width, { border, rounding })
        expect(q.psnr).toBeCloseTo(ref[`psnr_${key}_border${border}`]!, 9)
        expect(q.ssim).toBeCloseTo(ref[`ssim_${key}_border${border}`]!, 9)
      })
    }
  }
  it("identical images: infinite PSNR, SSIM 1", () => {
    const q = superResolutionQuality(truth, truth, ref.height, ref.width, { border: 4 })
    expect(q.psnr).toBe(Infinity)
    expect(q.ssim).toBeCloseTo(1, 12)
  })
})
