import { describe, expect, it } from "vitest"
import sharp from "sharp"
import { encodeProgressGif, imagesFromFloats, layoutGrid, renderCurvesSvg, renderImageGrid, svgToPng } from "../src/index.ts"

describe("image grids", () => {
  it("converts tanh floats to uint8 and lays images out in rows with padding and scale", async () => {
    const n = 3
    const data = new Float32Array(n * 2 * 2 * 3)
    data.fill(-1, 0, 12) // image 0 black
    data.fill(1, 12, 24) // image 1 white
    for (let i = 24; i < 36; i += 3) data[i] = 1 // image 2 red (R=1, G=B=-1 is not set: 0 -> 127.5)
    const batch = imagesFromFloats(data, [n, 2, 2, 3], "tanh")
    expect(batch.pixels[0]).toBe(0)
    expect(batch.pixels[12]).toBe(255)
    expect(batch.pixels[25]).toBe(128)
    const grid = layoutGrid(batch, { columns: 2, padding: 1, scale: 2 })
    expect([grid.width, grid.height]).toEqual([2 * (2 + 1) * 2 + 2, 2 * (2 + 1) * 2 + 2])
    const px = (x: number, y: number) => [...grid.rgb.subarray((y * grid.width + x) * 3, (y * grid.width + x) * 3 + 3)]
    expect(px(0, 0)).toEqual([255, 255, 255])
    expect(px(2, 2)).toEqual([0, 0, 0])
    expect(px(8, 2)).toEqual([255, 255, 255])
    expect(px(2, 8)).toEqual([255, 128, 128])
    const png = await renderImageGrid(batch, { columns: 2 })
    const meta = await sharp(png).metadata()
    expect([meta.format, meta.width, meta.height]).toEqual(["png", 2 * 4 + 2, 2 * 4 + 2])
  })
  it("rejects shapes that do not match the data", () => {
    expect(() => imagesFromFloats(new Float32Array(10), [1, 2, 2, 3], "tanh")).toThrow("pixel count 10 does not match shape 1x2x2x3")
  })
})

describe("progress GIF", () => {
  it("encodes one frame per checkpoint that decoders read back", async () => {
    const frames = [0, 128, 255].map((v) => ({ width: 8, height: 6, rgb: new Uint8Array(8 * 6 * 3).fill(v) }))
    const gif = encodeProgressGif(frames)
    expect(Buffer.from(gif.subarray(0, 6)).toString("ascii")).toBe("GIF89a")
    const meta = await sharp(Buffer.from(gif), { animated: true }).metadata()
    expect([meta.format, meta.pages, meta.width]).toEqual(["gif", 3, 8])
    const last = await sharp(Buffer.from(gif), { page: 2 }).raw().toBuffer()
    expect(last[0]).toBe(255)
  })
})

describe("curves", () => {
  it("draws each series as polylines, leaves gaps at non-finite values, and renders to PNG", async () => {
    const svg = renderCurvesSvg(
      [
        { name: "D loss", points: [[0, 1.4], [10, 0.9], [20, Number.NaN], [30, 0.7], [40, 0.6]] },
        { name: "G loss", points: [[0, 0.7], [40, 2.1]] },
      ],
      { title: "losses", yLabel: "loss" },
    )
    expect((svg.match(/<polyline/g) ?? []).length).toBe(3)
    expect(svg).toContain(">D loss<")
    const png = await svgToPng(svg)
    expect((await sharp(png).metadata()).width).toBe(640)
  })
})

describe("voxel renders", () => {
  it("draws a solid voxel as three shaded faces (top lightest), nothing for an empty grid, and rejects bad shapes", async () => {
    const { renderVoxels, renderVoxelSheet } = await import("../src/index.ts")
    const one = new Uint8Array(27)
    one[(1 * 3 + 1) * 3 + 1] = 1
    const img = renderVoxels({ shape: [3, 3, 3], data: one }, { voxelSize: 10 })
    const colours = new Map<string, number>()
    for (let i = 0; i < img.rgb.length; i += 3) {
      const k = `${img.rgb[i]},${img.rgb[i + 1]},${img.rgb[i + 2]}`
      colours.set(k, (colours.get(k) ?? 0) + 1)
    }
    const shades = [...colours].filter(([k]) => k !== "255,255,255").sort((a, b) => b[1] - a[1])
    expect(shades).toHaveLength(3)
    const brightness = shades.map(([k]) => k.split(",").map(Number).reduce((a, b) => a + b, 0))
    const top = [110, 140, 190].map((c) => Math.min(255, Math.round(c * 1.15)))
    expect(shades.map(([k]) => k)).toContain(top.join(","))
    expect(Math.max(...brightness)).toBe(top.reduce((a, b) => a + b, 0))
    const empty = renderVoxels({ shape: [3, 3, 3], data: new Uint8Array(27) })
    expect(empty.rgb.every((v) => v === 255)).toBe(true)
    expect(() => renderVoxels({ shape: [3, 3, 3], data: new Uint8Array(26) })).toThrow("voxel data has 26 values, shape 3x3x3 needs 27")
    const sheet = await renderVoxelSheet([{ shape: [3, 3, 3], data: one }], { views: [0, 1, 2, 3], voxelSize: 10 })
    expect((await sharp(sheet).metadata()).width).toBe(img.width * 4)
  })
})
