import { readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { downscaleBicubicLikePil, upscaleBicubicLikePil } from "../src/bicubic-rescale.ts"
import { DataParamsInvalid } from "../src/errors.ts"
import { decodeRgb } from "../src/image-decode-to-size.js"
import { setResizeUsesWasm } from "../src/pil-compatible-resize.js"
import { sharedDataPath } from "../src/shared-data-location.ts"
import type { UInt8Dataset } from "../src/uint8-dataset.ts"

const fixtures = JSON.parse(readFileSync(join(import.meta.dirname, "fixtures", "bicubic_x4.expected.json"), "utf8")) as {
  pillow: string
  cases: Array<{ source: string; width: number; height: number; input: string | null; down: string; up: string }>
}

const inputOf = async (c: (typeof fixtures.cases)[number]): Promise<UInt8Dataset> => {
  const rgb = c.input !== null ? new Uint8Array(Buffer.from(c.input, "base64")) : (await decodeRgb(readFileSync(sharedDataPath("datasets", "anime-faces-64", c.source)))).rgb
  return { kind: "images", shape: [1, c.height, c.width, 3], data: rgb, meta: {} }
}

describe(`bicubic x4 matches Pillow ${fixtures.pillow}'s Image.resize(..., BICUBIC) bit for bit (make_bicubic_fixtures.py)`, () => {
  for (const wasm of [true, false]) {
    it.each(fixtures.cases.map((c) => [c.source, c] as const))(`${wasm ? "wasm SIMD" : "plain JS"}: %s down to 1/4 and back up`, async (_, c) => {
      const previous = setResizeUsesWasm(wasm)
      try {
        const lr = downscaleBicubicLikePil(await inputOf(c), 4)
        expect(lr.shape).toEqual([1, c.height / 4, c.width / 4, 3])
        expect(Buffer.from(lr.data).equals(Buffer.from(c.down, "base64"))).toBe(true)
        const up = upscaleBicubicLikePil(lr, 4)
        expect(up.shape).toEqual([1, c.height, c.width, 3])
        expect(Buffer.from(up.data).equals(Buffer.from(c.up, "base64"))).toBe(true)
      } finally {
        setResizeUsesWasm(previous)
      }
    })
  }

  it("keeps labels and item order for a batch, refuses sizes that are not multiples of the factor", async () => {
    const [a, b] = await Promise.all(fixtures.cases.slice(1, 3).map(inputOf))
    const both: UInt8Dataset = { kind: "images", shape: [2, 64, 64, 3], data: Uint8Array.from([...a!.data, ...b!.data]), labels: Uint8Array.from([3, 5]), meta: {} }
    const lr = downscaleBicubicLikePil(both, 4)
    expect(Buffer.from(lr.data.subarray(16 * 16 * 3)).equals(Buffer.from(fixtures.cases[2]!.down, "base64"))).toBe(true)
    expect(Array.from(lr.labels!)).toEqual([3, 5])
    expect(() => downscaleBicubicLikePil({ ...both, shape: [1, 62, 64, 3], data: both.data.subarray(0, 62 * 64 * 3) }, 4)).toThrow(DataParamsInvalid)
  })
})
