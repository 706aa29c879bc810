import { readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { cropBorder, lumaBt601 } from "../src/maths/luma-bt601.ts"

const ref = JSON.parse(readFileSync(join(import.meta.dirname, "fixtures", "sr_y_channel.expected.json"), "utf8")) as Record<string, unknown> & {
  height: number; width: number; truth: string; y_truth_float: number[]; y_truth_matlab: number[]
}

describe("Y channel (ITU-R BT.601) as skimage.color.rgb2ycbcr / MATLAB rgb2ycbcr (sr_y_channel_reference.py)", () => {
  const truth = new Uint8Array(Buffer.from(ref.truth, "base64"))
  it("float Y equals skimage's to 1e-12, MATLAB-rounded Y exactly", () => {
    const float = lumaBt601(truth, "none")
    expect(float.length).toBe(ref.height * ref.width)
    let worst = 0
    for (let i = 0; i < float.length; i++) worst = Math.max(worst, Math.abs(float[i]! - ref.y_truth_float[i]!))
    expect(worst).toBeLessThan(1e-12)
    expect(Array.from(lumaBt601(truth))).toEqual(ref.y_truth_matlab)
  })

  it("black, white and primaries land on the studio-swing levels", () => {
    expect(Array.from(lumaBt601([0, 0, 0, 255, 255, 255, 255, 0, 0, 0, 255, 0, 0, 0, 255]))).toEqual([16, 235, 81, 145, 41])
    expect(() => lumaBt601([1, 2])).toThrow(RangeError)
  })

  it("crops `border` pixels from every side, like img[b:-b, b:-b]", () => {
    const img = Float64Array.from({ length: 5 * 4 * 2 }, (_, i) => i) // 5x4x2
    const c = cropBorder(img, 5, 4, 2, 1)
    expect([c.height, c.width]).toEqual([3, 2])
    // rows 1..3, columns 1..2 of a 4-wide, 2-channel image: start at (1*4+1)*2 = 10
    expect(Array.from(c.data)).toEqual([10, 11, 12, 13, 18, 19, 20, 21, 26, 27, 28, 29])
    expect(() => cropBorder(img, 5, 4, 2, 2)).toThrow(RangeError)
  })
})
