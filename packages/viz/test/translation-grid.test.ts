import { describe, expect, it } from "vitest"
import { type ImageBatch, interleaveColumns, layoutTranslationGrid } from "../src/index.ts"

/** `count` 1x1 grey images with values start, start + 1, … */
const batch = (start: number, count: number): ImageBatch => ({ count, height: 1, width: 1, channels: 1, pixels: Uint8Array.from({ length: count }, (_, i) => start + i) })

describe("translation grid", () => {
  it("orders each example's images side by side (input | output | target), one example per row", () => {
    const inputs = batch(10, 2), outputs = batch(20, 2), targets = batch(30, 2)
    expect(Array.from(interleaveColumns([inputs, outputs, targets]).pixels)).toEqual([10, 20, 30, 11, 21, 31])
    const grid = layoutTranslationGrid([inputs, outputs, targets], { padding: 0 })
    expect([grid.width, grid.height]).toEqual([3, 2])
    expect(Array.from(grid.rgb.filter((_, i) => i % 3 === 0))).toEqual([10, 20, 30, 11, 21, 31])
    const wide = layoutTranslationGrid([inputs, outputs, targets], { padding: 0, examplesPerRow: 2 })
    expect([wide.width, wide.height]).toEqual([6, 1])
  })

  it("rejects columns of different counts or sizes", () => {
    expect(() => interleaveColumns([batch(0, 2), batch(0, 3)])).toThrow(/column 1 holds 3 images/)
    expect(() => interleaveColumns([])).toThrow(/at least one column/)
  })
})
