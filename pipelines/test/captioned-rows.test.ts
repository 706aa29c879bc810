import { describe, expect, it } from "vitest"
import sharp from "sharp"
import { renderCaptionedRows, wrapCaption } from "../stages/text/captioned-rows.ts"

const solid = (count: number, value: number) => ({ count, height: 8, width: 8, channels: 3 as const, pixels: new Uint8Array(count * 8 * 8 * 3).fill(value) })

describe("captioned rows", () => {
  it("wraps words to the width and cuts the last allowed line with an ellipsis", () => {
    expect(wrapCaption("a girl with long red hair and blue eyes", 16, 3)).toEqual(["a girl with long", "red hair and", "blue eyes"])
    expect(wrapCaption("a girl with long red hair and blue eyes", 16, 2)).toEqual(["a girl with long", "red hair and…"])
    expect(wrapCaption("supercalifragilistic", 8, 2)).toEqual(["superca…"])
  })

  it("prints each caption in a band under its row: dark text pixels below the images, none inside them", async () => {
    const png = await renderCaptionedRows([{ images: solid(4, 200), caption: "red hair" }, { images: solid(3, 120), caption: "blue eyes, short hair" }], { scale: 2, fontSize: 12 })
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true })
    const rowHeight = (8 + 2) * 2 + 2 * 2
    const band = 2 * 15 + 6
    expect(info.height).toBe(2 * (rowHeight + band))
    expect(info.width).toBe(4 * (8 + 2) * 2 + 2 * 2)
    const darkIn = (y0: number, y1: number) => {
      let n = 0
      for (let y = y0; y < y1; y++) for (let x = 0; x < info.width; x++) if (data[(y * info.width + x) * info.channels]! < 60) n++
      return n
    }
    expect(darkIn(0, rowHeight)).toBe(0) // images are grey 200, padding white
    expect(darkIn(rowHeight, rowHeight + band)).toBeGreaterThan(20) // "red hair"
    expect(darkIn(2 * rowHeight + band, info.height)).toBeGreaterThan(darkIn(rowHeight, rowHeight + band)) // the longer caption
  })

  it("rejects an empty grid", async () => {
    await expect(renderCaptionedRows([])).rejects.toThrow(/at least one row/)
  })
})
