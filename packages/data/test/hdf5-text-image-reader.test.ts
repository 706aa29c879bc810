import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { Hdf5FileInvalid } from "../src/errors.ts"
import { readTextImageHdf5 } from "../src/hdf5-text-image-reader.ts"

const fixtures = join(import.meta.dirname, "fixtures")
const birds = join(fixtures, "text_image_birds.hdf5")
interface Expected {
  split: string; group: string; name: string; class: string; width: number; height: number
  captions: string[]; embeddingShape: number[]; embeddingProbes: number[][]; embeddingSums: number[]
}
const expected = JSON.parse(readFileSync(join(fixtures, "text_image_birds.expected.json"), "utf8")) as Expected[]
const work = mkdtempSync(join(tmpdir(), "hdf5-text-"))
afterAll(() => rmSync(work, { recursive: true, force: true }))

/** The reader's failure, asserted to be an Hdf5FileInvalid. */
const failureOf = async (file: string, options = {}): Promise<Hdf5FileInvalid> => {
  try {
    await readTextImageHdf5(file, options)
  } catch (e) {
    expect(e).toBeInstanceOf(Hdf5FileInvalid)
    return e as Hdf5FileInvalid
  }
  throw new Error(`${file} was read without error`)
}

describe("readTextImageHdf5 on an h5py-written birds.hdf5 layout", () => {
  it("reads every example's name, captions, class, embedding values and image of every split", async () => {
    const set = await readTextImageHdf5(birds, { splits: ["train", "valid", "test"], size: 24 })
    // two train examples share one image (the converter writes one group per caption): 4 images, 7 captions
    const names = [...new Set(expected.map((e) => e.name))]
    expect(set.table.names).toEqual(names)
    expect(set.dataset.shape).toEqual([names.length, 24, 24, 3])
    expect(set.examples).toEqual({ train: 3, valid: 1, test: 1 })
    const allCaptions = expected.flatMap((e) => e.captions)
    expect(set.table.captions).toEqual(allCaptions)
    expect(Array.from(set.table.image)).toEqual(expected.flatMap((e) => e.captions.map(() => names.indexOf(e.name))))
    expect(set.table.classes).toEqual([...new Set(expected.map((e) => e.class))].sort())
    expect(Array.from(set.dataset.labels!)).toEqual(names.map((n) => set.table.classes.indexOf(expected.find((e) => e.name === n)!.class)))
    expect(set.embeddings.rows).toBe(allCaptions.length)
    expect(set.embeddings.dim).toBe(1024)
    let row = 0
    for (const e of expected) {
      for (const [k, probes] of e.embeddingProbes.entries()) {
        const v = set.embeddings.values.subarray(row * 1024, (row + 1) * 1024)
        expect([v[0], v[511], v[1023]]).toEqual(probes.map((p) => Math.fround(p)))
        expect(v.reduce((a, b) => a + b, 0)).toBeCloseTo(e.embeddingSums[k]!, 3)
        row++
      }
    }
  })

  it("decodes each image at the requested size from its JPEG bytes (source sizes differ)", async () => {
    for (const size of [16, 40]) {
      const set = await readTextImageHdf5(birds, { splits: ["valid"], size })
      expect(set.dataset.shape).toEqual([1, size, size, 3])
      // the valid image is a flat (240, 240, 240) JPEG with one dark row: its corner pixel stays near 240
      expect(Math.abs(set.dataset.data[0]! - 240)).toBeLessThan(6)
    }
    const test = expected.find((e) => e.split === "test")!
    expect([test.width, test.height]).toEqual([50, 20])
    expect((await readTextImageHdf5(birds, { splits: ["test"], size: 32 })).dataset.shape).toEqual([1, 32, 32, 3])
  })

  it("reads only the first `limit` examples", async () => {
    const set = await readTextImageHdf5(birds, { splits: ["train"], size: 16, limit: 2 })
    expect(set.table.captions).toEqual(expected.slice(0, 2).flatMap((e) => e.captions))
    expect(set.dataset.shape[0]).toBe(1)
  })

  it("a truncated file: error names the file and says truncated", async () => {
    const truncated = join(work, "truncated.hdf5")
    writeFileSync(truncated, readFileSync(birds).subarray(0, 30000))
    const e = await failureOf(truncated)
    expect(e.file).toBe(truncated)
    expect(e.path).toBe("/")
    expect(e.message).toMatch(/truncated file: eof = 30000.*stored_eof = \d+/)
  })

  it("a non-HDF5 file and a missing file", async () => {
    const text = join(work, "birds.hdf5")
    writeFileSync(text, "this is not an HDF5 file\n".repeat(40))
    const e = await failureOf(text)
    expect(e.message).toBe(`${text}: /: not an HDF5 file (file signature not found)`)
    expect((await failureOf(join(work, "nope.hdf5"))).message).toMatch(/nope\.hdf5: \/: no such file/)
  })

  it("a missing split group, a missing member, a wrong embedding size: the path inside the file", async () => {
    const noSplits = join(fixtures, "text_image_no_splits.hdf5")
    const e1 = await failureOf(noSplits)
    expect(e1.path).toBe("/train")
    expect(e1.message).toBe(`${noSplits}: /train: missing split group (the file has /images; expected /train, /valid, /test)`)
    const missing = join(fixtures, "text_image_missing_member.hdf5")
    const e2 = await failureOf(missing)
    expect(e2.path).toBe("/train/bird_0/img")
    expect(e2.message).toMatch(/missing \(\/train\/bird_0 has class, embeddings, name, txt\)/)
    const bad = join(fixtures, "text_image_bad_embedding.hdf5")
    const e3 = await failureOf(bad)
    expect(e3.path).toBe("/train/bird_0/embeddings")
    expect(e3.message).toBe(`${bad}: /train/bird_0/embeddings: wrong embedding size: shape [2, 1000], expected [1024] or [k, 1024]`)
    // told the file's size, the same file reads
    expect((await readTextImageHdf5(bad, { embeddingSize: 1000, size: 16 })).embeddings.rows).toBe(2)
  })

  it("an image whose bytes do not decode names the img path", async () => {
    const copy = join(work, "bad-image.hdf5")
    copyFileSync(birds, copy)
    // overwrite the first JPEG's bytes in place (SOI marker kept, body zeroed)
    const bytes = readFileSync(copy)
    const soi = bytes.indexOf(Buffer.from([0xff, 0xd8, 0xff]))
    bytes.fill(0, soi + 3, soi + 300)
    writeFileSync(copy, bytes)
    const e = await failureOf(copy, { splits: ["train"] })
    expect(e.path).toMatch(/^\/train\/.*\/img$/)
    expect(e.reason).toMatch(/image bytes do not decode/)
  })
})
