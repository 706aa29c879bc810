import { readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { decodeRgb } from "../src/image-decode-to-size.js"
import { containPlacement, coverBox, fitLikePil, rgbToLuma, setResizeUsesWasm, type PilResizeKernel } from "../src/pil-compatible-resize.js"
import { sharedDataPath } from "../src/shared-data-location.ts"

/** Largest |ours - PIL| allowed, in 0..255 (libm sin rounding may move a Lanczos weight by one 2^-22 step). */
const TOLERANCE = 1

interface ResizeCase {
  readonly file: string
  readonly op: "fill" | "cover" | "contain"
  readonly width: number
  readonly height: number
  readonly kernel: PilResizeKernel
  readonly channels: 1 | 3
  readonly pixels: string
}

const fixtures = JSON.parse(readFileSync(join(import.meta.dirname, "fixtures", "resize_cases.expected.json"), "utf8")) as {
  pillow: string
  cases: ResizeCase[]
}

const ours = async (c: ResizeCase, wasm: boolean): Promise<Uint8Array> => {
  const { width, height, rgb } = await decodeRgb(readFileSync(sharedDataPath("datasets", "anime-faces-64", c.file)))
  const src = c.channels === 1 ? rgbToLuma(rgb) : rgb
  const previous = setResizeUsesWasm(wasm)
  try {
    return fitLikePil(src, width, height, c.channels, c.width, c.height, c.op, c.kernel)
  } finally {
    setResizeUsesWasm(previous)
  }
}

const PATHS = [["wasm SIMD", true], ["plain JS", false]] as const

describe(`resize matches Pillow ${fixtures.pillow} (make_resize_fixtures.py) within ${TOLERANCE}/255`, () => {
  it.each(PATHS.flatMap(([path, wasm]) => fixtures.cases.map((c) => [`${path}: ${c.file} ${c.op} ${c.width}x${c.height} ${c.kernel} ${c.channels}ch`, c, wasm] as const)))("%s", async (_, c, wasm) => {
    const expected = Buffer.from(c.pixels, "base64")
    const got = await ours(c, wasm)
    expect(got.length).toBe(expected.length)
    let worst = 0
    let differing = 0
    for (let i = 0; i < got.length; i++) {
      const d = Math.abs(got[i]! - expected[i]!)
      if (d > 0) differing++
      worst = Math.max(worst, d)
    }
    expect(worst, `${differing} of ${got.length} values differ`).toBeLessThanOrEqual(TOLERANCE)
  })

  it("the Lanczos 64 -> 32 faces are bit-identical to PIL's (the case training at 32x32 hits)", async () => {
    for (const c of fixtures.cases.filter((x) => x.op === "fill" && x.kernel === "lanczos3" && x.width === 32 && x.channels === 3)) {
      for (const [path, wasm] of PATHS) expect(Buffer.from(await ours(c, wasm)).equals(Buffer.from(c.pixels, "base64")), `${path} ${c.file}`).toBe(true)
    }
  })
})

describe("PIL geometry", () => {
  it("coverBox is ImageOps.fit's centre crop, containPlacement is ImageOps.pad's (Python rounding)", () => {
    expect(coverBox(64, 64, 32, 32)).toEqual([0, 0, 64, 64])
    expect(coverBox(64, 64, 30, 15)).toEqual([0, 16, 64, 48])
    expect(coverBox(40, 20, 10, 10)).toEqual([10, 0, 30, 20])
    expect(containPlacement(64, 64, 40, 25)).toEqual({ width: 25, height: 25, left: 8, top: 0 }) // round(7.5) = 8
    expect(containPlacement(64, 64, 41, 25)).toEqual({ width: 25, height: 25, left: 8, top: 0 })
    expect(containPlacement(50, 20, 10, 10)).toEqual({ width: 10, height: 4, left: 0, top: 3 })
    expect(containPlacement(30, 10, 12, 12)).toEqual({ width: 12, height: 4, left: 0, top: 4 })
  })
})
