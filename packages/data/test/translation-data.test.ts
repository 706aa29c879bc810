import "@tensorflow/tfjs-backend-cpu"
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { folder, pipeline, runPipeline, type PipelineDefinition } from "@ganflow/core"
import * as tf from "@tensorflow/tfjs-core"
import { Cause, Effect, Exit } from "effect"
import sharp from "sharp"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import {
  centreCroppedImages, generateFaceSketchPairs, generateFaceStyleDomains, jitterLoadSize, orientTranslation, randomJitter, readAlignedFolder,
  readFolderPairs, readUInt8Dataset, readUnalignedFolders, SeededRandom,
} from "../src/index.ts"
import { repositoryRoot } from "../src/shared-data-location.ts"
import { pairedSource, TRANSLATION_FILES, unpairedSource } from "../src/stages/index.ts"

const workRoot = join(repositoryRoot(), ".test-work")
mkdirSync(workRoot, { recursive: true })
const roots: string[] = []
const makeRoot = () => {
  const root = mkdtempSync(join(workRoot, "translation-data-"))
  writeFileSync(join(root, "package.json"), JSON.stringify({ name: "translation-data-test", private: true, type: "module" }))
  roots.push(root)
  return root
}
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true })
})
beforeAll(async () => {
  await tf.setBackend("cpu")
})

/** Writes a PNG of `width x height` whose left half is `left` and right half `right` (RGB). */
const writePng = async (file: string, width: number, height: number, left: [number, number, number], right = left) => {
  const px = Buffer.alloc(width * height * 3)
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) px.set(x < width / 2 ? left : right, (y * width + x) * 3)
  mkdirSync(join(file, ".."), { recursive: true })
  await sharp(px, { raw: { width, height, channels: 3 } }).png().toFile(file)
}
const firstPixel = (data: Uint8Array) => Array.from(data.subarray(0, 3))
const run = async (p: PipelineDefinition, root: string) => {
  const exit = await Effect.runPromiseExit(runPipeline(p, { root, jobs: 1 }))
  if (Exit.isSuccess(exit)) return { summary: exit.value, failure: undefined }
  const err = Cause.failureOption(exit.cause)
  return { summary: undefined, failure: err._tag === "Some" ? (err.value as Error).message : Cause.pretty(exit.cause) }
}

describe("pix2pix layouts", () => {
  it("aligned: A is the left half, B the right half, each resized to the load size; BtoA swaps them", async () => {
    const dir = join(makeRoot(), "facades")
    await writePng(join(dir, "train", "1.png"), 40, 20, [200, 10, 10], [10, 10, 200])
    await writePng(join(dir, "train", "2.png"), 40, 20, [0, 255, 0], [255, 255, 255])
    const pairs = await readAlignedFolder(join(dir, "train"), { size: 16 })
    expect(pairs.a.shape).toEqual([2, 16, 16, 3])
    expect(firstPixel(pairs.a.data)).toEqual([200, 10, 10])
    expect(firstPixel(pairs.b.data)).toEqual([10, 10, 200])
    expect(pairs.files).toEqual(["1.png", "2.png"])
    const swapped = orientTranslation({ train: pairs, test: pairs, paired: true }, "BtoA")
    expect(firstPixel(swapped.train.a.data)).toEqual([10, 10, 200])
  })

  it("aligned: an image whose width is not twice its height is an error naming the file", async () => {
    const dir = join(makeRoot(), "bad")
    await writePng(join(dir, "train", "ok.png"), 40, 20, [1, 2, 3])
    await writePng(join(dir, "train", "square.png"), 20, 20, [1, 2, 3])
    await expect(readAlignedFolder(join(dir, "train"), { size: 16 })).rejects.toThrow(/square\.png: .*width must be twice its height; it is 20x20/)
  })

  it("folder pairs: matched by name; a missing partner or mismatched sizes name the files", async () => {
    const dir = join(makeRoot(), "pairs")
    await writePng(join(dir, "A", "train", "x.png"), 20, 20, [9, 9, 9])
    await writePng(join(dir, "B", "train", "x.png"), 20, 20, [99, 99, 99])
    const ok = await readFolderPairs(join(dir, "A", "train"), join(dir, "B", "train"), { size: 8 })
    expect([firstPixel(ok.a.data), firstPixel(ok.b.data)]).toEqual([[9, 9, 9], [99, 99, 99]])
    await writePng(join(dir, "A", "train", "y.png"), 20, 20, [9, 9, 9])
    await expect(readFolderPairs(join(dir, "A", "train"), join(dir, "B", "train"), { size: 8 })).rejects.toThrow(/A\/train\/y\.png: no partner .*B\/train\/y\.png/)
    await writePng(join(dir, "B", "train", "y.png"), 24, 20, [9, 9, 9])
    await expect(readFolderPairs(join(dir, "A", "train"), join(dir, "B", "train"), { size: 8 })).rejects.toThrow(/B\/train\/y\.png: pair sizes differ: .*20x20.*24x20/)
  })
})

describe("CycleGAN layout", () => {
  it("reads trainA/trainB/testA/testB of different lengths; an empty trainB names the folder", async () => {
    const dir = join(makeRoot(), "horse2zebra")
    for (const [sub, n] of [["trainA", 3], ["trainB", 2], ["testA", 1], ["testB", 1]] as const) {
      for (let i = 0; i < n; i++) await writePng(join(dir, sub, `${i}.png`), 30, 20, [i * 50, 0, 0])
    }
    const data = await readUnalignedFolders(dir, { size: 12 })
    expect([data.train.a.shape, data.train.b.shape, data.test.a.shape]).toEqual([[3, 12, 12, 3], [2, 12, 12, 3], [1, 12, 12, 3]])
    for (const f of readdirSync(join(dir, "trainB"))) rmSync(join(dir, "trainB", f))
    await expect(readUnalignedFolders(dir, { size: 12 })).rejects.toThrow(/trainB: no \.png\/\.jpg\/\.jpeg files/)
  })
})

describe("built-in translation sets", () => {
  it("sketch -> face pairs: deterministic, the sketch is grey lines on white, aligned with its face", () => {
    const one = generateFaceSketchPairs({ trainCount: 3, testCount: 2, seed: 4, size: 36 })
    const two = generateFaceSketchPairs({ trainCount: 3, testCount: 2, seed: 4, size: 36 })
    expect(one.train.a.data).toEqual(two.train.a.data)
    expect([one.train.a.shape, one.test.b.shape]).toEqual([[3, 36, 36, 3], [2, 36, 36, 3]])
    const sketch = one.train.a.data
    let grey = true, white = 0
    for (let p = 0; p < sketch.length; p += 3) {
      grey &&= sketch[p] === sketch[p + 1] && sketch[p] === sketch[p + 2]
      if (sketch[p] === 255) white++
    }
    expect(grey).toBe(true)
    expect(white / (sketch.length / 3)).toBeGreaterThan(0.4) // mostly paper
    expect(white / (sketch.length / 3)).toBeLessThan(0.97) // with lines
    expect(one.test.b.data).not.toEqual(one.train.b.data.subarray(0, one.test.b.data.length)) // test faces are other faces
  })

  it("colour / sepia-ink domains: B is brown-toned, A is not, and their faces come from different seeds", () => {
    const d = generateFaceStyleDomains({ trainCountA: 4, trainCountB: 3, testCount: 1, seed: 0, size: 32 })
    expect([d.train.a.shape[0], d.train.b.shape[0], d.paired]).toEqual([4, 3, false])
    const sepia = (data: Uint8Array) => {
      let ok = 0
      for (let p = 0; p < data.length; p += 3) if (data[p]! >= data[p + 1]! && data[p + 1]! >= data[p + 2]!) ok++
      return ok / (data.length / 3)
    }
    expect(sepia(d.train.b.data)).toBe(1)
    expect(sepia(d.train.a.data)).toBeLessThan(0.8)
    expect(jitterLoadSize(256)).toBe(286)
    expect(jitterLoadSize(64)).toBe(72)
  })
})

describe("random jitter", () => {
  it("crops paired images at one offset and flips them together; seeded; no tensor leaks", () => {
    const a = tf.tidy(() => tf.reshape(tf.range(0, 2 * 4 * 4, 1, "float32"), [2, 4, 4, 1]) as tf.Tensor4D)
    const b = tf.tidy(() => tf.mul(a, -1) as tf.Tensor4D)
    const before = tf.memory().numTensors
    const [ja, jb] = randomJitter([a, b], new SeededRandom(1), 3)
    expect(ja.shape).toEqual([2, 3, 3, 1])
    expect(Array.from(jb.dataSync())).toEqual(Array.from(ja.dataSync()).map((v) => -v + 0))
    const [again] = randomJitter([a], new SeededRandom(1), 3)
    expect(Array.from(again.dataSync())).toEqual(Array.from(ja.dataSync()))
    tf.dispose([ja, jb, again])
    expect(tf.memory().numTensors).toBe(before)
    tf.dispose([a, b])
  })
})

describe("centre crop (evaluation's view of images stored at the load size)", () => {
  it("takes the middle size x size of the first count images", () => {
    const ds = { kind: "images" as const, shape: [2, 4, 4, 1], data: Uint8Array.from({ length: 32 }, (_, i) => i), meta: {} }
    expect(centreCroppedImages(ds, 5, 2)).toEqual({ pixels: Uint8Array.from([5, 6, 9, 10, 21, 22, 25, 26]), count: 2 })
  })
})

describe("translation source stages", () => {
  it("built-in sets write the four datasets at the load size; a bad aligned image fails the stage naming it, nothing cached", async () => {
    const root = makeRoot()
    const p = pipeline({
      name: "translation-data",
      stages: [
        pairedSource.as("pairs", { params: { cropSize: 32, synthetic: { trainCount: 4, testCount: 2 } } }),
        unpairedSource.as("domains", { params: { cropSize: 16, synthetic: { trainCountA: 3, trainCountB: 2, testCount: 1 } } }),
      ],
    })
    const first = await run(p, root)
    expect(first.failure).toBeUndefined()
    const pairsDir = first.summary!.stages.find((s) => s.name === "pairs")!.dir!
    expect(readUInt8Dataset(join(pairsDir, TRANSLATION_FILES.trainA)).shape).toEqual([4, 36, 36, 3])
    expect(readUInt8Dataset(join(pairsDir, TRANSLATION_FILES.testB)).shape).toEqual([2, 36, 36, 3])
    const domainsDir = first.summary!.stages.find((s) => s.name === "domains")!.dir!
    expect(readUInt8Dataset(join(domainsDir, TRANSLATION_FILES.trainB)).shape).toEqual([2, 18, 18, 3])

    const dir = join(root, "bad-facades")
    await writePng(join(dir, "train", "wide.png"), 60, 20, [1, 2, 3])
    await writePng(join(dir, "test", "ok.png"), 40, 20, [1, 2, 3])
    const bad = pipeline({ name: "bad", stages: [pairedSource.as("data", { params: { dir, cropSize: 16 }, inputs: { images: folder(dir) } })] })
    const failed = await run(bad, root)
    expect(failed.failure).toMatch(/wide\.png: .*width must be twice its height; it is 60x20/)
    const again = await run(bad, root)
    expect(again.failure).toMatch(/wide\.png/) // not cached: it fails again
  })
})
